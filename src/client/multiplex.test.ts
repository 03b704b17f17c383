import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { demultiplex, demultiplexTo } from './multiplex.js';

const frame = (type: number, text: string) => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

test('demultiplex reassembles frames split across chunks at any byte', async () => {
  const all = Buffer.concat([frame(1, 'hello\n'), frame(2, 'oops\n'), frame(1, ''), frame(1, 'x'.repeat(70000))]);
  // Chunks of 3 bytes cut through headers and payloads alike.
  const chunks: Buffer[] = [];
  for (let i = 0; i < all.length; i += 3) chunks.push(all.subarray(i, i + 3));
  const frames = [];
  for await (const f of demultiplex(Readable.from(chunks))) frames.push({ stream: f.stream, text: f.data.toString() });
  assert.deepEqual(frames.slice(0, 3), [
    { stream: 'stdout', text: 'hello\n' },
    { stream: 'stderr', text: 'oops\n' },
    { stream: 'stdout', text: '' },
  ]);
  assert.equal(frames[3].text.length, 70000);
});

test('demultiplex rejects a stream that ends inside a frame or has an unknown type', async () => {
  const truncated = frame(1, 'hello').subarray(0, 10);
  await assert.rejects(async () => {
    for await (const _ of demultiplex(Readable.from([truncated]))) void _;
  }, /ended inside a frame/);
  await assert.rejects(async () => {
    for await (const _ of demultiplex(Readable.from([frame(7, 'x')]))) void _;
  }, /unknown stream type 7/);
});

test('demultiplexTo splits stdout and stderr and turns a system frame into an error', async () => {
  const out = new PassThrough();
  const err = new PassThrough();
  const got = { out: '', err: '' };
  out.on('data', (d) => (got.out += d));
  err.on('data', (d) => (got.err += d));
  await demultiplexTo(Readable.from([Buffer.concat([frame(1, 'a'), frame(2, 'b'), frame(1, 'c')])]), out, err);
  assert.deepEqual(got, { out: 'ac', err: 'b' });
  await assert.rejects(demultiplexTo(Readable.from([frame(3, 'exec failed\n')]), out, err), /^Error: exec failed$/);
});

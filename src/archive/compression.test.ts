import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { decompress, onTakenIn } from './compression.js';

async function run(chunks: Buffer[]): Promise<{ out: Buffer; released: Buffer[] }> {
  const released: Buffer[] = [];
  for (const c of chunks) onTakenIn(c, () => released.push(c));
  const parts: Buffer[] = [];
  for await (const p of decompress((async function* () {
    yield* chunks;
  })())) parts.push(p);
  return { out: Buffer.concat(parts), released };
}

test('decompress hands gzip input back once zlib took it in, and keeps plain input as it is', async () => {
  const data = randomBytes(3 << 20);
  const gz = gzipSync(data);
  const split = (b: Buffer) => [Buffer.from(b.subarray(0, 1 << 20)), Buffer.from(b.subarray(1 << 20, 2 << 20)), Buffer.from(b.subarray(2 << 20))];
  const zipped = split(gz);
  const g = await run(zipped);
  assert.deepEqual(g.out, data);
  // The first chunk is read ahead to tell the compression and joined into a copy.
  assert.deepEqual(g.released, zipped.slice(1));

  const plain = split(data);
  const p = await run(plain);
  assert.deepEqual(p.out, data);
  assert.deepEqual(p.released, []);
});

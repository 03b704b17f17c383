import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { JsonMessage } from '../client/index.js';
import { printJsonMessages } from './json-messages.js';

async function print(messages: JsonMessage[], terminal: boolean): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  await printJsonMessages((async function* () { yield* messages; })(), out, terminal);
  return text;
}

test('off a terminal: status and stream lines, progress bars dropped', async () => {
  const text = await print([
    { status: 'Loading layer', id: 'abc', progressDetail: { current: 10, total: 100 }, progress: '[=>   ] 10B/100B' },
    { status: 'Pull complete', id: 'abc', progressDetail: {} },
    { stream: 'Loaded image: busybox:latest\n' },
    { status: 'sha256:1234' },
  ], false);
  assert.equal(text, 'abc: Pull complete\nLoaded image: busybox:latest\nsha256:1234\n');
});

test('on a terminal: one line per ID updated in place', async () => {
  const text = await print([
    { status: 'Downloading', id: 'a', progressDetail: { current: 1, total: 2 } },
    { status: 'Downloading', id: 'b', progressDetail: { current: 1, total: 4 } },
    { status: 'Done', id: 'a', progressDetail: {} },
  ], true);
  assert.equal(
    text,
    `\n\x1b[1A\x1b[2K\ra: Downloading [${'='.repeat(24)}>${' '.repeat(25)}] 1/2\r\x1b[1B` +
      `\n\x1b[1A\x1b[2K\rb: Downloading [${'='.repeat(11)}>${' '.repeat(38)}] 1/4\r\x1b[1B` +
      '\x1b[2A\x1b[2K\ra: Done\r\x1b[2B',
  );
});

test('an error in the stream rejects with its message', async () => {
  await assert.rejects(print([{ status: 'x' }, { error: 'e', errorDetail: { message: 'invalid tar header' } }], false), /^Error: invalid tar header$/);
});

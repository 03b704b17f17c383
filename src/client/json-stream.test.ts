import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { jsonValues, splitJsonValues } from './json-stream.js';

test('splitJsonValues finds whole values, ignoring braces inside strings, and keeps the rest', () => {
  const { values, rest } = splitJsonValues('{"a":"}{\\""}\n{"b":[1,{"c":2}]}{"d":');
  assert.deepEqual(values.map((v) => JSON.parse(v)), [{ a: '}{"' }, { b: [1, { c: 2 }] }]);
  assert.equal(rest, '{"d":');
});

test('jsonValues decodes values split across chunks, including multi-byte characters', async () => {
  const text = Buffer.from('{"status":"héllo"}{"id":"x","status":"done"}\r\n');
  const chunks = [text.subarray(0, 13), text.subarray(13, 14), text.subarray(14)];
  const got = [];
  for await (const v of jsonValues(Readable.from(chunks))) got.push(v);
  assert.deepEqual(got, [{ status: 'héllo' }, { id: 'x', status: 'done' }]);
  await assert.rejects(async () => {
    for await (const _ of jsonValues(Readable.from([Buffer.from('{"a":')]))) void _;
  }, /ended in the middle of a value/);
});

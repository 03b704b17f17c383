import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeDetector, parseDetachKeys } from './hijack-io.js';

test('parseDetachKeys reads docker\'s key syntax', () => {
  assert.deepEqual([...parseDetachKeys('ctrl-p,ctrl-q')], [16, 17]);
  assert.deepEqual([...parseDetachKeys('a,ctrl-@,ctrl-[,ctrl-\\,ctrl-_')], [97, 0, 27, 28, 31]);
  assert.throws(() => parseDetachKeys('ctrl-1'), /Invalid detach keys/);
  assert.throws(() => parseDetachKeys('abc'), /Invalid detach keys/);
});

test('escapeDetector holds back partial sequences and detects the whole one across chunks', () => {
  const detect = escapeDetector(Buffer.from([16, 17]));
  assert.deepEqual(detect(Buffer.from('ab')), { forward: Buffer.from('ab'), detached: false });
  // ctrl-p alone is held back...
  assert.deepEqual(detect(Buffer.from([99, 16])), { forward: Buffer.from([99]), detached: false });
  // ...and released when the next byte does not continue the sequence.
  assert.deepEqual(detect(Buffer.from('x')), { forward: Buffer.from([16, 120]), detached: false });
  // ctrl-p ctrl-p: the first is released, the second may still start the sequence.
  assert.deepEqual(detect(Buffer.from([16, 16])), { forward: Buffer.from([16]), detached: false });
  assert.deepEqual(detect(Buffer.from([17, 65])), { forward: Buffer.alloc(0), detached: true });
});

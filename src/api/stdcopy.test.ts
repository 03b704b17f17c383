import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeOutput, frame } from './stdcopy.js';
import { demux } from './test-helpers.js';

test('frame writes the stream id, three zero bytes and the big-endian size before the payload', () => {
  const out = frame('stderr', Buffer.from('hello'));
  assert.deepEqual([...out.subarray(0, 8)], [2, 0, 0, 0, 0, 0, 0, 5]);
  assert.equal(out.subarray(8).toString(), 'hello');
  assert.equal(frame('stdout', Buffer.alloc(0)).length, 8);
  assert.equal(frame('stdout', Buffer.alloc(0))[0], 1);
});

test('frames of large payloads carry sizes above 65535 and decode back in order', () => {
  const big = Buffer.alloc(70_000, 'x');
  const wire = Buffer.concat([frame('stdout', Buffer.from('a')), frame('stderr', big), frame('stdout', Buffer.from('z'))]);
  assert.equal(wire.readUInt32BE(9 + 4), 70_000);
  const frames = demux(wire);
  assert.deepEqual(frames.map((f) => [f.stream, f.data.length]), [[1, 1], [2, 70_000], [1, 1]]);
});

test('encodeOutput frames only when multiplexed (TTY output is raw)', () => {
  assert.equal(encodeOutput(false, 'stderr', Buffer.from('raw')).toString(), 'raw');
  assert.deepEqual(demux(encodeOutput(true, 'stderr', Buffer.from('x'))), [{ stream: 2, data: 'x' }]);
});

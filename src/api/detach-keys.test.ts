import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../errors.js';
import { createDetachScanner, parseDetachKeys } from './detach-keys.js';

test('detach key specs parse like Docker term.ToBytes', () => {
  assert.deepEqual(parseDetachKeys('ctrl-p,ctrl-q'), [16, 17]);
  assert.deepEqual(parseDetachKeys('ctrl-a,x,ctrl-@,ctrl-['), [1, 120, 0, 27]);
  for (const bad of ['ctrl-', 'ctrl-1', 'pq', 'ctrl-p,,']) {
    assert.throws(() => parseDetachKeys(bad), (err) => isBerthError(err, 'invalid_argument') && err.message === `Invalid detach keys (${bad}) provided`);
  }
});

async function scan(chunks: number[][]): Promise<{ out: number[]; detached: number }> {
  let detached = 0;
  const scanner = createDetachScanner([16, 17], () => detached++);
  const out: number[] = [];
  scanner.on('data', (d: Buffer) => out.push(...d));
  for (const c of chunks) await new Promise<void>((resolve) => scanner.write(Buffer.from(c), () => resolve()));
  return { out, detached };
}

test('input passes through; a broken partial sequence is released', async () => {
  assert.deepEqual(await scan([[104, 105], [16], [120]]), { out: [104, 105, 16, 120], detached: 0 });
  assert.deepEqual(await scan([[16, 16, 1]]), { out: [16, 16, 1], detached: 0 });
});

test('the full sequence, even split across writes, detaches and is withheld with everything after it', async () => {
  assert.deepEqual(await scan([[97, 16], [17, 98], [99]]), { out: [97], detached: 1 });
  assert.deepEqual(await scan([[16, 16, 17]]), { out: [16], detached: 1 });
});

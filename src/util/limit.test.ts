import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLimiter } from './limit.js';

test('runs at most n tasks at once, in order, and goes on after failures', async () => {
  const limit = createLimiter(2);
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const task = (i: number) => async () => {
    started.push(i);
    running++;
    most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    if (i === 1) throw new Error('task 1 failed');
    return i;
  };
  const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => limit(task(i))));
  assert.equal(most, 2);
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed')), [0, 'failed', 2, 3, 4]);
  assert.equal(await limit(async () => 'free again'), 'free again');
});

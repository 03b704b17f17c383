import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createKeyedQueue } from './keyed-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

test('tasks of a key run one after another, a failure does not stop the next; other keys do not wait', async () => {
  const q = createKeyedQueue();
  const order: string[] = [];
  const first = q.run('a', async () => {
    await tick();
    order.push('a1');
    throw new Error('a1 failed');
  });
  const second = q.run('a', async () => {
    order.push('a2');
    return 2;
  });
  const other = q.run('b', async () => void order.push('b1'));
  await assert.rejects(first, /a1 failed/);
  assert.equal(await second, 2);
  await other;
  assert.deepEqual(order, ['b1', 'a1', 'a2']);
});

test('settled waits for what is queued for the key, and never rejects', async () => {
  const q = createKeyedQueue();
  let done = false;
  q.run('k', async () => {
    await tick();
    done = true;
    throw new Error('ignored here');
  }).catch(() => undefined);
  await q.settled('k');
  assert.equal(done, true);
  await q.settled('never queued');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEventBus } from './event-bus.js';

const actor = (id: string) => ({ id, attributes: { name: id } });

test('live subscribers receive events published after they subscribe', async () => {
  const bus = createEventBus();
  const ac = new AbortController();
  const got: string[] = [];
  const done = (async () => {
    for await (const ev of bus.subscribe({}, ac.signal)) {
      got.push(`${ev.type}:${ev.action}:${ev.actor.id}`);
      if (got.length === 2) ac.abort();
    }
  })();
  await new Promise((r) => setImmediate(r));
  bus.publish({ type: 'container', action: 'create', actor: actor('a') });
  bus.publish({ type: 'container', action: 'start', actor: actor('a') });
  await done;
  assert.deepEqual(got, ['container:create:a', 'container:start:a']);
});

test('since replays history and until ends the stream', async () => {
  const bus = createEventBus();
  const t0 = Date.now() * 1e6 - 1e9;
  bus.publish({ type: 'image', action: 'tag', actor: actor('x') });
  bus.publish({ type: 'image', action: 'untag', actor: actor('x') });
  const got: string[] = [];
  for await (const ev of bus.subscribe({ since: t0, until: Date.now() * 1e6 + 50e6 }, new AbortController().signal)) {
    got.push(ev.action);
    assert.equal(ev.scope, 'local');
  }
  assert.deepEqual(got, ['tag', 'untag']);
});

test('history is bounded', async () => {
  const bus = createEventBus(3);
  for (let i = 0; i < 5; i++) bus.publish({ type: 'volume', action: `a${i}`, actor: actor('v') });
  const got: string[] = [];
  for await (const ev of bus.subscribe({ since: 0, until: Date.now() * 1e6 + 20e6 }, new AbortController().signal)) got.push(ev.action);
  assert.deepEqual(got, ['a2', 'a3', 'a4']);
});

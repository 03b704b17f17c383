import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../engine/types.js';
import { eventJson, eventMatches } from './event-json.js';
import { parseFilters } from './filters.js';

const id = 'a1b2'.padEnd(64, 'c');
const start: EngineEvent = {
  type: 'container', action: 'start', scope: 'local', time: 1_700_000_000_123_456_789,
  actor: { id, attributes: { name: 'web', image: 'busybox:latest', app: 'shop' } },
};
const tag: EngineEvent = {
  type: 'image', action: 'tag', scope: 'local', time: 1_700_000_001_000_000_000,
  actor: { id: `sha256:${'f'.repeat(64)}`, attributes: { name: 'localhost:5000/team/tool:2' } },
};
const exec: EngineEvent = { ...start, action: 'exec_start: sh -c true' };

test('events carry Docker fields, with the legacy status/id/from for containers and images', () => {
  const j = eventJson(start);
  assert.deepEqual(j, {
    status: 'start', id, from: 'busybox:latest', Type: 'container', Action: 'start',
    Actor: { ID: id, Attributes: start.actor.attributes }, scope: 'local', time: 1_700_000_000, timeNano: start.time,
  });
  assert.equal(eventJson(tag).from, undefined);
  assert.equal(eventJson(tag).status, 'tag');
  const net = eventJson({ ...start, type: 'network', actor: { id: 'n', attributes: {} } });
  assert.equal(net.status, undefined);
  assert.match(JSON.stringify(j), /"timeNano":1700000000123456\d\d\d/);
});

test('filters by type, event, container, image and label', () => {
  const matches = (filters: object, ev: EngineEvent) => eventMatches(parseFilters(JSON.stringify(filters)), ev);
  assert.ok(matches({}, start));
  assert.ok(matches({ type: ['container'] }, start));
  assert.ok(!matches({ type: ['image'] }, start));
  assert.ok(matches({ event: ['start', 'die'] }, start));
  assert.ok(!matches({ event: ['die'] }, start));
  assert.ok(matches({ event: ['exec_start'] }, exec), 'exec_start matches by prefix');
  assert.ok(matches({ container: ['web'] }, start));
  assert.ok(matches({ container: ['a1b2'] }, start), 'id prefix');
  assert.ok(!matches({ container: ['db'] }, start));
  assert.ok(!matches({ container: ['web'] }, tag), 'image events have no container');
  assert.ok(matches({ image: ['busybox'] }, start), 'tag stripped');
  assert.ok(matches({ image: ['busybox:latest'] }, start));
  assert.ok(matches({ image: ['localhost:5000/team/tool'] }, tag));
  assert.ok(matches({ image: [tag.actor.id] }, tag));
  assert.ok(!matches({ image: ['alpine'] }, start));
  assert.ok(matches({ label: ['app=shop'] }, start));
  assert.ok(!matches({ label: ['app=blog'] }, start));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, stateText } from './human-duration.js';
import { containerRecord } from './test-helpers.js';

test('durations read like go-units HumanDuration', () => {
  const s = 1000;
  const h = 3600 * s;
  assert.equal(humanDuration(500), 'Less than a second');
  assert.equal(humanDuration(1 * s), '1 second');
  assert.equal(humanDuration(59 * s), '59 seconds');
  assert.equal(humanDuration(90 * s), 'About a minute');
  assert.equal(humanDuration(45 * 60 * s), '45 minutes');
  assert.equal(humanDuration(60 * 60 * s), 'About an hour');
  assert.equal(humanDuration(5 * h), '5 hours');
  assert.equal(humanDuration(72 * h), '3 days');
  assert.equal(humanDuration(24 * 7 * 3 * h), '3 weeks');
  assert.equal(humanDuration(24 * 30 * 5 * h), '5 months');
  assert.equal(humanDuration(24 * 365 * 3 * h), '3 years');
});

test('status text for docker ps', () => {
  const now = Date.parse('2025-01-01T01:00:00Z');
  const state = (s: Parameters<typeof containerRecord>[0] extends infer T ? T : never) => stateText(containerRecord(s).state, now);
  assert.equal(state({}), 'Created');
  assert.equal(state({ state: { status: 'running', running: true, startedAt: '2025-01-01T00:55:00Z' } }), 'Up 5 minutes');
  assert.equal(state({ state: { status: 'paused', running: true, paused: true, startedAt: '2025-01-01T00:00:00Z' } }), 'Up About an hour (Paused)');
  assert.equal(
    state({ state: { status: 'exited', exitCode: 137, startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:59:58Z' } }),
    'Exited (137) 2 seconds ago',
  );
  assert.equal(state({ state: { status: 'dead', dead: true, startedAt: '2025-01-01T00:00:00Z' } }), 'Dead');
  assert.equal(state({ state: { status: 'removing' } }), 'Removal In Progress');
});

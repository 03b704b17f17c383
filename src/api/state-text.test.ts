import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stateText } from './state-text.js';
import { containerRecord } from './test-helpers.js';

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

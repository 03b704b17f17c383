import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandText, containerInspectJson, containerSummaryJson } from './container-json.js';
import { containerRecord } from './test-helpers.js';

test('COMMAND quotes arguments that hold spaces', () => {
  assert.equal(commandText('sh', ['-c', 'echo hi']), "sh -c 'echo hi'");
  assert.equal(commandText('top', []), 'top');
});

test('inspect carries the fields the docker CLI reads', () => {
  const c = containerRecord({ tty: true, openStdin: true, state: { status: 'running', running: true, pid: 42 } });
  c.spec.host.autoRemove = true;
  c.spec.stopTimeout = 3;
  c.spec.exposedPorts = ['80/tcp'];
  const j = containerInspectJson(c) as Record<string, Record<string, unknown>>;
  assert.equal(j.Name as unknown, '/box');
  assert.equal(j.Image as unknown, c.imageId);
  assert.equal(j.State.Running, true);
  assert.equal(j.State.Pid, 42);
  assert.equal(j.Config.Tty, true);
  assert.equal(j.Config.OpenStdin, true);
  assert.equal(j.Config.Image, 'busybox');
  assert.equal(j.Config.Hostname, c.id.slice(0, 12));
  assert.equal(j.Config.Entrypoint, null);
  assert.equal(j.Config.StopTimeout, 3);
  assert.deepEqual(j.Config.ExposedPorts, { '80/tcp': {} });
  assert.equal(j.HostConfig.AutoRemove, true);
  assert.deepEqual(j.HostConfig.RestartPolicy, { Name: 'no', MaximumRetryCount: 0 });
  assert.equal(j.ExecIDs as unknown, null);
  assert.deepEqual(Object.keys(j.NetworkSettings.Networks as object), ['bridge'], 'the default network, even before it is joined');
});

test('summary: names with a slash, unix created time, status text', () => {
  const c = containerRecord({ state: { status: 'exited', exitCode: 1, startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:30Z' } });
  const j = containerSummaryJson(c, Date.parse('2025-01-01T00:01:00Z'));
  assert.deepEqual(j.Names, ['/box']);
  assert.equal(j.Created, 1735689600);
  assert.equal(j.State, 'exited');
  assert.equal(j.Status, 'Exited (1) 30 seconds ago');
  assert.equal(j.Command, 'sh');
});

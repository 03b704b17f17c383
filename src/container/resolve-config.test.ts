import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveProcess, mergeEnv } from './resolve-config.js';
import type { ContainerSpec } from '../engine/types.js';

const spec = (over: Partial<ContainerSpec>): ContainerSpec => ({
  image: 'x', env: [], tty: false, openStdin: false, stdinOnce: false, attachStdin: false, attachStdout: true,
  attachStderr: true, labels: {}, exposedPorts: [],
  host: { autoRemove: false, privileged: false, capAdd: [], capDrop: [], readonlyRootfs: false, restartPolicy: { name: 'no', maximumRetryCount: 0 } },
  ...over,
});

test('image entrypoint and cmd apply when the user gives none', () => {
  const r = resolveProcess(spec({}), { Entrypoint: ['/bin/sh', '-c'], Cmd: ['echo hi'], Env: ['PATH=/bin'], WorkingDir: '/w', User: 'nobody' });
  assert.deepEqual([r.path, ...r.args], ['/bin/sh', '-c', 'echo hi']);
  assert.equal(r.workingDir, '/w');
  assert.equal(r.user, 'nobody');
});

test('a user cmd replaces the image cmd but keeps its entrypoint', () => {
  const r = resolveProcess(spec({ cmd: ['ls'] }), { Entrypoint: ['/bin/busybox'], Cmd: ['sh'] });
  assert.deepEqual([r.path, ...r.args], ['/bin/busybox', 'ls']);
});

test('a user entrypoint drops the image cmd; an empty one keeps it', () => {
  assert.deepEqual(resolveProcess(spec({ entrypoint: ['/bin/echo'] }), { Cmd: ['sh'] }).args, []);
  const r = resolveProcess(spec({ entrypoint: [] }), { Entrypoint: ['/x'], Cmd: ['sh', '-l'] });
  assert.deepEqual([r.path, ...r.args], ['sh', '-l']);
});

test('no command at all is a bad request', () => {
  assert.throws(() => resolveProcess(spec({}), {}), /No command specified/);
});

test('env merges by key with user values winning', () => {
  assert.deepEqual(mergeEnv(['PATH=/bin', 'A=1'], ['A=2', 'B']), ['PATH=/bin', 'A=2', 'B']);
});

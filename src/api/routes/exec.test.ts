import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../errors.js';
import { execInspectJson, toExecSpec } from './exec.js';

test('the docker exec body becomes an ExecSpec', () => {
  assert.deepEqual(
    toExecSpec({ User: 'nobody', Privileged: false, Tty: true, AttachStdin: true, AttachStderr: true, AttachStdout: true,
      DetachKeys: 'ctrl-x,x', Env: ['A=1'], WorkingDir: '/tmp', Cmd: ['sh', '-l'], ConsoleSize: [40, 100] }),
    { cmd: ['sh', '-l'], env: ['A=1'], user: 'nobody', workingDir: '/tmp', tty: true, attachStdin: true, attachStdout: true,
      attachStderr: true, privileged: false, detachKeys: 'ctrl-x,x' },
  );
  assert.throws(() => toExecSpec({ Cmd: [] }), (err) => isBerthError(err, 'invalid_argument') && err.message === 'No exec command specified');
  assert.throws(() => toExecSpec({ Cmd: ['x'], DetachKeys: 'ctrl-' }), (err) => isBerthError(err, 'invalid_argument'));
  assert.throws(() => toExecSpec({ Cmd: ['x'], WorkingDir: 'rel' }), (err) => isBerthError(err, 'invalid_argument'));
});

test('exec inspect shape', () => {
  const j = execInspectJson({
    id: 'e1', containerId: 'c1', running: false, exitCode: null, pid: 0,
    spec: { cmd: ['ls', '-l'], env: [], tty: false, attachStdin: false, attachStdout: true, attachStderr: true, privileged: false },
  });
  assert.deepEqual(j, {
    ID: 'e1', Running: false, ExitCode: null, ProcessConfig: { tty: false, entrypoint: 'ls', arguments: ['-l'], privileged: false },
    OpenStdin: false, OpenStderr: true, OpenStdout: true, CanRemove: false, ContainerID: 'c1', DetachKeys: '', Pid: 0,
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOciCli, defaultRuntimePath, ociError, runtimeErrorMessage } from './oci-cli.js';

test('the runtime error message is found in logrus text, logrus JSON and plain output', () => {
  assert.equal(
    runtimeErrorMessage('time="2024-01-01T00:00:00Z" level=warning msg="ignored"\ntime="2024-01-01T00:00:00Z" level=error msg="exec: \\"nope\\": executable file not found in $PATH"\n'),
    'exec: "nope": executable file not found in $PATH',
  );
  assert.equal(runtimeErrorMessage('{"level":"error","msg":"container does not exist","time":"x"}\n'), 'container does not exist');
  assert.equal(runtimeErrorMessage('error opening file `/r/x/status`: No such file or directory\n'), 'error opening file `/r/x/status`: No such file or directory');
});

test('runtime failures become Docker-like errors', () => {
  const code = (message: string) => ociError('kill', 'c1', message).code;
  assert.equal(code('container does not exist'), 'not_found');
  assert.equal(code('error opening file `/r/c1/status`: No such file or directory'), 'not_found');
  assert.equal(code('container not running'), 'conflict');
  assert.equal(code('cannot delete container c1 that is not stopped: running'), 'conflict');
  assert.equal(code('the container `c1` is not in \'stopped\' state'), 'conflict');
  assert.equal(code('exec: "x": executable file not found in $PATH'), 'invalid_argument');
  assert.equal(code('something else broke'), 'internal');
  assert.equal(ociError('start', 'c1', 'container not running').message, 'Container c1 is not running');
  assert.equal(ociError('create', 'c1', 'boom').message, 'OCI runtime create failed: boom: unknown');
});

test('runc is chosen unless the cgroup tree is v2 only', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-cg-'));
  try {
    assert.match(defaultRuntimePath(dir), /runc$/);
    await writeFile(path.join(dir, 'cgroup.controllers'), 'cpu memory\n');
    assert.match(defaultRuntimePath(dir), /crun$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the cli runs the runtime against its own state root', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-oci-'));
  try {
    const cli = createOciCli(defaultRuntimePath(), dir);
    assert.deepEqual(cli.globalArgs, ['--root', dir]);
    assert.equal((await cli.run(['list', '--format', 'json'], '-')).trim(), 'null');
    await assert.rejects(cli.run(['state', 'ghost'], 'ghost'), { code: 'not_found', message: 'No such container: ghost' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

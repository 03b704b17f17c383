import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { attachStreams, containerCreateBody, containerFlags, parseEnvFile, parseRestartPolicy } from './container-config.js';
import { parseFlags } from './flags.js';

const flagsOf = (argv: string[]) => parseFlags(containerFlags, argv, { interspersed: false });

test('run flags become docker\'s create body', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-cli-'));
  try {
    const envFile = path.join(dir, 'env');
    await writeFile(envFile, '# comment\n\n  FROM_FILE=a b \nPASSED\nUNSET_ONE\n');
    const { flags, args, changed } = flagsOf([
      '-it', '-e', 'A=1', '-e', 'PASSED', '-e', 'UNSET_TWO', '--env-file', envFile, '-u', '1000:1000', '-w', '/tmp', '-h', 'box',
      '--entrypoint', '', '-l', 'k=v', '-l', 'bare', '--privileged', '--cap-add', 'NET_ADMIN', '--cap-drop', 'CHOWN',
      '--read-only', '--restart', 'on-failure:3', '--stop-signal', 'SIGUSR1', '--stop-timeout', '5', 'busybox', 'sh', '-c', 'echo hi',
    ]);
    const body = containerCreateBody(flags, {
      image: args[0], cmd: args.slice(1), streams: attachStreams(flags), consoleSize: [24, 80],
      env: { PASSED: 'yes' }, entrypointChanged: changed.has('entrypoint'),
    });
    assert.deepEqual(body, {
      Image: 'busybox',
      Cmd: ['sh', '-c', 'echo hi'],
      Entrypoint: [''],
      Env: ['FROM_FILE=a b ', 'PASSED=yes', 'A=1', 'PASSED=yes'],
      User: '1000:1000',
      WorkingDir: '/tmp',
      Hostname: 'box',
      Labels: { k: 'v', bare: '' },
      Tty: true,
      OpenStdin: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      StdinOnce: true,
      StopSignal: 'SIGUSR1',
      StopTimeout: 5,
      HostConfig: {
        AutoRemove: false, Privileged: true, CapAdd: ['NET_ADMIN'], CapDrop: ['CHOWN'], ReadonlyRootfs: true,
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 }, ConsoleSize: [24, 80],
      },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('defaults: image command and entrypoint kept, stdout and stderr attached, restart no', () => {
  const { flags, args, changed } = flagsOf(['--rm', 'busybox']);
  const body = containerCreateBody(flags, { image: args[0], cmd: [], streams: attachStreams(flags), env: {}, entrypointChanged: changed.has('entrypoint') });
  assert.equal(body.Cmd, undefined);
  assert.equal(body.Entrypoint, undefined);
  assert.deepEqual([body.AttachStdin, body.AttachStdout, body.AttachStderr, body.OpenStdin, body.StdinOnce], [false, true, true, false, false]);
  assert.deepEqual(body.HostConfig?.RestartPolicy, { Name: 'no' });
  assert.equal(body.HostConfig?.AutoRemove, true);
  assert.throws(
    () => containerCreateBody(flagsOf(['--rm', '--restart', 'always', 'x']).flags, { image: 'x', cmd: [], streams: attachStreams(flags), env: {}, entrypointChanged: false }),
    /Conflicting options: --restart and --rm/,
  );
});

test('-a picks streams; -i always adds stdin; bad names are refused', () => {
  assert.deepEqual(attachStreams({ attach: ['STDERR'], interactive: false }), { stdin: false, stdout: false, stderr: true });
  assert.deepEqual(attachStreams({ attach: ['stdout'], interactive: true }), { stdin: true, stdout: true, stderr: false });
  assert.throws(() => attachStreams({ attach: ['stdbad'], interactive: false }), /valid streams are STDIN, STDOUT and STDERR/);
});

test('restart policies and env files are validated like docker', () => {
  assert.deepEqual(parseRestartPolicy('always'), { Name: 'always' });
  assert.deepEqual(parseRestartPolicy('unless-stopped'), { Name: 'unless-stopped' });
  assert.throws(() => parseRestartPolicy('always:3'), /maximum retry count can only be used with 'on-failure'/);
  assert.throws(() => parseRestartPolicy('sometimes'), /invalid restart policy format: sometimes/);
  assert.throws(() => parseRestartPolicy('on-failure:x'), /must be an integer/);
  assert.throws(() => parseEnvFile('BAD KEY=1\n', {}), /variable 'BAD KEY' contains whitespaces/);
  assert.throws(() => parseEnvFile('=1\n', {}), /no variable name on line '=1'/);
  assert.deepEqual(parseEnvFile('\uFEFFA=1\r\nB\n', { B: '2' }), ['A=1', 'B=2']);
});

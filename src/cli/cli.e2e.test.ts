// The berth CLI end to end: a real berthd (own namespaces and roots), driven by `node dist/cli/main.js -H ...`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { busyboxRootfsTar } from '../demo/busybox-rootfs.js';
import { runCommand, startDaemon, type CommandResult, type Daemon } from '../e2e/harness.js';

const main = fileURLToPath(new URL('./main.js', import.meta.url));
let d: Daemon;
let scratch: string;
let rootfsTar: string;

/** The environment without any daemon address of the caller's. */
const cleanEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.BERTH_HOST;
  delete env.DOCKER_HOST;
  delete env.DOCKER_API_VERSION;
  return env;
};

function berth(args: string[], o: { input?: string | Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CommandResult> {
  return runCommand(process.execPath, [main, '-H', d.host, ...args], { input: o.input, env: o.env ?? cleanEnv(), timeoutMs: o.timeoutMs ?? 60_000 });
}

/** berth, expecting success; its stdout. */
async function ok(args: string[], input?: string | Buffer): Promise<string> {
  const r = await berth(args, { input });
  assert.equal(r.code, 0, `berth ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  d = await startDaemon();
  scratch = await mkdtemp(path.join(tmpdir(), 'berth-cli-e2e-'));
  const chunks: Buffer[] = [];
  for await (const c of await busyboxRootfsTar()) chunks.push(c as Buffer);
  rootfsTar = path.join(scratch, 'rootfs.tar');
  await writeFile(rootfsTar, Buffer.concat(chunks));
  const id = await ok(['import', '--change', 'CMD ["sh"]', '-', 'busybox:latest'], Buffer.concat(chunks));
  assert.match(id, /^sha256:[0-9a-f]{64}\n$/);
});

after(async () => {
  await d?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test('host selection: -H, BERTH_HOST, DOCKER_HOST; a clear message when berthd is not there', async () => {
  const absent = `unix://${path.join(scratch, 'absent.sock')}`;
  const viaBerthHost = await runCommand(process.execPath, [main, 'version', '--format', '{{.Server.ApiVersion}}'], {
    env: { ...cleanEnv(), BERTH_HOST: d.host, DOCKER_HOST: absent },
  });
  assert.deepEqual([viaBerthHost.code, viaBerthHost.stdout], [0, '1.50\n']);
  const viaDockerHost = await runCommand(process.execPath, [main, 'ps', '-q'], { env: { ...cleanEnv(), DOCKER_HOST: d.host } });
  assert.equal(viaDockerHost.code, 0, viaDockerHost.stderr);
  const down = await runCommand(process.execPath, [main, '-H', absent, 'ps'], { env: cleanEnv() });
  assert.equal(down.code, 1);
  assert.equal(down.stderr, `Cannot connect to the berth daemon at ${absent}. Is berthd running?\n`);
});

test('run: output split between stdout and stderr, exit status propagated', async () => {
  const r = await berth(['run', '--name', 'exit3', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [3, 'out\n', 'err\n']);
  assert.equal(await ok(['ps', '-a', '--filter', 'name=exit3', '--format', '{{.Names}} {{.State}}']), 'exit3 exited\n');
  assert.equal(await ok(['rm', 'exit3']), 'exit3\n');
});

test('run -i: stdin piped to the container, which ends when stdin does', async () => {
  const r = await berth(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'cat; echo done'], { input: 'hello\nworld\n' });
  assert.deepEqual([r.code, r.stdout], [0, 'hello\nworld\ndone\n']);
});

test('run -t gives a pty; -u, -w, -e, --env-file, --hostname, --entrypoint, -l apply', async () => {
  const tty = await berth(['run', '--rm', '-t', 'busybox', 'tty']);
  assert.deepEqual([tty.code, tty.stdout], [0, '/dev/pts/0\r\n']);
  const envFile = path.join(scratch, 'env');
  await writeFile(envFile, '# settings\nFROM_FILE=yes\n');
  const r = await berth([
    'run', '--rm', '-u', '1000:1000', '-w', '/tmp', '-e', 'A=1', '--env-file', envFile, '--hostname', 'box',
    'busybox', 'sh', '-c', 'id -u; id -g; pwd; echo $A $FROM_FILE; hostname',
  ]);
  assert.deepEqual([r.code, r.stdout], [0, '1000\n1000\n/tmp\n1 yes\nbox\n']);
  const ep = await berth(['run', '--rm', '--entrypoint', 'echo', 'busybox', 'from', 'entrypoint']);
  assert.deepEqual([ep.code, ep.stdout], [0, 'from entrypoint\n']);
  const labelled = (await ok(['create', '-l', 'tier=web', '--name', 'labelled', 'busybox'])).trim();
  assert.match(labelled, /^[0-9a-f]{64}$/);
  assert.equal(await ok(['inspect', '-f', '{{.Config.Labels.tier}} {{.State.Status}}', 'labelled']), 'web created\n');
  assert.equal(await ok(['ps', '-a', '--filter', 'label=tier=web', '--format', 'table {{.Names}}\t{{.Label "tier"}}']), 'NAMES      tier\nlabelled   web\n');
  await ok(['rm', 'labelled']);
});

test('run failures: daemon errors exit 125, missing commands 127, non-executables 126', async () => {
  // (--pull never: a missing image would be pulled, from a registry that is not on loopback)
  const noImage = await berth(['run', '--rm', '--pull', 'never', 'nosuchimage']);
  assert.equal(noImage.code, 125);
  assert.match(noImage.stderr, /^berth: Error response from daemon: No such image: nosuchimage:latest\n\nRun 'berth run --help' for more information\n$/);
  const notFound = await berth(['run', '--name', 'notfound', 'busybox', 'nosuchcmd']);
  assert.equal(notFound.code, 127, notFound.stderr);
  const notExecutable = await berth(['run', '--name', 'notexec', 'busybox', '/etc/passwd']);
  assert.equal(notExecutable.code, 126, notExecutable.stderr);
  await ok(['rm', 'notfound', 'notexec']);
  const badFlag = await berth(['run', '--bogus', 'busybox']);
  assert.deepEqual([badFlag.code, badFlag.stderr], [
    125, "unknown flag: --bogus\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'berth run --help' for more information\n",
  ]);
});

test('run --rm: the exit status comes back and the container is gone, also when it cannot start', async () => {
  const r = await berth(['run', '--rm', '--name', 'gone', 'busybox', 'sh', '-c', 'exit 5']);
  assert.equal(r.code, 5);
  const failed = await berth(['run', '--rm', '--name', 'gone2', 'busybox', 'nosuchcmd'], { timeoutMs: 20_000 });
  assert.equal(failed.code, 127, failed.stderr);
  assert.equal(await ok(['ps', '-aq', '--filter', 'name=gone']), '');
});

test('detached container: ps, logs, exec, top, inspect, stop, wait, rename, rm', async () => {
  const id = (await ok(['run', '-d', '--name', 'web', 'busybox', 'sh', '-c', 'echo started; echo to-err >&2; while true; do sleep 1; done'])).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  const ps = (await ok(['ps'])).split('\n');
  assert.match(ps[0], /^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$/);
  assert.match(ps[1], new RegExp(`^${id.slice(0, 12)} +busybox +"sh -c 'echo started…" +.* ago +Up .* +web$`));
  assert.equal(await ok(['ps', '-q']), `${id.slice(0, 12)}\n`);
  assert.equal(await ok(['ps', '-q', '--no-trunc']), `${id}\n`);
  assert.equal(JSON.parse(await ok(['ps', '--format', 'json'])).Names, 'web');

  // Logs: the container writes its two lines at once; poll until both are there.
  let logs: CommandResult | undefined;
  for (let i = 0; i < 50 && !logs?.stderr; i++) logs = await berth(['logs', 'web']);
  assert.deepEqual([logs?.code, logs?.stdout, logs?.stderr], [0, 'started\n', 'to-err\n']);
  const stamped = await berth(['logs', '-t', '--tail', '1', 'web']);
  assert.deepEqual([stamped.code, stamped.stdout], [0, '']);
  assert.match(stamped.stderr, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z to-err\n$/);

  const ex = await berth(['exec', '-e', 'X=1', '-u', '1000', '-w', '/tmp', 'web', 'sh', '-c', 'echo $X; id -u; pwd; exit 4']);
  assert.deepEqual([ex.code, ex.stdout], [4, '1\n1000\n/tmp\n']);
  assert.equal(await ok(['exec', '-i', 'web', 'cat'], 'through exec\n'), 'through exec\n');
  assert.equal((await berth(['exec', '-t', 'web', 'tty'])).stdout, '/dev/pts/0\r\n');
  const missing = await berth(['exec', 'web', 'nosuchcmd']);
  assert.equal(missing.code, 126);

  assert.match((await ok(['top', 'web'])).split('\n')[0], /^UID +PID +PPID +C +STIME +TTY +TIME +CMD$/);
  assert.equal(await ok(['inspect', '-f', '{{.State.Status}} {{json .Config.Cmd}}', 'web']), 'running ["sh","-c","echo started; echo to-err >&2; while true; do sleep 1; done"]\n');
  assert.equal(JSON.parse(await ok(['container', 'inspect', 'web']))[0].Id, id);

  // sh as PID 1 ignores SIGTERM: stop falls back to SIGKILL after the timeout.
  assert.equal(await ok(['stop', '-t', '1', 'web']), 'web\n');
  assert.equal(await ok(['wait', 'web']), '137\n');
  assert.match(await ok(['ps', '-a', '--format', '{{.Names}}: {{.Status}}']), /^web: Exited \(137\) .* ago\n$/);
  assert.equal(await ok(['rename', 'web', 'web-old']), '');
  assert.equal(await ok(['rm', 'web-old']), 'web-old\n');
  const again = await berth(['rm', 'web-old']);
  assert.deepEqual([again.code, again.stderr], [1, 'Error response from daemon: No such container: web-old\n']);
  assert.equal((await berth(['rm', '-f', 'web-old'])).code, 0);
});

test('create, start -a, kill, restart', async () => {
  await ok(['create', '--name', 'job', 'busybox', 'sh', '-c', 'echo ran; exit 2']);
  const started = await berth(['start', '-a', 'job']);
  assert.deepEqual([started.code, started.stdout], [2, 'ran\n']);
  await ok(['rm', 'job']);
  await ok(['run', '-d', '--name', 'sleeper', 'busybox', 'sleep', '1000']);
  assert.equal(await ok(['restart', '-t', '0', 'sleeper']), 'sleeper\n');
  assert.equal(await ok(['inspect', '-f', '{{.State.Running}}', 'sleeper']), 'true\n');
  assert.equal(await ok(['kill', 'sleeper']), 'sleeper\n');
  assert.equal(await ok(['wait', 'sleeper']), '137\n');
  await ok(['rm', 'sleeper']);
});

test('attach: stdin in, output out, exit status of the container', async () => {
  await ok(['run', '-d', '-i', '--name', 'shell', 'busybox', 'sh']);
  // stdin stays open until berth exits: the daemon ends an attach whose stdin closed (docker's semantics).
  const child = spawn(process.execPath, [main, '-H', d.host, 'attach', 'shell'], { env: cleanEnv() });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const code = await new Promise<number | null>((resolve) => {
    child.on('close', resolve);
    setTimeout(() => child.stdin.write('echo attached; exit 6\n'), 300);
  });
  assert.deepEqual([code, out], [6, 'attached\n']);
  await ok(['rm', 'shell']);
  const stopped = await berth(['attach', 'nosuch']);
  assert.deepEqual([stopped.code, stopped.stderr], [1, 'Error response from daemon: No such container: nosuch\n']);
});

test('run forwards the signals berth receives to the container (--sig-proxy)', async () => {
  const script = 'trap "echo got TERM; exit 42" TERM; echo ready; while true; do sleep 0.1; done';
  const child = spawn(process.execPath, [main, '-H', d.host, 'run', '--rm', '--name', 'proxied', 'busybox', 'sh', '-c', script], { env: cleanEnv() });
  let out = '';
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  // Once the container has printed, berth is attached and forwarding.
  await new Promise<void>((resolve) => child.stdout.on('data', (c) => (out += c) && out.includes('ready') && resolve()));
  child.kill('SIGTERM');
  assert.deepEqual([await closed, out], [42, 'ready\ngot TERM\n']);
});

test('images, tag, history, rmi', async () => {
  assert.match(await ok(['images']), /^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE\nbusybox +latest +[0-9a-f]{12} +.* ago +\d+(\.\d+)?MB\n$/);
  assert.equal(await ok(['tag', 'busybox', 'me/box:v1']), '');
  try {
    assert.deepEqual((await ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).trim().split('\n').sort(), ['busybox:latest', 'me/box:v1']);
    const ids = (await ok(['images', '-q'])).trim().split('\n');
    assert.deepEqual([ids.length, ids[0] === ids[1]], [2, true]);
    assert.equal(await ok(['image', 'inspect', '-f', '{{.Config.Cmd}}', 'me/box:v1']), '[sh]\n');
    assert.match((await ok(['history', 'busybox'])).split('\n')[0], /^IMAGE +CREATED +CREATED BY +SIZE +COMMENT$/);
  } finally {
    assert.equal(await ok(['rmi', 'me/box:v1']), 'Untagged: me/box:v1\n');
  }
  const missing = await berth(['rmi', 'me/box:v1']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^Error response from daemon: No such image: me\/box:v1\n$/);
  assert.match(await ok(['import', '-m', 'from a file', '-c', 'ENV A=1', rootfsTar, 'imported:v1']), /^sha256:[0-9a-f]{64}\n$/);
  assert.equal(await ok(['inspect', '-f', '{{.Config.Env}} {{.Comment}}', 'imported:v1']), '[A=1] from a file\n');
  assert.match(await ok(['rmi', 'imported:v1']), /^Untagged: imported:v1\nDeleted: sha256:[0-9a-f]{64}\n/);
});

test('images REPOSITORY lists only the matching tags of an image', async () => {
  await ok(['tag', 'busybox', 'other/name:v2']);
  try {
    // The daemon answers a reference filter with only the matching RepoTags, as dockerd does.
    assert.equal(await ok(['images', 'other/name', '--format', '{{.Repository}}:{{.Tag}}']), 'other/name:v2\n');
  } finally {
    await ok(['rmi', 'other/name:v2']);
  }
});

test('save and load round trip, to a file and through a pipe', async () => {
  const archive = path.join(scratch, 'busybox.tar');
  assert.equal(await ok(['save', '-o', archive, 'busybox']), '');
  assert.ok((await stat(archive)).size > 1_000_000);
  const before = await ok(['images', '-q', '--no-trunc']);
  assert.equal(await ok(['ps', '-a', '--format', '{{.Names}} {{.Image}} {{.Status}}']), '', 'no container uses the image');
  assert.match(await ok(['rmi', 'busybox']), /^Untagged: busybox:latest\nDeleted: sha256:/);
  assert.equal(await ok(['images', '-q']), '');
  assert.equal(await ok(['load', '-i', archive]), 'Loaded image: busybox:latest\n');
  assert.equal(await ok(['images', '-q', '--no-trunc']), before);
  const cli = `${process.execPath} ${main} -H ${d.host}`;
  const piped = await runCommand('sh', ['-c', `${cli} save busybox | ${cli} load`], { env: cleanEnv() });
  assert.deepEqual([piped.code, piped.stdout], [0, 'Loaded image: busybox:latest\n']);
  const r = await berth(['run', '--rm', 'busybox', 'echo', 'loaded']);
  assert.deepEqual([r.code, r.stdout], [0, 'loaded\n']);
});

test('version, info and events', async () => {
  assert.match(await ok(['version']), /^Client:\n Version: +\S+\n API version: +1\.50\n[\s\S]*\nServer:.*\n Engine:\n  Version: +\S+\n/);
  assert.equal(await ok(['info', '--format', '{{.Images}}']), '1\n');
  const since = Math.floor(Date.now() / 1000) - 1;
  await ok(['run', '--rm', '--name', 'evented', 'busybox', 'true']);
  const events = await ok(['events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', 'container=evented']);
  const actions = events.trim().split('\n').map((line) => line.split(' ')[2]);
  for (const action of ['create', 'start', 'die']) assert.ok(actions.includes(action), `no ${action} event in:\n${events}`);
  assert.match(events.split('\n')[0], /^\S+T\S+ container create [0-9a-f]{64} \(.*name=evented.*\)$/);
});

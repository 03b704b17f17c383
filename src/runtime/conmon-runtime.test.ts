// The conmon runtime against real conmon + runc, as root, on a busybox rootfs in a temp directory.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isBerthError } from '../errors.js';
import { silentLogger } from '../util/logger.js';
import { createConmonRuntime } from './conmon-runtime.js';
import { collect, leftoverCgroups, listTree, makeTestBed, waitForOutput, type TestBed } from './busybox-fixture.js';
import { readLogs } from './log-reader.js';
import type { CreateOptions, Runtime } from './types.js';

const errorCode = (code: string) => (err: unknown) => isBerthError(err) && err.code === code;

describe('conmon runtime', () => {
  let bed: TestBed;
  let rt: Runtime;
  const ids = new Set<string>();

  before(async () => {
    bed = await makeTestBed();
    rt = createConmonRuntime({ execRoot: bed.execRoot, monitorCgroup: bed.cgroupsPath('monitors'), logger: silentLogger });
  });

  after(async () => {
    for (const id of ids) await rt.delete(id, true).catch(() => undefined);
    for (const dir of await leftoverCgroups(bed.cgroupsPath('monitors'))) await rmdir(dir).catch(() => undefined);
    await bed.cleanup();
  });

  async function create(id: string, args: string[], extra: Partial<CreateOptions> = {}): Promise<number> {
    ids.add(id);
    const terminal = extra.terminal ?? false;
    const st = await rt.create({
      id, bundle: await bed.bundle(id), spec: await bed.spec(id, args, { terminal }), logPath: bed.logPath(id),
      logSizeMax: 1024 * 1024, terminal, stdin: false, stdinOnce: false, ...extra,
    });
    assert.equal(st.status, 'created');
    assert.ok(st.pid > 0);
    return st.pid;
  }

  /** Deletes id and checks that nothing of it is left: state, files, cgroups, conmon's bundle files. */
  async function deleteAndCheck(id: string): Promise<void> {
    await rt.delete(id);
    ids.delete(id);
    assert.equal(await rt.state(id), undefined);
    assert.equal(await rt.monitorAlive(id), false);
    assert.deepEqual((await listTree(bed.execRoot)).filter((p) => p.includes(id)), []);
    assert.deepEqual(await leftoverCgroups(bed.cgroupsPath(id)), []);
    assert.deepEqual(await readdir(await bed.bundle(id)), ['config.json']);
  }

  test('runs echo: attach before start, output, exit status, logs, state', async () => {
    const pid = await create('echo', ['sh', '-c', 'echo hello; echo oops >&2']);
    assert.deepEqual(await rt.state('echo'), { status: 'created', pid });
    const output = collect(await rt.attach('echo'));
    await rt.start('echo');
    const status = await rt.waitExit('echo');
    assert.equal(status.exitCode, 0);
    assert.equal(status.oomKilled, false);
    assert.ok(Math.abs(status.exitedAt.getTime() - Date.now()) < 10_000);
    assert.deepEqual(await output, { stdout: 'hello\n', stderr: 'oops\n' });
    assert.deepEqual(await rt.readExit('echo'), status);
    assert.deepEqual(await rt.state('echo'), { status: 'stopped', pid: 0 });
    const lines = [];
    for await (const l of readLogs(bed.logPath('echo'), { follow: false, stdout: true, stderr: true, since: 0, until: 0 }, undefined, async () => false)) {
      lines.push(`${l.stream}:${l.data.toString()}`);
    }
    assert.deepEqual(lines, ['stdout:hello\n', 'stderr:oops\n']);
    await deleteAndCheck('echo');
  });

  test('conmon (also an exec session\'s) leaves berth\'s cgroup for the monitor cgroup in every hierarchy', async () => {
    const pid = await create('placed', ['sleep', '100']);
    const conmon = Number(await readFile(path.join(bed.execRoot, 'conmon', 'placed', 'conmon.pid'), 'utf8'));
    const cgroups = (p: number) => readFile(`/proc/${p}/cgroup`, 'utf8').then((t) => t.trim().split('\n').map((l) => l.split(':').slice(2).join(':')));
    assert.deepEqual([...new Set(await cgroups(conmon))], [bed.cgroupsPath('monitors')]);
    assert.ok((await cgroups(pid)).every((c) => c === bed.cgroupsPath('placed')), 'runc put the container in its own');
    // An exec session's conmon too (the exec'd process's parent, as conmon is its subreaper).
    await rt.start('placed');
    const session = await rt.exec('placed', {
      execId: 'x1', process: { user: { uid: 0, gid: 0 }, args: ['sleep', '100'], env: ['PATH=/bin'], cwd: '/' }, terminal: false, stdin: false,
    });
    const parent = Number(/^PPid:\s+(\d+)$/m.exec(await readFile(`/proc/${session.pid}/status`, 'utf8'))![1]);
    assert.deepEqual([...new Set(await cgroups(parent))], [bed.cgroupsPath('monitors')]);
    assert.ok((await cgroups(session.pid)).every((c) => c === bed.cgroupsPath('placed')), 'the exec\'d process is the container\'s');
    await rt.delete('placed', true);
    await session.exited;
    ids.delete('placed');
  });

  test('logs can be followed while conmon rotates them', async () => {
    const script = 'for i in $(seq 1 40); do echo line-$i-abcdefghijklmnopqrstuvwxyz; sleep 0.02; done';
    await create('chatty', ['sh', '-c', script], { logSizeMax: 1024 });
    await rt.start('chatty');
    const lines: string[] = [];
    const opts = { follow: true, stdout: true, stderr: true, since: 0, until: 0 };
    for await (const l of readLogs(bed.logPath('chatty'), opts, undefined, () => rt.monitorAlive('chatty'))) lines.push(l.data.toString().trim());
    assert.deepEqual(lines, Array.from({ length: 40 }, (_, i) => `line-${i + 1}-abcdefghijklmnopqrstuvwxyz`));
    assert.ok((await stat(bed.logPath('chatty'))).size <= 1024);
    assert.equal((await rt.waitExit('chatty')).exitCode, 0);
    await deleteAndCheck('chatty');
  });

  test('reports exit codes, 128+n for a signal', async () => {
    await create('exit3', ['sh', '-c', 'exit 3']);
    await rt.start('exit3');
    assert.equal((await rt.waitExit('exit3')).exitCode, 3);
    await deleteAndCheck('exit3');

    await create('killed', ['sleep', '1000']);
    await rt.start('killed');
    await rt.kill('killed', 9);
    assert.equal((await rt.waitExit('killed')).exitCode, 137);
    await deleteAndCheck('killed');
  });

  test('an out-of-memory kill is reported as such', async () => {
    const id = 'oom';
    ids.add(id);
    const spec = await bed.spec(id, ['sh', '-c', 'x=$(head -c 100000000 /dev/zero | tr "\\0" a); echo survived']);
    Object.assign(spec.linux.resources as object, { memory: { limit: 16 * 1024 * 1024, swap: 16 * 1024 * 1024 } });
    await rt.create({ id, bundle: await bed.bundle(id), spec, logPath: bed.logPath(id), logSizeMax: 0, terminal: false, stdin: false, stdinOnce: false });
    await rt.start(id);
    const status = await rt.waitExit(id);
    assert.equal(status.oomKilled, true);
    assert.notEqual(status.exitCode, 0);
    await deleteAndCheck(id);
  });

  test('round-trips stdin through attach, in packets conmon accepts', async () => {
    await create('cat', ['cat'], { stdin: true, stdinOnce: true });
    const a = await rt.attach('cat');
    assert.ok(a.stdin);
    const output = collect(a);
    await rt.start('cat');
    // 300 KiB of distinct lines: any packet conmon truncated or reordered would show.
    const input = Array.from({ length: 30_000 }, (_, i) => `line ${String(i).padStart(4, '0')}`).join('\n') + '\n';
    a.stdin.end(input);
    assert.equal((await output).stdout, input);
    assert.equal((await rt.waitExit('cat')).exitCode, 0);
    await deleteAndCheck('cat');
  });

  test('without stdinOnce, stdin stays open when an attached client goes away', async () => {
    await create('shared', ['cat'], { stdin: true, stdinOnce: false });
    await rt.start('shared');
    const first = await rt.attach('shared');
    const echoed = waitForOutput(first, 'one');
    first.stdin!.write('one\n');
    await echoed;
    first.close();
    const second = await rt.attach('shared');
    const again = waitForOutput(second, 'two');
    second.stdin!.write('two\n');
    await again;
    await rt.kill('shared', 'KILL');
    assert.equal((await rt.waitExit('shared')).exitCode, 137);
    await deleteAndCheck('shared');
  });

  test('a tty container: attach, resize, input and output through the pty', async () => {
    const script = 'while [ "$(stty size)" != "33 111" ]; do sleep 0.02; done; echo resized; read x; echo got:$x; exit 4';
    await create('tty', ['sh', '-c', script], { terminal: true, stdin: true, stdinOnce: true });
    const a = await rt.attach('tty');
    const output = collect(a);
    await rt.start('tty');
    await rt.resize('tty', 33, 111);
    await waitForOutput(a, 'resized');
    a.stdin!.write('hi\n');
    const status = await rt.waitExit('tty');
    assert.equal(status.exitCode, 4);
    const { stdout, stderr } = await output;
    assert.match(stdout, /resized\r\n/);
    assert.match(stdout, /got:hi\r\n/);
    assert.equal(stderr, '');
    await deleteAndCheck('tty');
  });

  test('exec without a tty: streams, stdin, exit code; a missing program is refused', async () => {
    await create('execbox', ['sleep', '1000']);
    await rt.start('execbox');
    const process = (args: string[]) => ({ user: { uid: 0, gid: 0 }, args, env: ['PATH=/bin'], cwd: '/' });

    const s1 = await rt.exec('execbox', { execId: 'e1', process: process(['sh', '-c', 'echo out; echo err >&2; exit 5']), terminal: false, stdin: false });
    assert.ok(s1.pid > 0);
    assert.equal(s1.attachment.stdin, undefined);
    const [out1, exit1] = await Promise.all([collect(s1.attachment), s1.exited]);
    assert.deepEqual(out1, { stdout: 'out\n', stderr: 'err\n' });
    assert.equal(exit1.exitCode, 5);

    const s2 = await rt.exec('execbox', { execId: 'e2', process: process(['cat']), terminal: false, stdin: true });
    const out2 = collect(s2.attachment);
    s2.attachment.stdin!.end('ping\n');
    assert.equal((await out2).stdout, 'ping\n');
    assert.equal((await s2.exited).exitCode, 0);

    await assert.rejects(
      rt.exec('execbox', { execId: 'e3', process: process(['/nonexistent']), terminal: false, stdin: false }),
      (err: unknown) => isBerthError(err, 'invalid_argument') && /nonexistent/.test(err.message),
    );
    // Finished sessions leave nothing behind.
    assert.deepEqual(await readdir(path.join(bed.execRoot, 'conmon', 'execbox', 'exec')), []);
    await rt.kill('execbox', 'SIGKILL');
    assert.equal((await rt.waitExit('execbox')).exitCode, 137);
    await deleteAndCheck('execbox');
  });

  test('exec with a tty: resize and input through the pty', async () => {
    await create('exectty', ['sleep', '1000']);
    await rt.start('exectty');
    const script = 'while [ "$(stty size)" != "12 34" ]; do sleep 0.02; done; echo resized; read x; echo got:$x; exit 6';
    const s = await rt.exec('exectty', {
      execId: 't1', process: { user: { uid: 0, gid: 0 }, args: ['sh', '-c', script], env: ['PATH=/bin'], cwd: '/' }, terminal: true, stdin: true,
    });
    const output = collect(s.attachment);
    await s.resize(12, 34);
    await waitForOutput(s.attachment, 'resized');
    s.attachment.stdin!.write('yo\n');
    assert.equal((await s.exited).exitCode, 6);
    assert.match((await output).stdout, /got:yo\r\n/);
    await rt.delete('exectty', true);
    ids.delete('exectty');
    assert.equal(await rt.state('exectty'), undefined);
  });

  test('kill delivers the signal; killing what is not running is an error', async () => {
    await create('trap', ['sh', '-c', 'trap "exit 42" TERM; echo ready; while :; do sleep 0.02; done']);
    const a = await rt.attach('trap');
    const ready = waitForOutput(a, 'ready');
    await rt.start('trap');
    await ready;
    assert.equal((await rt.state('trap'))?.status, 'running');
    await assert.rejects(rt.start('trap'), errorCode('conflict'));
    await rt.kill('trap', 'TERM');
    assert.equal((await rt.waitExit('trap')).exitCode, 42);
    await assert.rejects(rt.kill('trap', 'SIGKILL'), errorCode('conflict'));
    await assert.rejects(rt.start('trap'), errorCode('conflict'));
    await deleteAndCheck('trap');

    await assert.rejects(rt.kill('trap', 'SIGKILL'), errorCode('not_found'));
    await assert.rejects(rt.kill('never-created', 9), errorCode('not_found'));
    await assert.rejects(rt.kill('trap', 'NOT A SIGNAL'), errorCode('invalid_argument'));
  });

  test('delete refuses a running container unless forced; twice is fine', async () => {
    await create('busy', ['sleep', '1000']);
    await rt.start('busy');
    await assert.rejects(rt.delete('busy'), errorCode('conflict'));
    assert.equal(await rt.monitorAlive('busy'), true);
    await rt.delete('busy', true);
    ids.delete('busy');
    await rt.delete('busy', true);
    assert.equal(await rt.state('busy'), undefined);
    assert.equal(await rt.readExit('busy'), undefined);
    assert.deepEqual(await leftoverCgroups(bed.cgroupsPath('busy')), []);
    assert.deepEqual((await listTree(bed.execRoot)).filter((p) => p.includes('busy')), []);
  });

  test('a failed create is reported and leaves nothing behind', async () => {
    ids.add('nocmd');
    await assert.rejects(
      rt.create({
        id: 'nocmd', bundle: await bed.bundle('nocmd'), spec: await bed.spec('nocmd', ['/no/such/program']), logPath: bed.logPath('nocmd'),
        logSizeMax: 0, terminal: false, stdin: false, stdinOnce: false,
      }),
      (err: unknown) => isBerthError(err, 'invalid_argument') && err.message.includes('/no/such/program'),
    );
    ids.delete('nocmd');
    assert.deepEqual((await listTree(bed.execRoot)).filter((p) => p.includes('nocmd')), []);
    assert.deepEqual(await leftoverCgroups(bed.cgroupsPath('nocmd')), []);
    await assert.rejects(rt.attach('nocmd'), errorCode('not_found'));
  });

  test('waitExit can be aborted, and attach to an exited container is refused', async () => {
    await create('waiter', ['sleep', '1000']);
    await rt.start('waiter');
    const ac = new AbortController();
    const waiting = rt.waitExit('waiter', ac.signal);
    ac.abort(new Error('gave up'));
    await assert.rejects(waiting, /gave up/);
    await rt.kill('waiter', 'KILL', true);
    await rt.waitExit('waiter');
    await assert.rejects(rt.attach('waiter'), errorCode('conflict'));
    await assert.rejects(rt.resize('waiter', 10, 10), errorCode('conflict'));
    assert.deepEqual(await rt.pids('waiter'), []);
    await deleteAndCheck('waiter');
  });

  test('attaches through a bundle path longer than a socket address', async () => {
    const id = 'longpath';
    ids.add(id);
    const bundle = path.join(await bed.bundle(id), 'x'.repeat(60), 'y'.repeat(60));
    await mkdir(bundle, { recursive: true });
    await rt.create({
      id, bundle, spec: await bed.spec(id, ['sh', '-c', 'read x; echo got:$x']), logPath: bed.logPath(id), logSizeMax: 0,
      terminal: false, stdin: true, stdinOnce: true,
    });
    const a = await rt.attach(id);
    const output = collect(a);
    await rt.start(id);
    a.stdin!.end('far\n');
    assert.equal((await output).stdout, 'got:far\n');
    assert.equal((await rt.waitExit(id)).exitCode, 0);
    await rt.delete(id);
    ids.delete(id);
    assert.deepEqual(await readdir(bundle), ['config.json']);
    assert.ok((await stat(bundle)).isDirectory());
  });
});

// End-to-end harness: a real berthd in its own network and mount namespaces, driven by the real docker CLI.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, rmdir, readFile, writeFile } from 'node:fs/promises';
import { closeSync, existsSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { busyboxRootfsTar } from '../demo/busybox-rootfs.js';
import { cgroupMounts } from '../runtime/monitor-cgroup.js';

const run = promisify(execFile);
const daemonMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'daemon', 'main.js');

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Daemon {
  root: string;
  socket: string;
  host: string;
  /** Runs the docker CLI against this berthd. */
  docker(args: string[], opts?: { input?: string | Buffer; timeoutMs?: number; env?: Record<string, string> }): Promise<CommandResult>;
  /** Runs a command inside the daemon's namespaces (what containers and berthd see). */
  nsenter(args: string[]): Promise<CommandResult>;
  /** The command prefix that runs a program inside the daemon's namespaces (for long-running helpers). */
  wrap: string[];
  kill9(): Promise<void>;
  /** Stops berthd as a service manager does: every process left in its cgroup (cgroup2) is killed. */
  killGroup(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  logs(): Promise<string>;
}

function collect(child: ChildProcess, input?: string | Buffer, timeoutMs = 60_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code: code ?? (sig ? 128 : 1), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    // A command that exits without reading its input is not an error of the caller's.
    child.stdin?.on('error', () => undefined);
    if (child.stdin) child.stdin.end(input ?? '');
  });
}

export function runCommand(cmd: string, args: string[], opts: { input?: string | Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  return collect(spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] }), opts.input, opts.timeoutMs);
}

/** Starts berthd in fresh network and mount namespaces, with its own roots, socket and daemon.json. */
export async function startDaemon(opts: { args?: string[]; config?: Record<string, unknown> } = {}): Promise<Daemon> {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-e2e-'));
  await writeFile(path.join(root, 'daemon.json'), JSON.stringify(opts.config ?? {}));
  const socket = path.join(root, 'berth.sock');
  const host = `unix://${socket}`;
  // A holder process keeps the namespaces alive across berthd restarts.
  const holder = spawn('unshare', ['--net', '--mount', '--propagation', 'private', 'sleep', 'infinity'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 50));
  const ns = ['-t', String(holder.pid), '--net', '--mount'];
  await run('nsenter', [...ns, 'ip', 'link', 'set', 'lo', 'up']);
  let daemon: ChildProcess | undefined;
  const logFile = path.join(root, 'berthd.log');
  // berthd's own cgroup, as a service unit has: where systemd tracks its processes (the cgroup2 hierarchy).
  const unified = (await cgroupMounts()).find((m) => m.version === 2);
  const serviceCgroup = unified && path.join(unified.dir, path.basename(root));
  if (serviceCgroup) await mkdir(serviceCgroup);
  const serviceProcs = async () =>
    serviceCgroup ? (await readFile(path.join(serviceCgroup, 'cgroup.procs'), 'utf8')).split('\n').filter(Boolean).map(Number) : [];

  async function start(): Promise<void> {
    const args = ['--data-root', path.join(root, 'data'), '--exec-root', path.join(root, 'exec'), '-H', host,
      '--config-file', path.join(root, 'daemon.json'), '--log-level', 'debug', ...(opts.args ?? [])];
    const fd = openSync(logFile, 'a');
    // Run as berthd is installed: through its #! line, which carries its node flags.
    daemon = spawn('nsenter', [...ns, daemonMain, ...args], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    if (serviceCgroup) await writeFile(path.join(serviceCgroup, 'cgroup.procs'), String(daemon.pid));
    for (let i = 0; i < 200; i++) {
      if (existsSync(socket)) {
        const r = await runCommand('docker', ['-H', host, 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 5000 });
        if (r.code === 0) return;
      }
      if (daemon.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`berthd did not start:\n${await readFile(logFile, 'utf8')}`);
  }

  const exited = (p: ChildProcess) => (p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', r)));

  const d: Daemon = {
    root,
    socket,
    host,
    docker: (args, o = {}) =>
      runCommand('docker', args, { input: o.input, timeoutMs: o.timeoutMs, env: { ...process.env, DOCKER_HOST: host, ...o.env } }),
    nsenter: (args) => runCommand('nsenter', [...ns, ...args]),
    wrap: ['nsenter', ...ns],
    async kill9() {
      if (!daemon) return;
      daemon.kill('SIGKILL');
      await exited(daemon);
    },
    async killGroup() {
      if (!serviceCgroup) throw new Error('no cgroup2 hierarchy on this host');
      for (let pids = await serviceProcs(); pids.length > 0; pids = await serviceProcs()) {
        for (const pid of pids) process.kill(pid, 'SIGKILL');
        await new Promise((r) => setTimeout(r, 20));
      }
      if (daemon) await exited(daemon);
    },
    start,
    async stop() {
      if (daemon && daemon.exitCode === null) {
        const ids = (await d.docker(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
        if (ids.length) await d.docker(['rm', '-f', ...ids]);
        daemon.kill('SIGTERM');
        await exited(daemon);
      }
      holder.kill('SIGKILL');
      await exited(holder);
      if (serviceCgroup) await rmdir(serviceCgroup).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
    logs: () => readFile(logFile, 'utf8'),
  };
  try {
    await start();
  } catch (err) {
    holder.kill('SIGKILL');
    throw err;
  }
  return d;
}

/** Imports the busybox rootfs as an image named ref. */
export async function importBusybox(d: Daemon, ref = 'busybox:latest'): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of await busyboxRootfsTar()) chunks.push(c as Buffer);
  const r = await d.docker(['import', '--change', 'CMD ["sh"]', '-', ref], { input: Buffer.concat(chunks) });
  if (r.code !== 0) throw new Error(`docker import failed: ${r.stderr}`);
}

/** One berthd with busybox imported for the tests of a file: started before them, stopped after. */
export function useBusyboxDaemon(opts: Parameters<typeof startDaemon>[0] = {}): () => Daemon {
  let d: Daemon | undefined;
  before(async () => {
    d = await startDaemon(opts);
    await importBusybox(d);
  });
  after(async () => d?.stop());
  return () => {
    if (!d) throw new Error('the daemon is not started');
    return d;
  };
}

/** Asserts a command succeeded and returns its trimmed stdout. */
export function ok(r: CommandResult): string {
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

/** Asserts a command failed with a message matching `message` on stderr. */
export function fails(r: CommandResult, message: RegExp): void {
  assert.notEqual(r.code, 0, `expected a failure, got: ${r.stdout}`);
  assert.match(r.stderr, message);
}

/** Runs check until it stops throwing, for up to timeoutMs: for what berthd releases in the background. */
export async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

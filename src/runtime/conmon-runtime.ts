// The Runtime contract on conmon + runc: each container is watched by its own conmon, which outlives berthd,
// keeps its log, exit code and attach socket. Any runtime object with the same exec root can pick it up again.
import { access, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { replaceFile } from '../util/atomic-write.js';
import { createKeyedQueue } from '../util/keyed-queue.js';
import { BerthError, conflict, invalidArgument, isBerthError, isErrno, notFound } from '../errors.js';
import type { Logger } from '../util/logger.js';
import type { Attachment, CreateOptions, ExitStatus, Runtime, RuntimeState, RuntimeStatus } from './types.js';
import { createAttachment } from './attachment.js';
import { conmonArgs } from './conmon-args.js';
import { launchConmon } from './conmon-process.js';
import { cgroupMounts, moveToCgroup, type CgroupMount } from './monitor-cgroup.js';
import { startThroughExecFifo } from './exec-fifo.js';
import { startExecSession } from './exec-session.js';
import { createExitWatcher } from './exit-watcher.js';
import { createOciCli, defaultRuntimePath, ociError, runtimeErrorMessage } from './oci-cli.js';
import { processAlive, waitProcessGone } from './process-probe.js';
import { assertSafeId, runtimePaths } from './runtime-paths.js';
import { connectSeqpacket } from './seqpacket-socket.js';
import { resizeTerminal } from './terminal-control.js';

export interface ConmonRuntimeOptions {
  execRoot: string;
  /** runc, or crun on cgroup v2-only hosts, unless given. */
  runtimePath?: string;
  conmonPath?: string;
  /** The cgroup (e.g. "/berth/conmon") each container's conmon moves to, out of berthd's: see monitor-cgroup.ts. */
  monitorCgroup?: string;
  logger: Logger;
}

/** What a later runtime object needs to reach a container's conmon again. */
interface MonitorRecord {
  bundle: string;
  stdin: boolean;
}

/** Files conmon leaves in the bundle (attach socket, control fifos); config.json stays the caller's. */
const BUNDLE_LEFTOVERS = ['attach', 'ctl', 'winsz'];
/** How often a waiter checks that conmon is still there to write the exit file. */
const MONITOR_CHECK_MS = 1000;
/** How long delete waits for conmon to finish its last writes once the container is gone. */
const MONITOR_EXIT_TIMEOUT_MS = 10_000;

const SIGNAL = /^(?:\d{1,2}|(?:SIG)?[A-Z][A-Z0-9]*(?:[+-]\d+)?)$/;

export function createConmonRuntime(opts: ConmonRuntimeOptions): Runtime {
  const { logger } = opts;
  const paths = runtimePaths(opts.execRoot);
  const cli = createOciCli(opts.runtimePath ?? defaultRuntimePath(), paths.ociRoot);
  const conmonPath = opts.conmonPath ?? '/usr/bin/conmon';
  const exits = createExitWatcher(paths.exits, logger);
  let dirsReady: Promise<unknown> | undefined;
  const ensureDirs = () =>
    (dirsReady ??= Promise.all([
      mkdir(paths.exits, { recursive: true }),
      mkdir(paths.monitors, { recursive: true }),
      mkdir(paths.ociRoot, { recursive: true, mode: 0o700 }),
    ]).catch((err) => {
      dirsReady = undefined;
      throw err;
    }));

  async function readRecord(id: string): Promise<MonitorRecord> {
    assertSafeId(id);
    try {
      return JSON.parse(await readFile(paths.monitorFile(id, 'monitor.json'), 'utf8')) as MonitorRecord;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) throw notFound(`No such container: ${id}`);
      throw err;
    }
  }

  let mounts: Promise<CgroupMount[]> | undefined;
  /** Moves a conmon to the monitor cgroup; a host that will not is told about, not fatal. */
  async function placeMonitor(pid: number | undefined, id: string): Promise<void> {
    if (!opts.monitorCgroup || pid === undefined) return;
    try {
      await moveToCgroup(pid, opts.monitorCgroup, await (mounts ??= cgroupMounts()));
    } catch (err) {
      logger.warn('cannot move conmon out of berthd\'s cgroup: a service manager stopping berthd would stop it too', { id, err: String(err) });
    }
  }

  async function conmonPid(id: string): Promise<number | undefined> {
    const text = await readFile(paths.monitorFile(id, 'conmon.pid'), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : Number.parseInt(text, 10);
  }

  async function monitorAlive(id: string): Promise<boolean> {
    assertSafeId(id);
    const pid = await conmonPid(id);
    return pid !== undefined && processAlive(pid, id);
  }

  async function readExit(id: string): Promise<ExitStatus | undefined> {
    assertSafeId(id);
    const file = paths.exitFile(id);
    let text: string;
    let mtime: Date;
    let oomKilled: boolean;
    try {
      [text, { mtime }, oomKilled] = await Promise.all([
        readFile(file, 'utf8'),
        stat(file),
        access(paths.monitorFile(id, 'oom')).then(() => true, () => false),
      ]);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return undefined;
      throw err;
    }
    return { exitCode: Number.parseInt(text.trim(), 10), exitedAt: mtime, oomKilled };
  }

  /** Removes everything of id under the exec root, and conmon's files in its bundle. */
  async function removeState(id: string, bundle: string | undefined): Promise<void> {
    await Promise.all([
      rm(paths.monitor(id), { recursive: true, force: true }),
      rm(paths.exitFile(id), { force: true }),
      ...(bundle ? BUNDLE_LEFTOVERS.map((name) => rm(path.join(bundle, name), { force: true })) : []),
    ]);
  }

  async function remove(id: string, force = false, bundle?: string): Promise<void> {
    assertSafeId(id);
    const [record, pid] = await Promise.all([readRecord(id).catch(() => undefined), conmonPid(id)]);
    // Without a state directory the OCI runtime knows nothing of id: spare the spawn.
    if (existsSync(path.join(paths.ociRoot, id))) {
      try {
        await cli.run(force ? ['delete', '--force', id] : ['delete', id], id);
      } catch (err) {
        if (!isBerthError(err, 'not_found')) throw err;
      }
    }
    // conmon writes the exit file as its last act: wait for it, or it would reappear after the cleanup.
    if (pid !== undefined && !(await waitProcessGone(pid, id, MONITOR_EXIT_TIMEOUT_MS))) {
      logger.warn('conmon did not exit after its container was deleted; killing it', { id, pid });
      try {
        process.kill(pid, 'SIGKILL');
      } catch (err) {
        if (!isErrno(err, 'ESRCH')) throw err;
      }
    }
    await removeState(id, record?.bundle ?? bundle);
  }

  /** Deletes by id, one after another: a create of the id waits for them. */
  const deletes = createKeyedQueue();

  async function create(o: CreateOptions): Promise<RuntimeState> {
    const { id } = o;
    assertSafeId(id);
    await Promise.all([ensureDirs(), deletes.settled(id)]);
    const dir = paths.monitor(id);
    try {
      await mkdir(dir);
    } catch (err) {
      if (isErrno(err, 'EEXIST')) throw conflict(`container ${id} already exists in the runtime`);
      throw err;
    }
    const bundle = path.resolve(o.bundle);
    try {
      await Promise.all([
        rm(paths.exitFile(id), { force: true }), // a leftover would pass for this container's exit
        writeFile(path.join(bundle, 'config.json'), JSON.stringify(o.spec)),
        mkdir(path.dirname(path.resolve(o.logPath)), { recursive: true }),
      ]);
      const conmon = launchConmon({
        conmonPath,
        cwd: dir,
        exec: false,
        args: conmonArgs({
          id, sessionId: id, runtimePath: cli.path, runtimeArgs: cli.globalArgs, bundle,
          pidFile: paths.monitorFile(id, 'pidfile'), exitDir: paths.exits, log: `k8s-file:${path.resolve(o.logPath)}`,
          logSizeMax: o.logSizeMax, persistDir: dir, conmonPidFile: paths.monitorFile(id, 'conmon.pid'),
          terminal: o.terminal, stdin: o.stdin, leaveStdinOpen: o.stdin && !o.stdinOnce,
        }),
      });
      try {
        const record: MonitorRecord = { bundle, stdin: o.stdin };
        const [message] = await Promise.all([
          conmon.sync.next(),
          conmon.launched.then(async () => placeMonitor(await conmonPid(id), id)),
          replaceFile(paths.monitorFile(id, 'monitor.json'), JSON.stringify(record)),
        ]);
        if (!message) throw new BerthError('internal', `conmon exited without creating container ${id}`);
        if (message.data < 0) throw ociError('create', id, runtimeErrorMessage(message.message ?? '') || 'runtime create failed');
        return { status: 'created', pid: message.data };
      } finally {
        conmon.release();
      }
    } catch (err) {
      await remove(id, true, bundle).catch((e) => logger.warn('cleanup after failed create', { id, err: String(e) }));
      throw err;
    }
  }

  async function waitExit(id: string, signal?: AbortSignal): Promise<ExitStatus> {
    assertSafeId(id);
    await ensureDirs();
    return new Promise<ExitStatus>((resolve, reject) => {
      let settled = false;
      let checking = false;
      // A check asked for while one runs (the exit file may have appeared after it looked) runs right after it.
      let again: boolean | undefined;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        unsubscribe();
        clearInterval(timer);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const fail = (err: unknown) => finish(() => reject(err));
      const check = async (monitor: boolean): Promise<void> => {
        if (settled) return;
        if (checking) {
          again = (again ?? false) || monitor;
          return;
        }
        checking = true;
        try {
          let status = await readExit(id);
          // conmon writes the exit file before it exits: gone, and still no file after that, is final.
          const alive = status !== undefined || !monitor || (await monitorAlive(id));
          if (!alive) status = await readExit(id);
          if (status) finish(() => resolve(status!));
          else if (!alive) {
            const known = await stat(paths.monitor(id)).then(() => true, () => false);
            fail(known ? new BerthError('internal', `the monitor of container ${id} exited without recording an exit status`) : notFound(`No such container: ${id}`));
          }
        } catch (err) {
          fail(err);
        } finally {
          checking = false;
        }
        if (again !== undefined) {
          const monitorToo = again;
          again = undefined;
          return check(monitorToo);
        }
      };
      const onAbort = () => fail(signal!.reason);
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const unsubscribe = exits.subscribe(id, () => void check(false));
      const timer = setInterval(() => void check(true), MONITOR_CHECK_MS);
      timer.unref();
      void check(true); // the exit may have been recorded before the watch started
    });
  }

  return {
    create,
    async start(id) {
      assertSafeId(id);
      const initPid = Number.parseInt(await readFile(paths.monitorFile(id, 'pidfile'), 'utf8').catch(() => ''), 10);
      if (initPid > 0 && (await startThroughExecFifo(path.join(paths.ociRoot, id), initPid))) return;
      await cli.run(['start', id], id);
    },
    async kill(id, signal, all = false) {
      assertSafeId(id);
      const sig = String(signal).trim().toUpperCase();
      if (!SIGNAL.test(sig)) throw invalidArgument(`Invalid signal: ${signal}`);
      await cli.run(['kill', ...(all ? ['--all'] : []), id, sig], id);
    },
    delete: (id, force) => deletes.run(id, () => remove(id, force)),
    async list() {
      const ids = await Promise.all([paths.monitors, paths.ociRoot].map((dir) => readdir(dir).catch(() => [] as string[])));
      return [...new Set(ids.flat())];
    },
    async state(id) {
      assertSafeId(id);
      try {
        const st = JSON.parse(await cli.run(['state', id], id)) as { status: RuntimeStatus; pid: number };
        return { status: st.status, pid: st.pid };
      } catch (err) {
        if (isBerthError(err, 'not_found')) return undefined;
        throw err;
      }
    },
    async attach(id): Promise<Attachment> {
      const record = await readRecord(id);
      try {
        return createAttachment(connectSeqpacket(record.bundle, 'attach'), record.stdin);
      } catch (err) {
        if (['ENOENT', 'ECONNREFUSED', 'ENOTDIR'].some((code) => isErrno(err, code))) throw conflict(`Container ${id} is not running`);
        throw err;
      }
    },
    async resize(id, height, width) {
      const record = await readRecord(id);
      await resizeTerminal(record.bundle, height, width, `Container ${id}`);
    },
    readExit,
    waitExit,
    monitorAlive,
    exec: (id, execOpts) => startExecSession({ paths, cli, conmonPath, logger, placeMonitor: (pid) => placeMonitor(pid, id) }, id, execOpts),
    async pids(id) {
      assertSafeId(id);
      try {
        return (JSON.parse(await cli.run(['ps', '--format', 'json', id], id)) as number[] | null) ?? [];
      } catch (err) {
        if (isBerthError(err, 'conflict')) return [];
        throw err;
      }
    },
  };
}

// Start, stop, kill and exit handling: the runtime side of a container's life, and restoring it after a restart.
import { mkdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Container, ContainerState } from '../engine/types.js';
import type { ExitStatus } from '../runtime/types.js';
import { BerthError, invalidArgument, isBerthError } from '../errors.js';
import type { ContainerStore } from './types.js';
import type { ContainerEngineDeps } from './deps.js';
import { createAttachProxy, type AttachProxy } from './attach-proxy.js';
import { assertCanKill, assertCanStart, isRunning } from './state-machine.js';

export const zeroTime = '0001-01-01T00:00:00Z';

export interface Lifecycle {
  start(c: Container): Promise<void>;
  kill(c: Container, signal: string): Promise<void>;
  stop(c: Container, opts: { timeout?: number; signal?: string }): Promise<void>;
  /** Resolves after the next exit of c has been fully processed (state saved, rootfs unmounted). */
  nextExit(id: string, signal?: AbortSignal): Promise<ExitStatus>;
  pendingAttach(c: Container): AttachProxy;
  restore(c: Container): Promise<void>;
  bundle(id: string): string;
  /** Unmounts the root filesystem and deletes the bundle directory under the exec root. */
  releaseBundle(id: string): Promise<void>;
  /** Called after an exit has been processed (auto-remove and restart policies hook here). */
  onExited(fn: (c: Container, status: ExitStatus) => Promise<void>): void;
}

export function createLifecycle(deps: ContainerEngineDeps, store: ContainerStore): Lifecycle {
  const { runtime, events, logger } = deps;
  const exitWaiters = new Map<string, Set<(s: ExitStatus) => void>>();
  const pending = new Map<string, Set<AttachProxy>>();
  const exitHooks: ((c: Container, s: ExitStatus) => Promise<void>)[] = [];
  const bundle = (id: string) => path.join(deps.execRoot, 'containers', id);
  const rootfsOf = (id: string) => path.join(bundle(id), 'rootfs');

  const publish = (c: Container, action: string, extra: Record<string, string> = {}) =>
    events.publish({ type: 'container', action, actor: { id: c.id, attributes: { name: c.name, image: c.imageRef, ...c.spec.labels, ...extra } } });

  async function setState(c: Container, patch: Partial<ContainerState>): Promise<void> {
    c.state = { ...c.state, ...patch };
    await store.saveState(c);
  }

  function watchExit(c: Container): void {
    runtime.waitExit(c.id).then(
      (status) => handleExit(c.id, status),
      (err) => logger.error('waiting for container exit failed', { id: c.id, err: String(err) }),
    );
  }

  async function handleExit(id: string, status: ExitStatus): Promise<void> {
    const c = store.find(id);
    if (!c || !isRunning(c.state.status)) return;
    // The process is gone: its root filesystem and mounts are released before the exit is reported; its runtime
    // state and network in the background (a new start waits for them; what a crash leaves, restore releases).
    const warn = (what: string) => (err: unknown) => logger.warn(`releasing the ${what} failed`, { id, err: String(err) });
    deps.networking.release(c);
    void runtime.delete(id, true).catch(warn('runtime state'));
    await Promise.all([releaseBundle(id).catch(warn('bundle')), deps.mounts.release(c).catch(warn('mounts'))]);
    await setState(c, {
      status: 'exited', running: false, paused: false, restarting: false, pid: 0,
      exitCode: status.exitCode, oomKilled: status.oomKilled, finishedAt: status.exitedAt.toISOString(),
    });
    if (status.oomKilled) publish(c, 'oom');
    publish(c, 'die', { exitCode: String(status.exitCode) });
    const waiters = exitWaiters.get(id);
    exitWaiters.delete(id);
    for (const w of waiters ?? []) w(status);
    for (const hook of exitHooks) await hook(c, status).catch((err) => logger.warn('exit hook failed', { id, err: String(err) }));
  }

  function nextExit(id: string, signal?: AbortSignal): Promise<ExitStatus> {
    return new Promise((resolve, reject) => {
      let set = exitWaiters.get(id);
      if (!set) exitWaiters.set(id, (set = new Set()));
      const waiter = (s: ExitStatus) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(s);
      };
      const onAbort = () => {
        set!.delete(waiter);
        reject(signal!.reason);
      };
      set.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async function releaseBundle(id: string): Promise<void> {
    const rootfs = rootfsOf(id);
    await deps.rootfs.unmount(rootfs);
    // rmdir refuses a directory that is still a mount point: the container's files are never deleted through it.
    await rmdir(rootfs).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rm(bundle(id), { recursive: true, force: true });
  }

  async function start(c: Container): Promise<void> {
    assertCanStart(c.state.status, c.id);
    const rootfs = rootfsOf(c.id);
    await mkdir(rootfs, { recursive: true });
    await deps.rootfs.mount(c.id, rootfs);
    try {
      await deps.networking.createSandbox(c, (ref) => store.find(ref));
      const spec = await deps.buildSpec(c, rootfs, bundle(c.id), await deps.mounts.prepare(c, rootfs));
      // The runtime creates the container while its network is attached: it joins the namespace, which only
      // has to be complete when the process starts.
      const [created, attached] = await Promise.allSettled([
        runtime.create({
          id: c.id, bundle: bundle(c.id), spec, logPath: c.logPath, logSizeMax: deps.logSizeMax,
          terminal: c.spec.tty, stdin: c.spec.openStdin, stdinOnce: c.spec.stdinOnce,
        }),
        deps.networking.attach(c),
      ]);
      if (attached.status === 'rejected') throw attached.reason;
      if (created.status === 'rejected') throw created.reason;
      const st = created.value;
      await connectPending(c);
      await runtime.start(c.id);
      await setState(c, {
        status: 'running', running: true, paused: false, restarting: false, pid: st.pid, exitCode: 0, error: '',
        oomKilled: false, startedAt: new Date().toISOString(), finishedAt: zeroTime,
      });
    } catch (err) {
      await runtime.delete(c.id, true).catch(() => undefined);
      await releaseBundle(c.id).catch((e) => logger.warn('releasing the bundle failed', { id: c.id, err: String(e) }));
      await deps.mounts.release(c).catch((e) => logger.warn('releasing the mounts failed', { id: c.id, err: String(e) }));
      deps.networking.release(c);
      for (const p of pending.get(c.id) ?? []) p.fail();
      pending.delete(c.id);
      const message = err instanceof Error ? err.message : String(err);
      const notFound = /executable file not found|no such file or directory/i.test(message);
      await setState(c, { status: c.state.status === 'created' ? 'created' : 'exited', error: message, exitCode: notFound ? 127 : /permission denied/i.test(message) ? 126 : 128 });
      if (err instanceof BerthError) throw err;
      throw notFound ? invalidArgument(message) : new BerthError('internal', message, { cause: err });
    }
    publish(c, 'start');
    watchExit(c);
  }

  async function connectPending(c: Container): Promise<void> {
    const proxies = pending.get(c.id);
    pending.delete(c.id);
    for (const p of proxies ?? []) {
      if (!p.closed) p.connect(await runtime.attach(c.id));
    }
  }

  function pendingAttach(c: Container): AttachProxy {
    const proxy = createAttachProxy(c.spec.openStdin);
    let set = pending.get(c.id);
    if (!set) pending.set(c.id, (set = new Set()));
    set.add(proxy);
    return proxy;
  }

  async function kill(c: Container, signal: string): Promise<void> {
    assertCanKill(c.state.status, c.id);
    try {
      await runtime.kill(c.id, signal);
    } catch (err) {
      // The process exited before its exit was processed: to the caller it is simply not running.
      if (isBerthError(err, 'not_found')) assertCanKill('exited', c.id);
      throw err;
    }
    publish(c, 'kill', { signal });
  }

  async function stop(c: Container, opts: { timeout?: number; signal?: string }): Promise<void> {
    const signal = opts.signal || c.spec.stopSignal || 'SIGTERM';
    const timeout = opts.timeout ?? c.spec.stopTimeout ?? 10;
    const exited = nextExit(c.id);
    if (timeout !== 0) {
      await kill(c, signal);
      if (timeout < 0) return void (await exited);
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeout * 1000).unref());
      if ((await Promise.race([exited, timer])) !== 'timeout') return;
    }
    if (isRunning(c.state.status)) await kill(c, 'SIGKILL');
    await exited;
  }

  async function restore(c: Container): Promise<void> {
    if (!isRunning(c.state.status)) return;
    if (await runtime.monitorAlive(c.id)) {
      watchExit(c);
      return;
    }
    const status = (await runtime.readExit(c.id)) ?? { exitCode: 255, exitedAt: new Date(), oomKilled: false };
    await handleExit(c.id, status);
  }

  return {
    start, kill, stop, nextExit, pendingAttach, restore, bundle, releaseBundle,
    onExited: (fn) => void exitHooks.push(fn),
  };
}

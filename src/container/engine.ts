// The container engine: records, names and the lifecycle composed behind the ContainerEngine contract.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Container, ContainerEngine, ExecSpec, LogLine } from '../engine/types.js';
import type { ExitStatus, OciProcess } from '../runtime/types.js';
import { conflict, invalidArgument, isBerthError, notFound, notModified } from '../errors.js';
import { newId } from '../util/ids.js';
import { readLogs } from '../runtime/log-reader.js';
import type { ContainerEngineDeps } from './deps.js';
import { createContainerStore } from './container-store.js';
import { createLifecycle, zeroTime } from './lifecycle.js';
import { createExecManager } from './exec.js';
import { resolveProcess } from './resolve-config.js';
import { commitConfig } from './commit-config.js';
import { generateName } from './name-generator.js';
import { filterContainers } from './filter.js';
import { topProcesses } from './top.js';
import { hostnameFile, hostsFile, resolvConfFromHost } from './etc-files.js';
import { assertCanRemove, isRunning } from './state-machine.js';
import type { NetworkedContainers } from './network-engine.js';
import { createContainerFiles } from './container-files.js';
import { pruneContainers } from './prune.js';
import type { BerthMount } from '../volume/types.js';

export interface ContainerEngineInternals extends ContainerEngine, NetworkedContainers {
  /** Loads records and reconnects to containers that kept running while berthd was down. */
  restore(): Promise<void>;
  /** Image ids used by containers, for image removal checks. */
  usingImage(imageId: string): string | undefined;
  all(): Container[];
}

export function createContainerEngine(
  deps: ContainerEngineDeps & { buildExecProcess(c: Container, spec: ExecSpec, rootfs: string): Promise<OciProcess> },
): ContainerEngineInternals {
  const store = createContainerStore(path.join(deps.dataRoot, 'containers'), deps.logger);
  const life = createLifecycle(deps, store);
  const removeWaiters = new Map<string, Set<(last: ExitStatus) => void>>();
  const locks = new Map<string, Promise<unknown>>();
  const publish = (c: Container, action: string, extra: Record<string, string> = {}) =>
    deps.events.publish({ type: 'container', action, actor: { id: c.id, attributes: { name: c.name, image: c.imageRef, ...c.spec.labels, ...extra } } });
  const execs = createExecManager(
    deps.runtime,
    (c, spec) => deps.buildExecProcess(c, spec, path.join(life.bundle(c.id), 'rootfs')),
    (c, action) => publish(c, action),
  );

  /** Serialises state-changing operations on one container. */
  function locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = locks.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => undefined);
    locks.set(id, settled);
    void settled.then(() => locks.get(id) === settled && locks.delete(id));
    return next;
  }

  function find(ref: string): Container {
    const c = store.find(ref);
    if (!c) throw notFound(`No such container: ${ref}`);
    return c;
  }

  async function create(spec: Parameters<ContainerEngine['create']>[0]) {
    const id = newId();
    const name = spec.name?.replace(/^\//, '') || generateName((n) => store.find(n) !== undefined);
    const image = await deps.images.resolve(spec.image);
    const network = await deps.networking.prepare(spec, image.config.config ?? {}, (r) => store.find(r));
    spec = network.spec;
    const proc = resolveProcess(spec, image.config.config ?? {});
    store.reserveName(name, id);
    let mounts: BerthMount[] = [];
    try {
      mounts = await deps.mounts.create(id, spec, image.config.config ?? {}, (r) => store.find(r));
      const dir = store.dir(id);
      await mkdir(dir, { recursive: true });
      const hostname = spec.hostname || id.slice(0, 12);
      const c: Container = {
        id, name, created: new Date().toISOString(), imageRef: spec.image, imageId: image.id,
        spec: { ...spec, name, hostname }, ...proc,
        state: {
          status: 'created', running: false, paused: false, restarting: false, oomKilled: false, dead: false,
          pid: 0, exitCode: 0, error: '', startedAt: zeroTime, finishedAt: zeroTime,
        },
        restartCount: 0,
        logPath: path.join(dir, 'container.log'),
        hostnamePath: path.join(dir, 'hostname'),
        hostsPath: path.join(dir, 'hosts'),
        resolvConfPath: path.join(dir, 'resolv.conf'),
        rootfs: path.join(life.bundle(id), 'rootfs'),
        execIds: [],
        mounts,
      };
      await writeFile(c.hostnamePath, hostnameFile(hostname));
      await writeFile(c.hostsPath, hostsFile(hostname));
      await writeFile(c.resolvConfPath, await resolvConfFromHost());
      await deps.rootfs.prepare(image.id, id);
      await store.save(c);
      publish(c, 'create');
      return { id, warnings: network.warnings };
    } catch (err) {
      store.releaseName(name);
      await deps.mounts.remove(id, mounts, true).catch(() => undefined);
      await deps.rootfs.remove(id).catch(() => undefined);
      await store.remove(id).catch(() => undefined);
      throw err;
    }
  }

  async function remove(ref: string, opts: { force: boolean; volumes: boolean }) {
    const c = find(ref);
    await locked(c.id, async () => {
      assertCanRemove(c.state.status, c.name, opts.force);
      if (isRunning(c.state.status)) {
        const exited = life.nextExit(c.id);
        await deps.runtime.kill(c.id, 'SIGKILL').catch(() => undefined);
        await exited;
      }
      deps.networking.release(c);
      await life.releaseBundle(c.id);
      await deps.rootfs.remove(c.id);
      await store.remove(c.id);
      await deps.mounts.remove(c.id, c.mounts ?? [], opts.volumes).catch((err) => deps.logger.warn('removing volumes failed', { id: c.id, err: String(err) }));
      execs.drop(c.id);
      publish(c, 'destroy');
    });
    const waiters = removeWaiters.get(c.id);
    removeWaiters.delete(c.id);
    for (const w of waiters ?? []) w(lastExit(c));
  }

  life.onExited(async (c) => {
    if (c.spec.host.autoRemove) await remove(c.id, { force: true, volumes: true });
  });

  /** Resolves with the container's last exit status once it has been removed. */
  function waitRemoved(id: string, signal?: AbortSignal): Promise<ExitStatus> {
    return new Promise((resolve, reject) => {
      let set = removeWaiters.get(id);
      if (!set) removeWaiters.set(id, (set = new Set()));
      const w = (last: ExitStatus) => resolve(last);
      set.add(w);
      signal?.addEventListener('abort', () => {
        set!.delete(w);
        reject(signal.reason);
      }, { once: true });
    });
  }

  const lastExit = (c: Container): ExitStatus => ({
    exitCode: c.state.exitCode, oomKilled: c.state.oomKilled,
    exitedAt: new Date(c.state.finishedAt === zeroTime ? Date.now() : c.state.finishedAt),
  });

  const { sweep: sweepScratchRoots, ...files } = createContainerFiles({ execRoot: deps.execRoot, find, locked, rootfs: deps.rootfs, mounts: deps.mounts, publish, logger: deps.logger });

  const engine: ContainerEngineInternals = {
    ...files,
    create,
    get: async (ref) => find(ref),
    async list(filter) {
      const ancestors = new Map<string, string>();
      for (const ref of filter.filters.ancestor ?? []) {
        const image = await deps.images.resolve(ref).catch(() => undefined);
        if (image) ancestors.set(ref, image.id);
      }
      return filterContainers(store.all(), filter, (ref) => store.find(ref), (c, ref) => ancestors.get(ref) === c.imageId);
    },
    async start(ref) {
      const c = find(ref);
      try {
        await locked(c.id, () => life.start(c));
      } catch (err) {
        // Docker removes an auto-remove container whose start failed; `docker run --rm` waits for that.
        if (c.spec.host.autoRemove && !isBerthError(err, 'not_modified')) await remove(c.id, { force: true, volumes: true });
        throw err;
      }
    },
    stop: (ref, opts) => {
      const c = find(ref);
      return locked(c.id, async () => {
        if (!isRunning(c.state.status)) throw notModified(`Container ${c.id} is not running`);
        await life.stop(c, opts);
        publish(c, 'stop');
      });
    },
    kill: (ref, signal = 'SIGKILL') => { const c = find(ref); return locked(c.id, () => life.kill(c, signal)); },
    restart: (ref, opts) => {
      const c = find(ref);
      return locked(c.id, async () => {
        if (isRunning(c.state.status)) await life.stop(c, opts);
        await life.start(c);
        publish(c, 'restart');
      });
    },
    async wait(ref, condition, signal) {
      const c = find(ref);
      if (condition === 'removed') return waitRemoved(c.id, signal);
      if (condition === 'not-running' && !isRunning(c.state.status)) return lastExit(c);
      return life.nextExit(c.id, signal);
    },
    remove,
    connectNetwork: (ref, req) => {
      const c = find(ref);
      return locked(c.id, async () => {
        await deps.networking.connect(c, req);
        await store.save(c);
      });
    },
    disconnectNetwork: (ref, network, force) => {
      const c = find(ref);
      return locked(c.id, async () => {
        await deps.networking.disconnect(c, network, force);
        await store.save(c);
      });
    },
    async rename(ref, newName) {
      const c = find(ref);
      const name = newName.replace(/^\//, '');
      if (!name) throw invalidArgument('Neither old nor new names may be empty');
      if (name === c.name) throw invalidArgument(`Renaming a container with the same name as its current name`);
      store.reserveName(name, c.id);
      const old = c.name;
      c.name = name;
      c.spec.name = name;
      await deps.networking.rename(c);
      await store.save(c);
      store.releaseName(old);
      publish(c, 'rename', { oldName: `/${old}` });
    },
    async attach(ref) {
      const c = find(ref);
      if (c.state.status === 'running') return deps.runtime.attach(c.id);
      return life.pendingAttach(c).attachment;
    },
    async resize(ref, height, width) {
      const c = find(ref);
      if (c.state.status !== 'running') throw conflict(`Container ${c.id} is not running`);
      await deps.runtime.resize(c.id, height, width);
    },
    logs(ref, opts, signal): AsyncIterable<LogLine> {
      const c = find(ref);
      return readLogs(c.logPath, opts, signal, async () => isRunning(find(c.id).state.status));
    },
    async top(ref, psArgs) {
      const c = find(ref);
      if (c.state.status !== 'running') throw conflict(`Container ${c.id} is not running`);
      return topProcesses(await deps.runtime.pids(c.id), psArgs);
    },
    execCreate: async (ref, spec) => execs.create(find(ref), spec),
    execStart: (execId) => execs.start(execId, find),
    execResize: (execId, h, w) => execs.resize(execId, h, w),
    execInspect: async (execId) => execs.inspect(execId),
    async commit(ref, opts) {
      const c = find(ref);
      const image = await deps.images.resolve(c.imageId);
      const { id } = await deps.images.commit({
        parent: c.imageId,
        snapshotKey: c.id,
        config: commitConfig(c, image.config.config ?? {}, opts.config, opts.changes),
        createdBy: [c.path, ...c.args].join(' '),
        ref: opts.ref,
        comment: opts.comment,
        author: opts.author,
      });
      publish(c, 'commit', { comment: opts.comment ?? '', imageID: id, imageRef: opts.ref ?? '' });
      return { id };
    },
    prune: (filters) =>
      pruneContainers({
        all: () => store.all(), remove: (id) => remove(id, { force: false, volumes: false }), sizeRw: deps.rootfs.sizeRw,
        publish: deps.events.publish, logger: deps.logger,
      }, filters),
    async restore() {
      await sweepScratchRoots();
      for (const c of await store.load()) {
        await life.restore(c).catch((err) => deps.logger.error('restore failed', { id: c.id, err: String(err) }));
      }
      const running = (id: string) => isRunning(store.find(id)?.state.status ?? 'exited');
      await deps.networking.releaseStale(running);
      for (const id of (await deps.runtime.list()).filter((i) => !running(i))) {
        await deps.runtime.delete(id, true).catch((err) => deps.logger.error('releasing runtime state failed', { id, err: String(err) }));
      }
      await deps.mounts.restore(store.all()).catch((err) => deps.logger.error('restoring volume references failed', { err: String(err) }));
    },
    usingImage: (imageId) => store.all().find((c) => c.imageId === imageId)?.id,
    all: () => store.all(),
  };
  return engine;
}

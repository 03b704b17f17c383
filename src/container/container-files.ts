// The archive API (docker cp), export and diff over a container's files. A running container is reached
// through /proc/<pid>/root, which shows its volumes, binds and tmpfs as the container sees them; a stopped one
// has its root filesystem mounted at a scratch directory with its volumes and binds bound into it (Docker's
// MountVolumes), for as long as the operation (or the tar stream) lasts, under the container's lock.
import { mkdir, mkdtemp, readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Container, ContainerEngine } from '../engine/types.js';
import { BerthError } from '../errors.js';
import type { Logger } from '../util/logger.js';
import { archivePath, bindInRoot, exportRootfs, extractArchive, statPath, type Change, type RootBind } from '../fs/index.js';
import type { ContainerRootfs } from './deps.js';
import type { ContainerMounts } from './mount-hooks.js';
import { isRunning } from './state-machine.js';

export type ContainerFiles = Pick<ContainerEngine, 'statPath' | 'getArchive' | 'putArchive' | 'export' | 'changes'> & {
  /** Unmounts scratch roots left by a crash (at daemon start). */
  sweep(): Promise<void>;
};

export interface ContainerFilesDeps {
  execRoot: string;
  find(ref: string): Container;
  locked<T>(id: string, fn: () => Promise<T>): Promise<T>;
  rootfs: ContainerRootfs;
  mounts: ContainerMounts;
  publish(c: Container, action: string): void;
  logger: Logger;
}

interface Root {
  path: string;
  /** True when mounted for this operation: it must stay under the lock until closed. */
  scratch: boolean;
  close(): Promise<void>;
}

/** The files berth bind-mounts over the image's (they are not changes of the container). */
const etcFiles = (c: Container): [string, string][] => [
  ['/etc/hostname', c.hostnamePath],
  ['/etc/hosts', c.hostsPath],
  ['/etc/resolv.conf', c.resolvConfPath],
];

/** The mount covering a container path (the deepest), if any. */
function coveringMount(c: Container, p: string) {
  const covering = (c.mounts ?? []).filter((m) => p === m.target || p.startsWith(m.target === '/' ? '/' : `${m.target}/`));
  return covering.sort((a, b) => b.target.length - a.target.length)[0];
}

/** Docker's checks before extracting: nothing is written to a read-only root filesystem or volume. */
function assertWritable(c: Container, containerPath: string): void {
  const m = coveringMount(c, containerPath);
  if (m ? m.readonly : c.spec.host.readonlyRootfs) {
    throw new BerthError('forbidden', m ? 'mounted volume is marked read-only' : 'container rootfs is marked read-only');
  }
}

export function createContainerFiles(deps: ContainerFilesDeps): ContainerFiles {
  const scratchDir = path.join(deps.execRoot, 'archive');

  function etcBinds(c: Container): RootBind[] {
    const taken = new Set((c.mounts ?? []).map((m) => m.target));
    return etcFiles(c)
      .filter(([destination]) => !taken.has(destination))
      .map(([destination, source]) => ({ source, destination, readonly: c.spec.host.readonlyRootfs }));
  }

  /** withMounts: the container's view (volumes, binds); otherwise its root filesystem alone (export). */
  async function openRoot(c: Container, withMounts: boolean): Promise<Root> {
    if (isRunning(c.state.status) && c.state.pid > 0) {
      return { path: withMounts ? `/proc/${c.state.pid}/root` : c.rootfs, scratch: false, close: async () => undefined };
    }
    await mkdir(scratchDir, { recursive: true });
    const dir = await mkdtemp(path.join(scratchDir, `${c.id.slice(0, 12)}-`));
    let unbind = () => {};
    const close = async () => {
      unbind();
      await deps.rootfs.unmount(dir);
      await rmdir(dir);
    };
    try {
      await deps.rootfs.mount(c.id, dir);
      if (withMounts) unbind = await bindInRoot(dir, [...(await deps.mounts.rootBinds(c)), ...etcBinds(c)]);
    } catch (err) {
      await close().catch((e) => deps.logger.warn('releasing a scratch root failed', { dir, err: String(e) }));
      throw err;
    }
    return { path: dir, scratch: true, close };
  }

  /** Runs fn over the container's root under its lock; the root is released when fn settles. */
  function withRoot<T>(ref: string, withMounts: boolean, fn: (c: Container, root: string) => Promise<T>): Promise<T> {
    const c = deps.find(ref);
    return deps.locked(c.id, async () => {
      const root = await openRoot(c, withMounts);
      try {
        return await fn(c, root.path);
      } finally {
        await root.close();
      }
    });
  }

  /**
   * A stream made from the container's root. A scratch root stays mounted, and the lock held, until the stream
   * is consumed or destroyed; a running container's root needs neither.
   */
  function streamRoot<T extends { tar: Readable }>(ref: string, withMounts: boolean, make: (c: Container, root: string) => Promise<T>): Promise<T> {
    const c = deps.find(ref);
    return new Promise<T>((resolve, reject) => {
      deps
        .locked(c.id, async () => {
          const root = await openRoot(c, withMounts);
          let made: T;
          try {
            made = await make(c, root.path);
          } catch (err) {
            await root.close();
            throw err;
          }
          const out = new PassThrough();
          const piped = pipeline(made.tar, out).catch((err: unknown) => deps.logger.debug('container archive stream ended early', { id: c.id, err: String(err) }));
          const closed = once(out, 'close').catch(() => undefined);
          resolve({ ...made, tar: out });
          if (!root.scratch) return;
          await Promise.all([piped, closed]);
          await root.close().catch((err) => deps.logger.warn('releasing a scratch root failed', { id: c.id, err: String(err) }));
        })
        .catch(reject);
    });
  }

  return {
    statPath: (ref, p) => withRoot(ref, true, (_c, root) => statPath(root, p, { containerName: ref })),

    getArchive: (ref, p, signal) =>
      streamRoot(ref, true, async (c, root) => {
        const archive = await archivePath(root, p, { containerName: ref, logger: deps.logger, signal });
        deps.publish(c, 'archive-path');
        return archive;
      }),

    async putArchive(ref, p, archive, opts) {
      await withRoot(ref, true, async (c, root) => {
        await extractArchive(root, p, archive, {
          containerName: ref,
          noOverwriteDirNonDir: opts.noOverwriteDirNonDir,
          copyUIDGID: opts.copyUIDGID,
          user: c.user,
          signal: opts.signal,
          logger: deps.logger,
          checkDestination: (dest) => assertWritable(c, dest),
        });
        deps.publish(c, 'extract-to-dir');
      });
    },

    async export(ref, signal) {
      const { tar } = await streamRoot(ref, false, async (c, root) => {
        deps.publish(c, 'export');
        return { tar: exportRootfs(root, { logger: deps.logger, signal }) };
      });
      return tar;
    },

    async changes(ref) {
      const c = deps.find(ref);
      const hidden = new Set(etcFiles(c).map(([p]) => p));
      const all = await deps.rootfs.changes(c.id);
      const kept = all.filter((ch: Change) => !hidden.has(ch.Path));
      // Their mount points alone do not make /etc changed: Docker keeps them in a layer below the container's.
      const onlyMountPoints = kept.length !== all.length && !kept.some((ch) => ch.Path.startsWith('/etc/'));
      return onlyMountPoints ? kept.filter((ch) => ch.Path !== '/etc') : kept;
    },

    async sweep() {
      const left = await readdir(scratchDir).catch(() => [] as string[]);
      for (const name of left) {
        const dir = path.join(scratchDir, name);
        await deps.rootfs.unmount(dir);
        await rmdir(dir).catch((err) => deps.logger.warn('removing a scratch root failed', { dir, err: String(err) }));
      }
    },
  };
}

// Mounting what a snapshotter returns. The kernel takes at most one page of overlay options, so a long lowerdir
// list is mounted with paths relative to its parent directory, the process briefly chdir'ed there (mount(2)
// is synchronous and no other JavaScript runs in between).
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { createKeyedQueue } from '../util/keyed-queue.js';
import { MNT_DETACH, MS_BIND, MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_RDONLY, MS_REC, MS_REMOUNT, native } from '../util/native.js';
import type { Mount } from './types.js';

const flagOptions: Record<string, { set: number } | { clear: number }> = {
  ro: { set: MS_RDONLY },
  rw: { clear: MS_RDONLY },
  bind: { set: MS_BIND },
  rbind: { set: MS_BIND | MS_REC },
  nosuid: { set: MS_NOSUID },
  nodev: { set: MS_NODEV },
  noexec: { set: MS_NOEXEC },
};

/** mount(2) data must fit in a page, terminating NUL included. */
const maxData = 4095;

function parseOptions(options: string[]): { flags: number; data: string[] } {
  let flags = 0;
  const data: string[] = [];
  for (const o of options) {
    const f = flagOptions[o];
    if (!f) data.push(o);
    else if ('set' in f) flags |= f.set;
    else flags &= ~f.clear;
  }
  return { flags, data };
}

const pathOptions = ['lowerdir', 'upperdir', 'workdir'];

/** Rewrites overlay directory options relative to their common parent directory. */
export function relativeOverlayOptions(data: string[]): { cwd: string; data: string[] } | undefined {
  const dirs: string[] = [];
  for (const o of data) {
    const [k, v] = splitOption(o);
    if (pathOptions.includes(k)) dirs.push(...v.split(':'));
  }
  if (dirs.length === 0 || !dirs.every((d) => path.isAbsolute(d))) return undefined;
  let cwd = path.dirname(dirs[0]);
  while (!dirs.every((d) => d.startsWith(cwd + path.sep))) cwd = path.dirname(cwd);
  const rel = (d: string) => path.relative(cwd, d);
  return {
    cwd,
    data: data.map((o) => {
      const [k, v] = splitOption(o);
      return pathOptions.includes(k) ? `${k}=${v.split(':').map(rel).join(':')}` : o;
    }),
  };
}

function splitOption(o: string): [string, string] {
  const i = o.indexOf('=');
  return i < 0 ? [o, ''] : [o.slice(0, i), o.slice(i + 1)];
}

function mountOne(m: Mount, target: string): void {
  const { flags, data } = parseOptions(m.options);
  if (m.type === 'bind' || flags & MS_BIND) {
    native.mount(m.source, target, null, flags | MS_BIND, null);
    // Bind mounts ignore most flags on creation: read-only and friends need a remount.
    const extra = flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
    if (extra) native.mount(null, target, null, MS_REMOUNT | MS_BIND | extra, null);
    return;
  }
  let joined = data.join(',');
  if (Buffer.byteLength(joined) <= maxData) {
    native.mount(m.source, target, m.type, flags, joined || null);
    return;
  }
  const rel = relativeOverlayOptions(data);
  joined = rel ? rel.data.join(',') : joined;
  if (!rel || Buffer.byteLength(joined) > maxData) {
    throw new Error(`mount options for ${target} exceed ${maxData} bytes (too many layers)`);
  }
  const absTarget = path.resolve(target);
  const previous = process.cwd();
  process.chdir(rel.cwd);
  try {
    native.mount(m.source, absTarget, m.type, flags, joined);
  } finally {
    process.chdir(previous);
  }
}

/** Mounts each mount on target in order; on failure undoes the ones already done. */
export function mountAll(mounts: Mount[], target: string): void {
  let done = 0;
  try {
    for (const m of mounts) {
      mountOne(m, target);
      done++;
    }
  } catch (err) {
    for (; done > 0; done--) native.umount(target, MNT_DETACH);
    throw err;
  }
}

/** Unmounts everything mounted on target (stacked mounts included); a target that is no mount point is fine. */
export function unmountAll(target: string): void {
  for (;;) {
    try {
      native.umount(target, 0);
    } catch (err) {
      if (isErrno(err, 'EINVAL') || isErrno(err, 'ENOENT')) return;
      if (!isErrno(err, 'EBUSY')) throw err;
      native.umount(target, MNT_DETACH);
    }
  }
}

export interface Mounter {
  mount(mounts: Mount[], target: string): Promise<void>;
  /** Returns once nothing is mounted on target; the filesystem's final flush may still be under way. */
  unmount(target: string): Promise<void>;
}

/**
 * Unmounting overlayfs syncs its whole upper filesystem: tens of milliseconds while anything else writes to it.
 * A descriptor opened first keeps the filesystem alive while its mount is detached; closing it, on a thread-pool
 * thread, does the flush. A later mount on the same target waits for it.
 */
export function createMounter(): Mounter {
  const flushes = createKeyedQueue();
  return {
    async mount(mounts, target) {
      await flushes.settled(target);
      mountAll(mounts, target);
    },
    async unmount(target) {
      let held: FileHandle;
      try {
        held = await open(target, 'r');
      } catch (err) {
        if (isErrno(err, 'ENOENT')) return;
        throw err;
      }
      try {
        unmountAll(target);
      } finally {
        // A close that fails leaves nothing to wait for: the next mount on target goes on.
        flushes.run(target, () => held.close()).catch(() => undefined);
      }
    },
  };
}

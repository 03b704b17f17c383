// Docker's MountVolumes for the archive API on a container that is not running: the container's volumes and
// binds are bind-mounted at their places inside its root directory (resolved in the root, created when
// missing) so that cp reads and writes them, and unmounted afterwards. For a running container use
// /proc/<pid>/root as the root instead: it already shows the container's mounts.
import { lstat, open } from 'node:fs/promises';
import { constants as fsc } from 'node:fs';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { native, MS_BIND, MS_REC, MS_PRIVATE, MS_REMOUNT, MS_RDONLY, MNT_DETACH } from '../util/native.js';
import { resolveInRoot, assertInRoot } from './resolve-in-root.js';
import { mkdirAllInRoot } from './tar-extract.js';

export interface RootBind {
  /** Host path (a volume's _data, a bind source). */
  source: string;
  /** Container path. */
  destination: string;
  readonly: boolean;
}

/** Mounts binds (parents first) and returns the function that unmounts them all. */
export async function bindInRoot(root: string, binds: RootBind[]): Promise<() => void> {
  const mounted: string[] = [];
  const undo = () => {
    for (const target of mounted.reverse()) native.umount(target, MNT_DETACH);
  };
  try {
    const ordered = [...binds].sort((a, b) => a.destination.split('/').length - b.destination.split('/').length);
    for (const b of ordered) {
      const target = await mountPoint(root, b);
      native.mount(b.source, target, null, MS_BIND | MS_REC, null);
      mounted.push(target);
      // Private: unmounting it later must not propagate to the mount it came from.
      native.mount(null, target, null, MS_PRIVATE | MS_REC, null);
      if (b.readonly) native.mount(null, target, null, MS_BIND | MS_REMOUNT | MS_RDONLY, null);
    }
  } catch (err) {
    undo();
    throw err;
  }
  return undo;
}

/** The destination's host path, created as a directory or an empty file like the source. */
async function mountPoint(root: string, b: RootBind): Promise<string> {
  const target = await resolveInRoot(root, b.destination);
  const exists = await lstat(target).then(
    () => true,
    (err: unknown) => {
      if (isErrno(err, 'ENOENT')) return false;
      throw err;
    },
  );
  if (!exists) {
    if ((await lstat(b.source)).isDirectory()) {
      await mkdirAllInRoot(root, b.destination);
    } else {
      await mkdirAllInRoot(root, path.posix.dirname(b.destination));
      await (await open(target, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o644)).close();
    }
  }
  const resolved = await resolveInRoot(root, b.destination);
  await assertInRoot(root, resolved);
  return resolved;
}

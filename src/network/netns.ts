// Network namespaces pinned by a bind mount on a file, so they exist before runc starts the container
// (runc joins them through the OCI spec's network namespace path) and outlive berthd.
import { mkdir, open, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import { conflict, isErrno } from '../errors.js';
import { MNT_DETACH, MS_BIND, MS_REC, native } from '../util/native.js';
import { runChecked } from '../util/run.js';

const MS_SHARED = 1 << 20;
const NSFS_MAGIC = 0x6e736673;

/**
 * Makes dir a shared mount point, as `ip netns` does with /run/netns: unmounting a namespace file then
 * propagates to mount namespaces copied from this one, so no copy keeps a namespace alive.
 */
async function ensureSharedMountPoint(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o711 });
  try {
    native.mount('none', dir, null, MS_SHARED | MS_REC, null);
  } catch (err) {
    if (!isErrno(err, 'EINVAL')) throw err;
    native.mount(dir, dir, null, MS_BIND | MS_REC, null);
    native.mount('none', dir, null, MS_SHARED | MS_REC, null);
  }
}

export async function isNetnsMount(file: string): Promise<boolean> {
  try {
    return (await statfs(file)).type === NSFS_MAGIC;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
}

/**
 * Creates a new network namespace pinned at file (its directory becomes a shared mount point), with its
 * loopback interface up: the only interface a namespace starts with, brought up as the loopback plugin would.
 */
export async function createNetns(file: string): Promise<string> {
  await ensureSharedMountPoint(path.dirname(file));
  if (await isNetnsMount(file)) throw conflict(`network namespace ${file} already exists`);
  await (await open(file, 'a', 0o444)).close();
  try {
    await runChecked('unshare', [`--net=${file}`, 'ip', 'link', 'set', 'lo', 'up']);
  } catch (err) {
    await unlink(file).catch(() => {});
    throw err;
  }
  return file;
}

/** Unpins and deletes the namespace file; the namespace goes away with its last user. Idempotent. */
export async function removeNetns(file: string): Promise<void> {
  while (await isNetnsMount(file)) {
    try {
      native.umount(file, MNT_DETACH);
    } catch (err) {
      if (isErrno(err, 'EINVAL') || isErrno(err, 'ENOENT')) break;
      throw err;
    }
  }
  await unlink(file).catch((err: unknown) => {
    if (!isErrno(err, 'ENOENT')) throw err;
  });
}

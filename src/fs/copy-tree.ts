// cp -a of a directory tree onto an existing directory: owners, modes, timestamps, extended attributes,
// symlinks, hard links, devices and fifos are preserved; the top directory's own attributes are copied too
// (Docker copies them when it fills a new volume from the image).
import { lstat, readdir, readlink, mkdir, symlink, link, copyFile, lchown, chmod, lutimes, rm } from 'node:fs/promises';
import { constants as fsc, type Stats } from 'node:fs';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { native } from '../util/native.js';
import type { Logger } from '../util/logger.js';
import { devMajor, devMinor } from '../archive/device.js';

export interface CopyTreeOptions {
  logger?: Logger;
  signal?: AbortSignal;
}

/** Copies the content and attributes of directory src onto directory dst (which exists). */
export async function copyTree(src: string, dst: string, opts: CopyTreeOptions = {}): Promise<void> {
  const links = new Map<string, string>(); // dev:ino of multiply-linked files → first copy
  const dirTimes: { dst: string; st: Stats }[] = [];

  const copyEntry = async (from: string, to: string, st: Stats): Promise<void> => {
    opts.signal?.throwIfAborted();
    const existing = await lstat(to).catch((err: unknown) => {
      if (isErrno(err, 'ENOENT')) return undefined;
      throw err;
    });
    if (existing && !(existing.isDirectory() && st.isDirectory())) await rm(to, { recursive: true, force: true });

    if (st.isDirectory()) {
      if (!existing) await mkdir(to, 0o700);
      for (const name of await readdir(from)) {
        const childSt = await lstat(path.join(from, name));
        await copyEntry(path.join(from, name), path.join(to, name), childSt);
      }
      dirTimes.push({ dst: to, st });
    } else if (st.isSymbolicLink()) {
      await symlink(await readlink(from), to);
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? links.get(key) : undefined;
      if (first !== undefined) {
        await link(first, to);
        return;
      }
      if (st.nlink > 1) links.set(key, to);
      await copyFile(from, to, fsc.COPYFILE_FICLONE);
    } else if (st.isCharacterDevice() || st.isBlockDevice() || st.isFIFO()) {
      const rdev = BigInt(st.rdev);
      native.mknod(to, st.mode, devMajor(rdev), devMinor(rdev));
    } else {
      opts.logger?.debug('copy: skipping socket', { path: from });
      return;
    }
    await copyAttributes(from, to, st, opts.logger);
  };

  await copyEntry(src, dst, await lstat(src));
  // Directory times last: filling them changed them.
  for (const { dst: dir, st } of dirTimes.reverse()) await lutimes(dir, st.atime, st.mtime);
}

async function copyAttributes(from: string, to: string, st: Stats, logger?: Logger): Promise<void> {
  await lchown(to, st.uid, st.gid);
  for (const name of native.llistxattr(from)) {
    const value = native.lgetxattr(from, name);
    if (value === null) continue;
    try {
      native.lsetxattr(to, name, value);
    } catch (err) {
      if (!isErrno(err, 'ENOTSUP') && !isErrno(err, 'EPERM')) throw err;
      logger?.debug('copy: xattr not supported', { path: to, name });
    }
  }
  if (st.isSymbolicLink()) {
    await lutimes(to, st.atime, st.mtime);
    return;
  }
  await chmod(to, st.mode & 0o7777);
  if (!st.isDirectory()) await lutimes(to, st.atime, st.mtime);
}

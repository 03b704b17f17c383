// PUT /containers/{id}/archive: unpacks a tar into a directory of the container, Docker's Unpack semantics,
// with every entry resolved inside the root. `..` entries that leave the destination are refused, absolute
// names are taken relative to it, and a symlink (already there or created by an earlier entry) is followed
// only within the root, so nothing outside the root is ever written.
import { PassThrough, type Readable } from 'node:stream';
import { lstat, mkdir, open, rm, symlink, link, lchown, lutimes, chmod, type FileHandle } from 'node:fs/promises';
import { constants as fsc } from 'node:fs';
import path from 'node:path';
import { invalidArgument, isErrno } from '../errors.js';
import { native } from '../util/native.js';
import type { Logger } from '../util/logger.js';
import { readTar } from '../archive/tar-stream.js';
import type { TarHeader } from '../archive/tar-header.js';
import { resolveInRoot, resolveInRootNoFollow, containerPathOf, assertInRoot } from './resolve-in-root.js';
import { goClean, archivePathError } from './path-stat.js';
import { lookupUser } from './container-user.js';
import type { ExtractOptions } from './types.js';

interface Context {
  root: string;
  dest: string; // absolute container path of the extraction point
  owner?: { uid: number; gid: number };
  noOverwriteDirNonDir: boolean;
  dirTimes: { hostPath: string; time: Date }[];
  /** Container directory → host directory, for the entries that follow (see parentDir). */
  parents: Map<string, string>;
  logger?: Logger;
}

/** Extracts `archive` (uncompressed tar) into the existing directory `containerPath` of the container at root. */
export async function extractArchive(
  root: string,
  containerPath: string,
  archive: Readable,
  opts: ExtractOptions & { logger?: Logger } = {},
): Promise<void> {
  const absPath = goClean('/' + containerPath);
  const destHost = await resolveInRoot(root, absPath);
  let isDir: boolean;
  try {
    isDir = (await lstat(destHost)).isDirectory();
  } catch (err) {
    throw archivePathError(err, absPath, opts.containerName);
  }
  if (!isDir) throw invalidArgument('extraction point is not a directory');
  const dest = containerPathOf(root, destHost);
  await opts.checkDestination?.(dest);
  const owner = opts.copyUIDGID && opts.user ? await lookupUser(root, opts.user) : undefined;
  const ctx: Context = {
    root,
    dest,
    owner,
    noOverwriteDirNonDir: opts.noOverwriteDirNonDir ?? false,
    dirTimes: [],
    parents: new Map(),
    logger: opts.logger,
  };

  opts.signal?.throwIfAborted();
  // Piped, not pipeline()d: on failure the archive is only unpiped, so that an HTTP request body stays
  // usable for the error response (the caller drains or destroys it).
  const input = new PassThrough();
  const fail = (err: unknown) => input.destroy(err as Error);
  const abort = () => fail(opts.signal?.reason);
  archive.on('error', fail);
  opts.signal?.addEventListener('abort', abort, { once: true });
  archive.pipe(input);
  try {
    for await (const { header, body } of readTar(input)) await applyEntry(ctx, header, body);
  } finally {
    archive.unpipe(input);
    input.destroy();
    archive.off('error', fail);
    opts.signal?.removeEventListener('abort', abort);
  }
  // Directory times last: creating their children changed them.
  for (const { hostPath, time } of ctx.dirTimes) {
    await lutimes(hostPath, time, time).catch((err: unknown) => {
      if (!isErrno(err, 'ENOENT')) throw err;
    });
  }
}

/** A name of the archive as a path below the destination; refuses names that climb out of it. */
function entryPath(ctx: Context, name: string, what: string): string {
  const clean = goClean(name);
  if (clean === '..' || clean.startsWith('../')) {
    throw invalidArgument(`${what} ${JSON.stringify(name)} is outside of ${JSON.stringify(ctx.dest)}`);
  }
  return path.posix.join(ctx.dest, clean);
}

/** Applies one entry; its body, when not read here, is skipped by readTar. */
async function applyEntry(ctx: Context, header: TarHeader, body: AsyncIterable<Buffer>): Promise<void> {
  const target = entryPath(ctx, header.name, 'entry');
  const isDir = header.type === 'directory';
  if (target === ctx.dest) {
    if (isDir) return;
    throw invalidArgument(`cannot replace the extraction point ${ctx.dest} with ${JSON.stringify(header.name)}`);
  }
  const hostPath = path.join(await parentDir(ctx, path.posix.dirname(target)), path.posix.basename(target));
  const uid = ctx.owner?.uid ?? header.uid;
  const gid = ctx.owner?.gid ?? header.gid;
  const mode = header.mode & 0o7777;
  const mtime = new Date(header.mtime * 1000);
  const create = <T>(make: () => Promise<T>) => createNode(ctx, hostPath, target, isDir, make);

  switch (header.type) {
    case 'file': {
      const fh = (await create(() => open(hostPath, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o600)))!;
      try {
        for await (const chunk of body) await fh.write(chunk);
        await setOwnerAndMode(fh, uid, gid, mode, hostPath, header, ctx);
        await fh.utimes(mtime, mtime);
      } finally {
        await fh.close();
      }
      return;
    }
    case 'directory': {
      await create(() => mkdir(hostPath, 0o700));
      const fh = await open(hostPath, fsc.O_RDONLY | fsc.O_DIRECTORY | fsc.O_NOFOLLOW);
      try {
        await setOwnerAndMode(fh, uid, gid, mode, hostPath, header, ctx);
      } finally {
        await fh.close();
      }
      ctx.dirTimes.push({ hostPath, time: mtime });
      return;
    }
    case 'symlink':
      await create(() => symlink(header.linkname, hostPath));
      ctx.parents.clear(); // paths through this name now lead elsewhere
      await lchown(hostPath, uid, gid);
      setXattrs(hostPath, header, ctx);
      await lutimes(hostPath, mtime, mtime);
      return;
    case 'link': {
      const source = await resolveInRootNoFollow(ctx.root, entryPath(ctx, header.linkname, 'hard link target'));
      await create(() => link(source, hostPath));
      return;
    }
    case 'char':
    case 'block':
    case 'fifo': {
      const kind = header.type === 'fifo' ? fsc.S_IFIFO : header.type === 'block' ? fsc.S_IFBLK : fsc.S_IFCHR;
      await create(async () => native.mknod(hostPath, kind | mode, header.devmajor, header.devminor));
      await lchown(hostPath, uid, gid);
      setXattrs(hostPath, header, ctx);
      await chmod(hostPath, mode);
      await lutimes(hostPath, mtime, mtime);
      return;
    }
  }
}

/**
 * The host directory for a container directory of the archive, created if missing. Cached for the archive's
 * next entries until an entry creates a symlink or replaces something (both can change where a path leads).
 */
async function parentDir(ctx: Context, containerDir: string): Promise<string> {
  const cached = ctx.parents.get(containerDir);
  if (cached !== undefined) return cached;
  const host = await mkdirAllInRoot(ctx.root, containerDir);
  await assertInRoot(ctx.root, host);
  ctx.parents.set(containerDir, host);
  return host;
}

/**
 * Runs make (which fails with EEXIST when something is in the way); when something is, applies Docker's rules:
 * a directory over a directory merges (make is skipped, undefined returned), anything else replaces it unless
 * noOverwriteDirNonDir forbids a directory/non-directory swap.
 */
async function createNode<T>(ctx: Context, hostPath: string, target: string, isDir: boolean, make: () => Promise<T>): Promise<T | undefined> {
  try {
    return await make();
  } catch (err) {
    if (!isErrno(err, 'EEXIST')) throw err;
  }
  const existing = await lstat(hostPath);
  if (ctx.noOverwriteDirNonDir && existing.isDirectory() && !isDir) {
    throw invalidArgument(`cannot overwrite directory ${JSON.stringify(target)} with non-directory ${JSON.stringify(ctx.dest)}`);
  }
  if (ctx.noOverwriteDirNonDir && !existing.isDirectory() && isDir) {
    throw invalidArgument(`cannot overwrite non-directory ${JSON.stringify(target)} with directory ${JSON.stringify(ctx.dest)}`);
  }
  if (existing.isDirectory() && isDir) return undefined;
  await rm(hostPath, { recursive: true, force: true });
  ctx.parents.clear();
  return make();
}

/** Owner before mode: chown clears the set-id bits. */
async function setOwnerAndMode(
  fh: FileHandle,
  uid: number,
  gid: number,
  mode: number,
  hostPath: string,
  header: TarHeader,
  ctx: Context,
): Promise<void> {
  await fh.chown(uid, gid);
  setXattrs(hostPath, header, ctx);
  await fh.chmod(mode);
}

/** Extended attributes from PAX SCHILY.xattr records, byte for byte; those the filesystem refuses are skipped. */
function setXattrs(hostPath: string, header: TarHeader, ctx: Context): void {
  for (const [name, value] of Object.entries(header.xattrs)) {
    try {
      native.lsetxattr(hostPath, name, value);
    } catch (err) {
      if (!isErrno(err, 'ENOTSUP') && !isErrno(err, 'EPERM')) throw err;
      ctx.logger?.warn('archive: xattr not supported here', { path: hostPath, name });
    }
  }
}

/**
 * mkdir -p of a container path, each component resolved in the root (so a symlink met on the way, even one
 * an earlier entry created, is followed inside the root). Created directories are 0755 and owned by root,
 * as Docker's implied directories. Returns the host path of the directory.
 */
export async function mkdirAllInRoot(root: string, containerDir: string): Promise<string> {
  const host = await resolveInRoot(root, containerDir);
  const st = await lstat(host).catch((err: unknown) => {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  });
  if (st?.isDirectory()) return host;
  if (st) throw invalidArgument(`${containerDir} is not a directory`);
  // host has no symlink left in it: its parent is a plain container path to create first.
  const resolved = containerPathOf(root, host);
  await mkdirAllInRoot(root, path.posix.dirname(resolved));
  await mkdir(host, 0o755).catch((err: unknown) => {
    if (!isErrno(err, 'EEXIST')) throw err;
  });
  return mkdirAllInRoot(root, resolved);
}

// Streams a directory tree (or a single file) as a tar, the way Docker's TarWithOptions does: depth first,
// names sorted, owners/modes/mtimes (seconds) kept, symlinks as links, hard links after their first name,
// devices and fifos as such, sockets skipped, security.capability kept. Nothing is followed: every entry is
// lstat'ed.
import { Readable } from 'node:stream';
import { lstat, readdir, readlink, open } from 'node:fs/promises';
import { constants as fsc, type BigIntStats } from 'node:fs';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { native } from '../util/native.js';
import { devMajor, devMinor } from '../archive/device.js';
import { tarHeader, writeTar, type TarOutEntry } from '../archive/tar-stream.js';
import type { TarHeader } from '../archive/tar-header.js';
import type { Logger } from '../util/logger.js';

export interface PackOptions {
  /**
   * Name of the top entry; descendants are named `${topName}/${relative path}` ("" gives "/", "/bin", ...).
   * null leaves the top directory out and names descendants by their relative path (docker export).
   */
  topName: string | null;
  logger?: Logger;
  signal?: AbortSignal;
}

const CHUNK = 64 * 1024;

/** A tar stream of hostPath and, when it is a directory, everything below it. */
export function packTree(hostPath: string, opts: PackOptions): Readable {
  const out = Readable.from(writeTar(treeEntries(hostPath, opts)), { objectMode: false });
  const abort = () => out.destroy(new Error('archive aborted'));
  if (opts.signal?.aborted) abort();
  opts.signal?.addEventListener('abort', abort, { once: true });
  out.once('close', () => opts.signal?.removeEventListener('abort', abort));
  return out;
}

async function* treeEntries(hostPath: string, opts: PackOptions): AsyncGenerator<TarOutEntry> {
  const seen = new Map<string, string>(); // dev:ino of multiply-linked files → first entry name
  async function* visit(file: string, name: string | null): AsyncGenerator<TarOutEntry> {
    let st: BigIntStats;
    try {
      st = await lstat(file, { bigint: true });
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return; // removed while we walk a running container
      throw err;
    }
    if (name !== null) {
      const entry = await entryOf(file, name, st, seen, opts.logger);
      if (entry) yield entry;
    }
    if (!st.isDirectory()) return;
    let children: string[];
    try {
      children = (await readdir(file)).sort();
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return;
      throw err;
    }
    for (const child of children) {
      const childPath = path.join(file, child);
      yield* visit(childPath, name === null ? path.relative(hostPath, childPath) : `${name}/${child}`);
    }
  }
  yield* visit(hostPath, opts.topName);
}

async function entryOf(
  file: string,
  name: string,
  st: BigIntStats,
  seen: Map<string, string>,
  logger: Logger | undefined,
): Promise<TarOutEntry | undefined> {
  const base = {
    name,
    mode: Number(st.mode) & 0o7777,
    uid: Number(st.uid), // ids that do not fit ustar go in PAX records (encodeHeader)
    gid: Number(st.gid),
    mtime: Number(st.mtimeNs / 1_000_000_000n),
    xattrs: securityXattrs(file),
  };
  let header: TarHeader;
  if (st.isDirectory()) {
    header = tarHeader({ ...base, type: 'directory' });
  } else if (st.isSymbolicLink()) {
    header = tarHeader({ ...base, type: 'symlink', linkname: await readlink(file) });
  } else if (st.isFile()) {
    const key = `${st.dev}:${st.ino}`;
    const first = st.nlink > 1n ? seen.get(key) : undefined;
    if (first !== undefined) return { header: tarHeader({ ...base, type: 'link', linkname: first }) };
    if (st.nlink > 1n) seen.set(key, name);
    const size = Number(st.size);
    return { header: tarHeader({ ...base, type: 'file', size }), body: () => fileBody(file, size) };
  } else if (st.isCharacterDevice() || st.isBlockDevice()) {
    const type = st.isCharacterDevice() ? 'char' : 'block';
    header = tarHeader({ ...base, type, devmajor: devMajor(st.rdev), devminor: devMinor(st.rdev) });
  } else if (st.isFIFO()) {
    header = tarHeader({ ...base, type: 'fifo' });
  } else {
    logger?.debug('archive: skipping socket', { file });
    return undefined;
  }
  return { header };
}

/**
 * security.capability, the one xattr Docker archives (ReadSecurityXattrToTarHeader), byte for byte; a v3 value
 * (which names a user namespace's root) becomes v2, as that root means nothing where the archive is unpacked.
 */
function securityXattrs(file: string): Record<string, Buffer> {
  let cap: Buffer | null;
  try {
    cap = native.lgetxattr(file, 'security.capability');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return {};
    throw err;
  }
  if (!cap) return {};
  const versionOffset = 3;
  if (cap.length > versionOffset && cap[versionOffset] === 3) {
    cap = Buffer.from(cap.subarray(0, 20)); // VFS_CAP_REVISION_2's size
    cap[versionOffset] = 2;
  }
  return { 'security.capability': cap };
}

/** Exactly size bytes, CHUNK at a time: a file that shrank while read is padded with zeros, growth is cut. */
async function* fileBody(file: string, size: number): AsyncGenerator<Buffer> {
  const fh = await open(file, fsc.O_RDONLY | fsc.O_NOFOLLOW | fsc.O_NONBLOCK);
  try {
    for (let left = size; left > 0; ) {
      const chunk = Buffer.alloc(Math.min(left, CHUNK));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      const data = bytesRead === 0 ? chunk : chunk.subarray(0, bytesRead);
      left -= data.length;
      yield data;
    }
  } finally {
    await fh.close();
  }
}

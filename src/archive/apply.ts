// Applies a layer tar to its own directory (an overlay upper directory), as root would, refusing anything that could
// write outside it. Extraction never resolves a path through a symlink and never looks at the layers below: each
// layer is unpacked on its own, overlayfs combines the directories only at mount time. So a symlink of one layer
// cannot steer another layer's extraction, and the layers of an image can be extracted in parallel.
// OCI whiteouts become overlay ones: ".wh.<name>" → char device 0/0, ".wh..wh..opq" → trusted.overlay.opaque=y.
import { constants, writeSync } from 'node:fs';
import { lchown, link, lstat, lutimes, mkdir, open, rm, symlink, chmod, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalidArgument, isErrno } from '../errors.js';
import { native } from '../util/native.js';
import { createDigester } from '../content/digest.js';
import type { Digest } from '../content/types.js';
import { decompress } from './compression.js';
import { readTar, type TarEntry } from './tar-stream.js';
import type { TarHeader } from './tar-header.js';

export const whiteoutPrefix = '.wh.';
export const opaqueWhiteout = '.wh..wh..opq';
export const opaqueXattr = 'trusted.overlay.opaque';

export interface ApplyOptions {
  signal?: AbortSignal;
}

export interface ApplyResult {
  /** Bytes of regular file data written. */
  size: number;
  /** sha256 of the uncompressed tar. */
  diffId: Digest;
  /** Length of the uncompressed tar. */
  tarSize: number;
  /**
   * Directories the layer has no entry for, made only to hold its entries ("a/b" for a lone "a/b/c"): over the
   * layers below, they must not stand where a lower layer has a symlink (see lower-parents.ts).
   */
  implicitDirs: string[];
}

const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const S_IFIFO = 0o010000;

function writeAll(fd: number, data: Buffer): void {
  for (let off = 0; off < data.length; ) off += writeSync(fd, data, off);
}

/** Splits a tar name into safe components: leading "/" dropped, "." ignored, ".." refused. */
export function cleanName(name: string, what = 'entry'): string[] {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw invalidArgument(`refusing layer ${what} ${JSON.stringify(name)}: path escapes the layer`);
  return parts;
}

/** lstat, or null when nothing is there. */
export async function lstatOrNull(p: string) {
  try {
    return await lstat(p);
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return null;
    throw err;
  }
}

/** Reads a layer (gzip or plain tar) into dir. */
export async function applyLayer(dir: string, tar: Readable, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const root = path.resolve(dir);
  /** Directories whose times are set last (creating their children changes them), in creation order. */
  const dirTimes = new Map<string, number>();
  const digester = createDigester();
  const implicitDirs: string[] = [];
  let size = 0;

  /** Makes sure the parent directories of parts exist in root without passing through a symlink anywhere. */
  async function parentDir(parts: string[], name: string): Promise<string> {
    let cur = root;
    for (let i = 0; i < parts.length - 1; i++) {
      cur = path.join(cur, parts[i]);
      const st = await lstatOrNull(cur);
      if (!st) {
        await mkdir(cur, { mode: 0o755 });
        implicitDirs.push(parts.slice(0, i + 1).join('/'));
        continue;
      }
      const rel = parts.slice(0, i + 1).join('/');
      if (st.isSymbolicLink()) throw invalidArgument(`refusing layer entry ${JSON.stringify(name)}: its parent ${rel} is a symlink`);
      if (!st.isDirectory()) throw invalidArgument(`refusing layer entry ${JSON.stringify(name)}: its parent ${rel} is not a directory`);
    }
    return cur;
  }

  /** Removes p (an entry replaced or whited out); directories that went with it get no times set later. */
  async function remove(p: string): Promise<void> {
    const st = await lstatOrNull(p);
    if (!st) return;
    await rm(p, { recursive: true, force: true });
    if (st.isDirectory()) for (const d of dirTimes.keys()) if (d === p || d.startsWith(`${p}/`)) dirTimes.delete(d);
  }

  async function setMetadata(p: string, h: TarHeader): Promise<void> {
    await lchown(p, h.uid, h.gid);
    for (const [name, value] of Object.entries(h.xattrs)) native.lsetxattr(p, name, value);
    if (h.type === 'symlink') {
      await lutimes(p, h.mtime, h.mtime);
      return;
    }
    await chmod(p, h.mode);
    if (h.type === 'directory') dirTimes.set(p, h.mtime);
    else await utimes(p, h.mtime, h.mtime);
  }

  async function whiteout(parent: string, base: string, h: TarHeader): Promise<void> {
    if (base === opaqueWhiteout) {
      native.lsetxattr(parent, opaqueXattr, Buffer.from('y'));
      return;
    }
    if (base.startsWith(`${whiteoutPrefix}${whiteoutPrefix}`)) return; // other AUFS metadata: meaningless here
    const target = base.slice(whiteoutPrefix.length);
    if (target === '' || target === '.' || target === '..') throw invalidArgument(`refusing layer whiteout ${JSON.stringify(h.name)}`);
    const p = path.join(parent, target);
    await remove(p);
    native.mknod(p, S_IFCHR, 0, 0);
    await lchown(p, h.uid, h.gid);
    // Keep the entry's time so that diffing the tree again gives the same layer bytes.
    await lutimes(p, h.mtime, h.mtime);
  }

  async function hardlink(p: string, h: TarHeader): Promise<void> {
    const parts = cleanName(h.linkname, 'hard link target');
    if (parts.length === 0) throw invalidArgument(`refusing layer hard link ${JSON.stringify(h.name)}: it points at the layer root`);
    let cur = root;
    for (const [i, part] of parts.entries()) {
      cur = path.join(cur, part);
      const st = await lstatOrNull(cur);
      if (!st) throw invalidArgument(`refusing layer hard link ${JSON.stringify(h.name)}: target ${h.linkname} is not in the layer`);
      const last = i === parts.length - 1;
      if (!last && !st.isDirectory()) throw invalidArgument(`refusing layer hard link ${JSON.stringify(h.name)}: target ${h.linkname} passes through a non-directory`);
      if (last && st.isDirectory()) throw invalidArgument(`refusing layer hard link ${JSON.stringify(h.name)}: target ${h.linkname} is a directory`);
    }
    await link(cur, p);
  }

  async function entry({ header: h, body }: TarEntry): Promise<void> {
    const parts = cleanName(h.name);
    if (parts.length === 0) {
      if (h.type !== 'directory') throw invalidArgument(`refusing layer entry ${JSON.stringify(h.name)}: the root must be a directory`);
      await setMetadata(root, h);
      return;
    }
    const base = parts[parts.length - 1];
    const parent = await parentDir(parts, h.name);
    if (base.startsWith(whiteoutPrefix)) return whiteout(parent, base, h);
    const p = path.join(parent, base);
    const existing = await lstatOrNull(p);
    if (existing && !(existing.isDirectory() && h.type === 'directory')) await remove(p);
    switch (h.type) {
      case 'directory':
        if (!existing?.isDirectory()) await mkdir(p, { mode: 0o700 });
        break;
      case 'file': {
        const fh = await open(p, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
        try {
          // Written synchronously: this runs on a worker thread of its own (apply-worker.ts), where a write that
          // waits for a thread-pool thread only adds a round trip and competes with the downloads for the pool.
          for await (const chunk of body) writeAll(fh.fd, chunk);
        } finally {
          await fh.close();
        }
        size += h.size;
        break;
      }
      case 'symlink':
        await symlink(h.linkname, p);
        break;
      case 'link':
        return hardlink(p, h);
      case 'char':
      case 'block':
      case 'fifo': {
        const kind = h.type === 'char' ? S_IFCHR : h.type === 'block' ? S_IFBLK : S_IFIFO;
        native.mknod(p, kind | (h.mode & 0o777), h.devmajor, h.devminor);
        break;
      }
    }
    await setMetadata(p, h);
  }

  await pipeline(tar, decompress, digester, async (source: AsyncIterable<Buffer>) => {
    for await (const e of readTar(source)) {
      opts.signal?.throwIfAborted();
      await entry(e);
    }
  }, { signal: opts.signal });
  // Directory times last: creating their children changed them. Every path left in dirTimes is still the directory
  // made for it (whatever replaced one was removed first, and took its entry along), so no symlink is followed here.
  for (const [p, mtime] of [...dirTimes].reverse()) await lutimes(p, mtime, mtime);
  return { size, diffId: digester.digest(), tarSize: digester.bytes, implicitDirs };
}

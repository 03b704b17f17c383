// Streams a directory tree (or a single file) as a tar, the way Docker's TarWithOptions does: depth first,
// names sorted, owners/modes/mtimes (seconds) kept, symlinks as links, hard links after their first name,
// devices and fifos as such, sockets skipped. Nothing is followed: every entry is lstat'ed.
import { Readable } from 'node:stream';
import { lstat, readdir, readlink, open } from 'node:fs/promises';
import { constants as fsc, type BigIntStats } from 'node:fs';
import path from 'node:path';
import tar from 'tar-stream';
import { isErrno } from '../errors.js';
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
/** Largest id an octal ustar field holds; bigger ones go in a PAX record. */
const MAX_USTAR_ID = 0o7777777;

/** A tar stream of hostPath and, when it is a directory, everything below it. */
export function packTree(hostPath: string, opts: PackOptions): Readable {
  const pack = tar.pack();
  const seen = new Map<string, string>(); // dev:ino of multiply-linked files → first entry name
  const abort = () => pack.destroy(new Error('archive aborted'));
  opts.signal?.addEventListener('abort', abort, { once: true });

  const addEntry = async (file: string, name: string | null): Promise<void> => {
    if (pack.destroyed) return;
    let st: BigIntStats;
    try {
      st = await lstat(file, { bigint: true });
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return; // removed while we walk a running container
      throw err;
    }
    if (name !== null) await writeEntry(pack, file, name, st, seen, opts.logger);
    if (!st.isDirectory()) return;
    let children: string[];
    try {
      children = (await readdir(file)).sort();
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return;
      throw err;
    }
    for (const child of children) {
      await addEntry(path.join(file, child), name === null ? childRelative(file, hostPath, child) : `${name}/${child}`);
    }
  };

  addEntry(hostPath, opts.topName)
    .then(() => pack.finalize())
    .catch((err: unknown) => pack.destroy(err as Error))
    .finally(() => opts.signal?.removeEventListener('abort', abort));
  return Readable.from(pack, { objectMode: false });
}

function childRelative(dir: string, top: string, child: string): string {
  return path.relative(top, path.join(dir, child));
}

type Header = Partial<tar.Header> & { name: string; pax?: Record<string, string> };

async function writeEntry(
  pack: tar.Pack,
  file: string,
  name: string,
  st: BigIntStats,
  seen: Map<string, string>,
  logger: Logger | undefined,
): Promise<void> {
  const header: Header = {
    name,
    // The full st_mode: tar-stream keeps only the low 12 bits but would replace a 0 with its default.
    mode: Number(st.mode),
    uid: Number(st.uid),
    gid: Number(st.gid),
    mtime: new Date(Number(st.mtimeNs / 1_000_000_000n) * 1000),
  };
  if (header.uid! > MAX_USTAR_ID || header.gid! > MAX_USTAR_ID) {
    header.pax = { uid: String(header.uid), gid: String(header.gid) };
  }
  if (st.isDirectory()) {
    header.type = 'directory';
    if (!name.endsWith('/')) header.name = name + '/';
  } else if (st.isSymbolicLink()) {
    header.type = 'symlink';
    header.linkname = await readlink(file);
  } else if (st.isFile()) {
    const key = `${st.dev}:${st.ino}`;
    const first = st.nlink > 1n ? seen.get(key) : undefined;
    if (first !== undefined) {
      header.type = 'link';
      header.linkname = first;
    } else {
      if (st.nlink > 1n) seen.set(key, name);
      header.type = 'file';
      header.size = Number(st.size);
      return writeFileEntry(pack, header, file);
    }
  } else if (st.isCharacterDevice() || st.isBlockDevice()) {
    header.type = st.isCharacterDevice() ? 'character-device' : 'block-device';
    header.devmajor = devMajor(st.rdev);
    header.devminor = devMinor(st.rdev);
  } else if (st.isFIFO()) {
    header.type = 'fifo';
  } else {
    logger?.debug('archive: skipping socket', { file });
    return;
  }
  await new Promise<void>((resolve, reject) => {
    pack.entry(header, (err) => (err ? reject(err) : resolve())).on('error', reject);
  });
}

/** Writes exactly header.size bytes: a file that shrank while read is padded with zeros, growth is cut. */
async function writeFileEntry(pack: tar.Pack, header: Header, file: string): Promise<void> {
  const fh = await open(file, fsc.O_RDONLY | fsc.O_NOFOLLOW | fsc.O_NONBLOCK);
  try {
    await new Promise<void>((resolve, reject) => {
      const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
      sink.on('error', reject);
      (async () => {
        let left = header.size!;
        while (left > 0) {
          const chunk = Buffer.alloc(Math.min(left, CHUNK));
          const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
          const data = bytesRead === 0 ? chunk : chunk.subarray(0, bytesRead);
          left -= data.length;
          if (!sink.write(data)) await drained(sink);
        }
        sink.end(undefined);
      })().catch((err: unknown) => sink.destroy(err as Error));
    });
  } finally {
    await fh.close();
  }
}

function drained(sink: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      sink.off('drain', done);
      sink.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    sink.on('close', done);
  });
}

// Linux dev_t encoding (glibc gnu_dev_major / gnu_dev_minor).
export const devMajor = (rdev: bigint): number => Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn));
export const devMinor = (rdev: bigint): number => Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn));

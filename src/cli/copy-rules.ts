// docker cp's client-side rules (moby pkg/archive copy.go): what a source and a destination path are, into which
// directory the archive is extracted, and which name its top entry must take there.
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isErrno } from '../errors.js';
import { readTar, writeTar, type TarOutEntry } from '../archive/tar-stream.js';

export interface CopyInfo {
  path: string;
  exists: boolean;
  isDir: boolean;
  /** The name the archived top entry takes instead of the path's base (a followed link keeps its own name). */
  rebaseName: string;
}

/** Bits of the Go os.FileMode the archive API's path stat carries. */
const goBit = (mode: number, bit: number): boolean => Math.floor(mode / 2 ** bit) % 2 === 1;
export const isGoDir = (mode: number): boolean => goBit(mode, 31);
export const isGoSymlink = (mode: number): boolean => goBit(mode, 27);

/** ValidateOutputPathFileMode: devices and irregular files are no copy destination. */
export function outputModeProblem(mode: number): string | undefined {
  if (goBit(mode, 26)) return 'got a device';
  if (goBit(mode, 19)) return 'got an irregular file';
  return undefined;
}

const specifiesCurrentDir = (p: string): boolean => path.posix.basename(p) === '.' || p === '.' || p.endsWith('/.');
const hasTrailingSeparator = (p: string): boolean => p.length > 1 && p.endsWith('/');

/** The path asserts a directory: "dir/", "dir/." (archive.assertsDirectory). */
export const assertsDirectory = (p: string): boolean => hasTrailingSeparator(p) || specifiesCurrentDir(p);

/** SplitPathDirEntry: "/a/b/" → ["/a", "b"], "/a/b/." → ["/a/b", "."]. */
export function splitPathDirEntry(p: string): [string, string] {
  let cleaned = path.posix.normalize(p);
  if (cleaned.length > 1 && cleaned.endsWith('/')) cleaned = cleaned.slice(0, -1);
  if (specifiesCurrentDir(p) && path.posix.basename(cleaned) !== '.') cleaned += '/.';
  return [path.posix.dirname(cleaned), path.posix.basename(cleaned)];
}

const lstatOrUndefined = (p: string) =>
  lstat(p).catch((err: unknown) => {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  });

/**
 * GetRebaseName: a link resolved to `resolved` keeps the "/" or "/." the user typed, and the archive entry keeps
 * the name the user typed when resolving changed it.
 */
export function getRebaseName(p: string, resolved: string): [string, string] {
  let out = resolved;
  if (specifiesCurrentDir(p) && !specifiesCurrentDir(out)) out += '/.';
  if (hasTrailingSeparator(p) && !hasTrailingSeparator(out)) out += '/';
  return [out, path.posix.basename(p) !== path.posix.basename(out) ? path.posix.basename(p) : ''];
}

/** CopyInfoSourcePath + ResolveHostSourcePath: the local source, its symlinks resolved as docker does. */
export async function localSourceInfo(p: string, followLink: boolean): Promise<CopyInfo> {
  let resolved: string;
  let rebaseName = '';
  if (followLink) {
    [resolved, rebaseName] = getRebaseName(p, await realpath(p));
  } else {
    const slash = p.lastIndexOf('/');
    const [dir, base] = slash === -1 ? ['.', p] : [p.slice(0, slash + 1) || '/', p.slice(slash + 1)];
    resolved = path.join(await realpath(dir), base) + (base === '' || base === '.' ? `/${base}` : '');
    if (hasTrailingSeparator(p) && path.basename(p) !== path.basename(resolved)) rebaseName = path.basename(p);
  }
  const st = await lstat(resolved);
  return { path: resolved, exists: true, isDir: st.isDirectory(), rebaseName };
}

/** CopyInfoDestinationPath: a local destination; symlinks followed; a missing one needs an existing parent directory. */
export async function localDestinationInfo(p: string): Promise<CopyInfo> {
  let current = p;
  for (let n = 0; ; n++) {
    const st = await lstatOrUndefined(current);
    if (st && !st.isSymbolicLink()) return { path: current, exists: true, isDir: st.isDirectory(), rebaseName: '' };
    if (!st) break;
    if (n > 10) throw new Error(`too many symlinks in ${p}`);
    const target = await readlink(current);
    current = path.isAbsolute(target) ? target : path.join(splitPathDirEntry(current)[0], target);
  }
  const [parent] = splitPathDirEntry(current);
  const parentStat = await stat(parent);
  if (!parentStat.isDirectory()) throw new Error(`${parent}: not a directory`);
  return { path: current, exists: false, isDir: false, rebaseName: '' };
}

/**
 * PrepareArchiveCopy: the directory to extract the source's archive into, and the renaming of its top entry
 * (from the source's base name to the destination's) when the destination is not an existing directory.
 */
export function prepareArchiveCopy(src: CopyInfo, dst: CopyInfo): { dstDir: string; rename?: { from: string; to: string } } {
  const [, srcBase] = splitPathDirEntry(src.path);
  const [dstDir, dstBase] = splitPathDirEntry(dst.path);
  const rename = { from: src.rebaseName || srcBase, to: dstBase };
  if (dst.exists && dst.isDir) return { dstDir: dst.path };
  if (dst.exists && src.isDir) throw new Error('cannot copy directory');
  if (!dst.exists && !src.isDir && assertsDirectory(dst.path)) throw new Error('no such directory');
  return { dstDir, rename };
}

/** RebaseArchiveEntries: entries under `from` (and hard link targets) are renamed under `to`. */
export function rebaseArchive(content: Readable, from: string, to: string): Readable {
  const rebase = (name: string) => {
    if (from === '/') return to + name;
    if (name === from || name === `${from}/`) return name.replace(from, to);
    return name.startsWith(`${from}/`) ? to + name.slice(from.length) : name;
  };
  async function* rebased(): AsyncGenerator<TarOutEntry> {
    for await (const { header, body } of readTar(content)) {
      const linkname = header.type === 'link' && header.linkname ? rebase(header.linkname) : header.linkname;
      yield { header: { ...header, name: rebase(header.name), linkname }, body: () => body };
    }
  }
  return Readable.from(writeTar(rebased()), { objectMode: false });
}

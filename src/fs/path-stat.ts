// Docker's container path rules for the archive API: how "/dir", "/dir/", "/dir/." and "/" are resolved
// (container.ResolvePath) and what the path stat header says (container.StatPath).
import { lstat } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import path from 'node:path';
import { notFound, invalidArgument, isErrno } from '../errors.js';
import { resolveInRoot, containerPathOf } from './resolve-in-root.js';
import type { PathStat } from './types.js';

/** Go's filepath.Clean for slash paths: no trailing slash except "/", "" becomes ".". */
export function goClean(p: string): string {
  if (p === '') return '.';
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** Go's filepath.Base: trailing slashes ignored, "" gives ".", only slashes give "/". */
export function goBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

const specifiesCurrentDir = (p: string): boolean => goBase(p) === '.';

/** Docker's archive.PreserveTrailingDotOrSeparator: keeps the "/" or "/." the user typed after cleaning. */
function preserveTrailing(cleaned: string, original: string): string {
  let out = cleaned;
  if (!specifiesCurrentDir(out) && specifiesCurrentDir(original)) out += out.endsWith('/') ? '.' : '/.';
  if (!out.endsWith('/') && original.endsWith('/')) out += '/';
  return out;
}

export interface ResolvedArchivePath {
  /** The container path made absolute and clean, with the user's trailing "/" or "/." kept. */
  absPath: string;
  /** Host path: the directory part resolved in the root, the last element appended as written. */
  hostPath: string;
}

/**
 * container.ResolvePath: a symlink in the last element is not followed unless the path ends with "/" or
 * "/." (then the directory part, which includes it, is resolved).
 */
export async function resolveArchivePath(root: string, containerPath: string): Promise<ResolvedArchivePath> {
  const absPath = preserveTrailing(goClean('/' + containerPath), containerPath);
  const slash = absPath.lastIndexOf('/');
  const dirPart = absPath.slice(0, slash + 1);
  const basePart = absPath.slice(slash + 1);
  const resolvedDir = await resolveInRoot(root, dirPart);
  return { absPath, hostPath: resolvedDir + '/' + basePart };
}

// Go's os.FileMode type bits (Docker sends the mode as this uint32).
const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;
const MODE_DEVICE = 2 ** 26;
const MODE_NAMED_PIPE = 2 ** 25;
const MODE_SOCKET = 2 ** 24;
const MODE_SETUID = 2 ** 23;
const MODE_SETGID = 2 ** 22;
const MODE_CHAR_DEVICE = 2 ** 21;
const MODE_STICKY = 2 ** 20;

/** Unix st_mode → Go os.FileMode. */
export function goFileMode(stMode: number): number {
  let mode = stMode & 0o777;
  switch (stMode & 0o170000) {
    case 0o040000: mode += MODE_DIR; break;
    case 0o120000: mode += MODE_SYMLINK; break;
    case 0o060000: mode += MODE_DEVICE; break;
    case 0o020000: mode += MODE_DEVICE + MODE_CHAR_DEVICE; break;
    case 0o010000: mode += MODE_NAMED_PIPE; break;
    case 0o140000: mode += MODE_SOCKET; break;
  }
  if (stMode & 0o4000) mode += MODE_SETUID;
  if (stMode & 0o2000) mode += MODE_SETGID;
  if (stMode & 0o1000) mode += MODE_STICKY;
  return mode;
}

/** Go's time.Time JSON form (RFC 3339, nanoseconds without trailing zeros), in UTC. */
export function rfc3339Nano(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const frac = ns % 1_000_000_000n;
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  const fraction = frac === 0n ? '' : '.' + frac.toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${fraction}Z`;
}

/** Maps lstat failures to Docker's archive API errors. */
export function archivePathError(err: unknown, containerPath: string, containerName?: string): unknown {
  if (isErrno(err, 'ENOENT')) {
    return notFound(`Could not find the file ${containerPath} in container ${containerName ?? ''}`.trimEnd());
  }
  if (isErrno(err, 'ENOTDIR')) return invalidArgument(`lstat ${containerPath}: not a directory`);
  return err;
}

/** Lstat of a resolved archive path, with Docker's errors. */
export async function lstatArchivePath(
  resolved: ResolvedArchivePath,
  containerName?: string,
): Promise<BigIntStats> {
  try {
    return await lstat(resolved.hostPath, { bigint: true });
  } catch (err) {
    throw archivePathError(err, resolved.absPath, containerName);
  }
}

/** HEAD /containers/{id}/archive: the stat of a path in the container. */
export async function statPath(root: string, containerPath: string, opts: { containerName?: string } = {}): Promise<PathStat> {
  const resolved = await resolveArchivePath(root, containerPath);
  const st = await lstatArchivePath(resolved, opts.containerName);
  return pathStatOf(root, resolved, st);
}

export async function pathStatOf(root: string, resolved: ResolvedArchivePath, st: BigIntStats): Promise<PathStat> {
  let linkTarget = '';
  if (st.isSymbolicLink()) {
    linkTarget = containerPathOf(root, await resolveInRoot(root, resolved.absPath));
  }
  return {
    name: goBase(resolved.absPath),
    size: Number(st.size),
    mode: goFileMode(Number(st.mode)),
    mtime: rfc3339Nano(st.mtimeNs),
    linkTarget,
  };
}

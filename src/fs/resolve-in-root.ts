// Resolving a container path inside a root directory as if the process were chrooted there (after Go's
// securejoin and Docker's FollowSymlinkInScope): every symlink is read and re-resolved relative to the root,
// `..` stops at the root, and the result is always the root or a path below it.
import { lstat, readlink } from 'node:fs/promises';
import path from 'node:path';
import { BerthError, isErrno } from '../errors.js';

/** Linux gives up after 40 links; Go's securejoin after 255. Either keeps a loop finite. */
const MAX_SYMLINKS = 255;

export interface ResolveOptions {
  /** Resolve a symlink in the last component too (default true). False is lstat's view: the link itself. */
  followFinal?: boolean;
}

/**
 * Host path of `containerPath` under `root`, symlinks resolved in the root's scope. Components that do not
 * exist are kept as they are (the caller's open or lstat reports ENOENT). A trailing `/` or `/.` resolves a
 * symlink in the last component even with followFinal false, as the kernel does.
 */
export async function resolveInRoot(root: string, containerPath: string, opts: ResolveOptions = {}): Promise<string> {
  const followFinal = opts.followFinal ?? true;
  const base = path.resolve(root);
  let done: string[] = [];
  // Components still to walk, last one first so that a link's target can be pushed in front cheaply.
  const todo = containerPath.split('/').reverse();
  let links = 0;
  while (todo.length > 0) {
    const part = todo.pop()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const host = path.join(base, ...done, part);
    let isLink: boolean;
    try {
      isLink = (await lstat(host)).isSymbolicLink();
    } catch (err) {
      if (!isErrno(err, 'ENOENT') && !isErrno(err, 'ENOTDIR')) throw err;
      isLink = false;
    }
    if (!isLink || (!followFinal && todo.length === 0)) {
      done.push(part);
      continue;
    }
    if (++links > MAX_SYMLINKS) {
      throw new BerthError('invalid_argument', `too many levels of symbolic links: ${containerPath}`);
    }
    const target = await readlink(host);
    if (target.startsWith('/')) done = [];
    todo.push(...target.split('/').reverse());
  }
  return path.join(base, ...done);
}

/** resolveInRoot without following a symlink in the last component: for lstat, readlink, rm, cp of a link. */
export function resolveInRootNoFollow(root: string, containerPath: string): Promise<string> {
  return resolveInRoot(root, containerPath, { followFinal: false });
}

/** The absolute container path of a host path produced by resolveInRoot. */
export function containerPathOf(root: string, hostPath: string): string {
  const rel = path.relative(path.resolve(root), hostPath);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new BerthError('internal', `${hostPath} is not below ${root}`);
  }
  return '/' + rel;
}

/**
 * Guards against a path changed under our feet (a running container swapping a directory for a symlink
 * between resolveInRoot and the use of its result): hostPath, which resolveInRoot made free of symlinks,
 * must still resolve to itself. Resolving again in the root rather than with realpath(3) keeps this right for
 * a root such as /proc/<pid>/root, whose magic link realpath would follow into the daemon's own view.
 */
export async function assertInRoot(root: string, hostPath: string): Promise<void> {
  const containerPath = containerPathOf(root, hostPath);
  if ((await resolveInRoot(root, containerPath)) !== path.resolve(hostPath)) {
    throw new BerthError('forbidden', `${containerPath} resolves outside the container root`);
  }
}

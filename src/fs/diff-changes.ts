// docker diff from an overlay upper directory, after Docker's archive.OverlayChanges: a 0/0 character device
// is a deletion, an entry present in the lower layers is a modification (directories only when their size,
// mode or mtime differ, or when something inside them was added or deleted), anything else an addition.
// An opaque directory (trusted.overlay.opaque=y) hides the lower directory: it is a modification, what it
// hid in the lower layers is reported deleted, and everything inside it is an addition.
import { lstat, readdir } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { native } from '../util/native.js';
import { ChangeKind, type Change } from './types.js';

const OPAQUE_XATTRS = ['trusted.overlay.opaque', 'user.overlay.opaque'];

const isWhiteout = (st: BigIntStats): boolean => st.isCharacterDevice() && st.rdev === 0n;

function isOpaque(dir: string): boolean {
  return OPAQUE_XATTRS.some((name) => native.lgetxattr(dir, name)?.toString() === 'y');
}

async function lstatOrUndefined(p: string): Promise<BigIntStats | undefined> {
  try {
    return await lstat(p, { bigint: true });
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return undefined;
    throw err;
  }
}

/** The entry at rel as the lower layers (topmost first) show it through overlayfs, or undefined. */
async function lowerEntry(lowers: string[], rel: string): Promise<BigIntStats | undefined> {
  const parts = rel.split('/').filter(Boolean);
  for (const layer of lowers) {
    // A whiteout, a non-directory or an opaque directory on the way hides everything below in deeper layers.
    let hidden = false;
    for (let i = 1; i < parts.length && !hidden; i++) {
      const st = await lstatOrUndefined(path.join(layer, ...parts.slice(0, i)));
      if (st === undefined) break;
      hidden = !st.isDirectory() || isOpaque(path.join(layer, ...parts.slice(0, i)));
    }
    const st = await lstatOrUndefined(path.join(layer, rel));
    if (st !== undefined) return isWhiteout(st) ? undefined : st;
    if (hidden) return undefined;
  }
  return undefined;
}

/** Names in the lower layers' merged view of directory rel (which exists there). */
async function lowerChildren(lowers: string[], rel: string): Promise<Set<string>> {
  const visible = new Set<string>();
  const shadowed = new Set<string>();
  for (const layer of lowers) {
    const dir = path.join(layer, rel);
    const st = await lstatOrUndefined(dir);
    if (st === undefined) continue;
    if (!st.isDirectory()) break;
    for (const name of await readdir(dir)) {
      if (shadowed.has(name)) continue;
      shadowed.add(name);
      const child = await lstatOrUndefined(path.join(dir, name));
      if (child !== undefined && !isWhiteout(child)) visible.add(name);
    }
    if (isOpaque(dir)) break;
  }
  return visible;
}

/** Go's sameFsTime: equal, or equal seconds when one side lacks nanoseconds. */
function sameTime(a: bigint, b: bigint): boolean {
  const ns = 1_000_000_000n;
  return a === b || (a / ns === b / ns && (a % ns === 0n || b % ns === 0n));
}

/** Changes of a container's writable layer (upperDir) relative to its image layers (lowerDirs, topmost first). */
export async function diffChanges(upperDir: string, lowerDirs: string[]): Promise<Change[]> {
  const changes: Change[] = [];
  const changedDirs = new Set<string>();

  const record = (p: string, kind: ChangeKind, isDir: boolean) => {
    if (kind !== ChangeKind.Modified) {
      const parent = path.posix.dirname(p);
      if (parent !== '/' && !changedDirs.has(parent)) {
        changes.push({ Path: parent, Kind: ChangeKind.Modified });
        changedDirs.add(parent);
      }
    }
    if (isDir) changedDirs.add(p);
    changes.push({ Path: p, Kind: kind });
  };

  // hiddenBelow: an opaque directory above hides the lower layers for everything in this directory.
  const walk = async (rel: string, hiddenBelow: boolean, deletedHere: Set<string>): Promise<void> => {
    const names = new Set([...(await readdir(path.join(upperDir, rel))), ...deletedHere]);
    for (const name of [...names].sort()) {
      const p = path.posix.join('/', rel, name);
      const st = await lstatOrUndefined(path.join(upperDir, rel, name));
      if (st === undefined || isWhiteout(st)) {
        record(p, ChangeKind.Deleted, false);
        continue;
      }
      const isDir = st.isDirectory();
      const opaque = isDir && isOpaque(path.join(upperDir, rel, name));
      const lower = hiddenBelow ? undefined : await lowerEntry(lowerDirs, p);
      if (lower === undefined) {
        record(p, ChangeKind.Added, isDir);
      } else if (
        opaque ||
        !isDir ||
        !lower.isDirectory() ||
        lower.size !== st.size ||
        lower.mode !== st.mode ||
        !sameTime(lower.mtimeNs, st.mtimeNs)
      ) {
        record(p, ChangeKind.Modified, isDir);
      }
      if (!isDir) continue;
      let hidden = new Set<string>();
      if (opaque && lower?.isDirectory()) {
        const present = new Set(await readdir(path.join(upperDir, rel, name)));
        hidden = new Set([...(await lowerChildren(lowerDirs, p))].filter((n) => !present.has(n)));
      }
      await walk(path.posix.join(rel, name), hiddenBelow || opaque || lower === undefined, hidden);
    }
  };

  await walk('', false, new Set());
  return changes;
}

// A layer is extracted into its own directory, where no path is ever resolved through a symlink, so extraction
// cannot write outside it whatever the layers below hold. Over those layers, though, a directory the layer made
// only to hold its entries ("lib" for a lone "lib/x") would stand where a lower layer has a symlink: the entry
// meant to go through the link (Docker follows it) would land in a directory hiding it. Such layers are refused,
// as a symlink parent within one layer is. An explicit directory entry replacing a lower symlink stays fine.
import path from 'node:path';
import { invalidArgument } from '../errors.js';
import { native } from '../util/native.js';
import { lstatOrNull, opaqueXattr } from './apply.js';

const isOpaque = (p: string): boolean => native.lgetxattr(p, opaqueXattr)?.toString() === 'y';

/**
 * Throws invalid_argument when a directory of implicitDirs (see ApplyResult) stands over a symlink that the layers
 * below (lowerDirs, nearest first) show at that path.
 */
export async function assertNoLowerSymlinkParents(layerDir: string, implicitDirs: string[], lowerDirs: string[]): Promise<void> {
  if (lowerDirs.length === 0 || implicitDirs.length === 0) return;
  const implicit = new Set(implicitDirs);
  /** By path: how many of the lower layers (nearest first) still show through below it. */
  const visibleBelow = new Map<string, number>();

  async function visibleAfter(rel: string): Promise<number> {
    const known = visibleBelow.get(rel);
    if (known !== undefined) return known;
    const parent = path.posix.dirname(rel);
    let visible = parent === '.' ? lowerDirs.length : await visibleAfter(parent);
    if (!implicit.has(rel)) {
      // The layer's own entry: an opaque directory hides everything below it.
      if (isOpaque(path.join(layerDir, rel))) visible = 0;
    } else {
      for (let l = 0; l < visible; l++) {
        const lp = path.join(lowerDirs[l], rel);
        const st = await lstatOrNull(lp);
        if (!st) continue;
        if (st.isCharacterDevice() && st.rdev === 0) visible = l; // whited out there: the layers below are hidden
        else if (st.isSymbolicLink()) throw invalidArgument(`refusing layer: it places entries under ${rel}, which is a symlink in a lower layer`);
        else if (st.isDirectory() && isOpaque(lp)) visible = l + 1;
        break;
      }
    }
    visibleBelow.set(rel, visible);
    return visible;
  }

  for (const rel of implicitDirs) {
    // A directory the layer removed again (replaced or whited out) stands over nothing.
    if ((await lstatOrNull(path.join(layerDir, rel)))?.isDirectory()) await visibleAfter(rel);
  }
}

// Tars an overlay upper directory as an OCI layer: char device 0/0 → ".wh.<name>", opaque directory → an extra
// ".wh..wh..opq" entry. Entries in sorted order, times truncated to seconds: the same tree gives the same bytes.
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Stats } from 'node:fs';
import { native } from '../util/native.js';
import { opaqueWhiteout, opaqueXattr, whiteoutPrefix } from './apply.js';
import { devMajor, devMinor } from './device.js';
import { tarHeader, writeTar, type TarOutEntry } from './tar-stream.js';
import type { TarHeader, TarType } from './tar-header.js';

/** xattrs that belong in a layer: overlay's own bookkeeping and SELinux labels do not. */
function readXattrs(p: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const name of native.llistxattr(p)) {
    if (name.startsWith('trusted.overlay.') || name === 'security.selinux') continue;
    const v = native.lgetxattr(p, name);
    if (v) out[name] = v;
  }
  return out;
}

function typeOf(st: Stats): TarType | undefined {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'fifo';
  return undefined; // sockets are not archived
}

async function* walk(root: string): AsyncGenerator<TarOutEntry> {
  const links = new Map<number, string>();
  async function* visit(rel: string): AsyncGenerator<TarOutEntry> {
    const names = (await readdir(path.join(root, rel))).sort();
    for (const name of names) {
      const relName = rel ? `${rel}/${name}` : name;
      const p = path.join(root, relName);
      const st = await lstat(p);
      const type = typeOf(st);
      if (!type) continue;
      const base: TarHeader = tarHeader({
        name: relName,
        type,
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        mtime: Math.floor(st.mtimeMs / 1000),
      });
      if (type === 'char' && st.rdev === 0) {
        yield { header: { ...base, name: rel ? `${rel}/${whiteoutPrefix}${name}` : `${whiteoutPrefix}${name}`, type: 'file', mode: 0o600 } };
        continue;
      }
      const header: TarHeader = { ...base, xattrs: readXattrs(p) };
      if (type === 'directory') {
        yield { header };
        if (native.lgetxattr(p, opaqueXattr)?.toString() === 'y') {
          yield { header: { ...base, name: `${relName}/${opaqueWhiteout}`, type: 'file', mode: st.mode & 0o777 } };
        }
        yield* visit(relName);
        continue;
      }
      if (type === 'symlink') header.linkname = await readlink(p);
      if (type === 'char' || type === 'block') {
        header.devmajor = devMajor(st.rdev);
        header.devminor = devMinor(st.rdev);
      }
      if (type === 'file' && st.nlink > 1) {
        const first = links.get(st.ino);
        if (first !== undefined) {
          yield { header: { ...header, type: 'link', linkname: first } };
          continue;
        }
        links.set(st.ino, relName);
      }
      if (type === 'file') {
        header.size = st.size;
        yield { header, body: () => createReadStream(p) };
      } else {
        yield { header };
      }
    }
  }
  yield* visit('');
}

/** A tar of an overlay upper directory (a committed layer or a container's changes). */
export function diffLayer(upperDir: string): Readable {
  return Readable.from(writeTar(walk(path.resolve(upperDir))));
}

// Disk usage as Docker's directory.Size counts it (system df, volume usage): the apparent size of every
// non-directory below dir, each inode once.
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isErrno } from '../errors.js';

export async function directorySize(dir: string, signal?: AbortSignal): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const walk = async (p: string): Promise<void> => {
    signal?.throwIfAborted();
    let names: string[];
    try {
      names = await readdir(p);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return; // removed while we count
      throw err;
    }
    for (const name of names) {
      const child = path.join(p, name);
      const st = await lstat(child).catch((err: unknown) => {
        if (isErrno(err, 'ENOENT')) return undefined;
        throw err;
      });
      if (st === undefined) continue;
      if (st.isDirectory()) {
        await walk(child);
        continue;
      }
      const key = `${st.dev}:${st.ino}`;
      if (st.size === 0 || seen.has(key)) continue;
      seen.add(key);
      total += st.size;
    }
  };
  await walk(dir);
  return total;
}

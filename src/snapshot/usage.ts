// Disk usage of a directory tree: apparent size of regular files (hard links counted once) and inode count.
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { SnapshotUsage } from './types.js';

export async function diskUsage(dir: string): Promise<SnapshotUsage> {
  const seen = new Set<number>();
  let size = 0;
  let inodes = 0;
  const walk = async (p: string): Promise<void> => {
    const st = await lstat(p);
    if (seen.has(st.ino)) return;
    seen.add(st.ino);
    inodes++;
    if (st.isFile()) size += st.size;
    if (st.isDirectory()) for (const name of await readdir(p)) await walk(path.join(p, name));
  };
  await walk(dir);
  return { size, inodes };
}

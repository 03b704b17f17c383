// The host's device nodes, for --privileged containers (containerd oci.HostDevices): every character and block
// device under /dev, except the per-instance trees (pts, shm, mqueue, fd) and the console.
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isErrno } from '../errors.js';
import type { LinuxDevice } from './spec-defaults.js';

const SKIPPED_DIRS = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);

/** glibc's gnu_dev_major/gnu_dev_minor on st_rdev. */
export function splitDeviceNumber(rdev: number): { major: number; minor: number } {
  const dev = BigInt(rdev);
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

export async function hostDevices(dir = '/dev'): Promise<LinuxDevice[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'EACCES')) return [];
    throw err;
  }
  const found: LinuxDevice[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const st = await lstat(file).catch(() => undefined);
    if (!st) continue;
    if (st.isDirectory()) {
      if (!SKIPPED_DIRS.has(name)) found.push(...(await hostDevices(file)));
      continue;
    }
    if (file === '/dev/console' || !(st.isCharacterDevice() || st.isBlockDevice())) continue;
    found.push({
      path: file,
      type: st.isCharacterDevice() ? 'c' : 'b',
      ...splitDeviceNumber(st.rdev),
      fileMode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
    });
  }
  return found;
}

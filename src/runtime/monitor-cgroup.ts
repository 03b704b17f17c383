// conmon must outlive berthd, also when a service manager stops berthd by killing its whole cgroup (systemd's
// KillMode=control-group, which tracks services through the unified hierarchy on hybrid hosts). So each conmon is
// moved out of berthd's cgroup into one of its own kind, in every mounted hierarchy, as podman does with cgroupfs.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { readMountInfo } from '../fs/mountinfo.js';

export interface CgroupMount {
  dir: string;
  version: 1 | 2;
  cpuset: boolean;
}

/** Mount points of the cgroup hierarchies (v1 controllers, name=systemd, the unified cgroup2). */
export async function cgroupMounts(): Promise<CgroupMount[]> {
  return (await readMountInfo())
    .filter((m) => m.fsType === 'cgroup' || m.fsType === 'cgroup2')
    .map((m) => ({ dir: m.mountPoint, version: m.fsType === 'cgroup2' ? 2 : 1, cpuset: m.fsType === 'cgroup' && m.superOptions.includes('cpuset') }));
}

/** A new cpuset cgroup takes no process until it has CPUs and memory nodes: its parent's, level by level. */
async function inheritCpuset(root: string, relPath: string): Promise<void> {
  let dir = root;
  for (const part of relPath.split('/').filter(Boolean)) {
    const parent = dir;
    dir = path.join(dir, part);
    for (const file of ['cpuset.cpus', 'cpuset.mems']) {
      const own = path.join(dir, file);
      if ((await readFile(own, 'utf8')).trim() === '') await writeFile(own, await readFile(path.join(parent, file), 'utf8'));
    }
  }
}

/** Moves pid into the cgroup at relPath (e.g. "/berth/conmon") of every hierarchy. */
export async function moveToCgroup(pid: number, relPath: string, mounts: CgroupMount[]): Promise<void> {
  await Promise.all(
    mounts.map(async ({ dir, cpuset }) => {
      const target = path.join(dir, relPath);
      await mkdir(target, { recursive: true });
      if (cpuset) await inheritCpuset(dir, relPath);
      try {
        await writeFile(path.join(target, 'cgroup.procs'), String(pid));
      } catch (err) {
        if (!isErrno(err, 'ESRCH')) throw err; // gone already: nothing to keep alive
      }
    }),
  );
}

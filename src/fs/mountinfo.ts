// Reading /proc/self/mountinfo: which paths are mount points and how they propagate.
import { readFile } from 'node:fs/promises';

export interface MountInfo {
  mountPoint: string;
  /** Optional fields: "shared:N", "master:N", ... */
  optional: string[];
  fsType: string;
  source: string;
  /** The filesystem's own options (for a cgroup v1 hierarchy, its controllers). */
  superOptions: string[];
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export async function readMountInfo(): Promise<MountInfo[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const fields = line.split(' ');
      const sep = fields.indexOf('-', 6);
      return {
        mountPoint: unescape(fields[4]),
        optional: fields.slice(6, sep),
        fsType: fields[sep + 1],
        source: unescape(fields[sep + 2]),
        superOptions: (fields[sep + 3] ?? '').split(','),
      };
    });
}

export async function isMountPoint(p: string): Promise<boolean> {
  return (await readMountInfo()).some((m) => m.mountPoint === p);
}

/** The mount that contains p (the longest mount point that is p or a parent of it); p must be a real path. */
export async function mountOf(p: string): Promise<MountInfo> {
  let best: MountInfo | undefined;
  for (const m of await readMountInfo()) {
    const inside = m.mountPoint === '/' || p === m.mountPoint || p.startsWith(m.mountPoint + '/');
    if (inside && (best === undefined || m.mountPoint.length >= best.mountPoint.length)) best = m;
  }
  return best!;
}

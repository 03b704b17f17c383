// The mount flags of `run` and `create` (-v, --mount, --tmpfs, --volumes-from, --volume-driver) and the parts of
// the container create body they make (docker's opts.go: sourceless -v go to Config.Volumes, the rest to Binds).
import path from 'node:path';
import type { ContainerConfig, HostConfig } from '../client/index.js';
import { parseMountFlag } from '../volume/index.js';
import { UsageError } from './errors.js';
import { list, str, type FlagValues } from './flags.js';

export const mountFlags = {
  volume: list('volume', 'Bind mount a volume', { short: 'v' }),
  mount: list('mount', 'Attach a filesystem mount to the container'),
  tmpfs: list('tmpfs', 'Mount a tmpfs directory'),
  volumesFrom: list('volumes-from', 'Mount volumes from the specified container(s)'),
  volumeDriver: str('volume-driver', 'Optional volume driver for the container'),
};

export type MountFlags = FlagValues<typeof mountFlags>;

/** "./data:/data" → "/abs/data:/data", as docker resolves a relative host part starting with ".". */
function absoluteBind(bind: string, cwd: string): string {
  const colon = bind.indexOf(':');
  const host = bind.slice(0, colon);
  return host.startsWith('.') ? `${path.resolve(cwd, host)}${bind.slice(colon)}` : bind;
}

export function mountCreateFields(f: MountFlags, cwd = process.cwd()): { config: ContainerConfig; host: HostConfig } {
  // docker keeps -v values in a set: the same value twice is one mount.
  const volumes = [...new Set(f.volume)];
  const binds = volumes.filter((v) => v.includes(':')).map((v) => absoluteBind(v, cwd));
  const anonymous = volumes.filter((v) => !v.includes(':'));
  const mounts = f.mount.map((m) => {
    try {
      return parseMountFlag(m, cwd);
    } catch (err) {
      throw new UsageError(`invalid argument "${m}" for "--mount" flag: ${(err as Error).message}`);
    }
  });
  const tmpfs = Object.fromEntries(f.tmpfs.map((t) => {
    const colon = t.indexOf(':');
    return colon === -1 ? [t, ''] : [t.slice(0, colon), t.slice(colon + 1)];
  }));
  return {
    config: anonymous.length ? { Volumes: Object.fromEntries(anonymous.map((v) => [v, {}])) } : {},
    host: {
      ...(binds.length && { Binds: binds }),
      ...(mounts.length && { Mounts: mounts }),
      ...(f.tmpfs.length && { Tmpfs: tmpfs }),
      ...(f.volumesFrom.length && { VolumesFrom: f.volumesFrom }),
      ...(f.volumeDriver && { VolumeDriver: f.volumeDriver }),
    },
  };
}

// Mounts in Docker's JSON: what a create body asks for (HostConfig.Binds/Mounts/Tmpfs/VolumesFrom/VolumeDriver,
// Config.Volumes) and how inspect and ps show a container's mount points.
import type { Container, Engine, HostOptions } from '../engine/types.js';
import { invalidArgument } from '../errors.js';
import type { MountConfig } from '../volume/types.js';
import { compact, fields, type Fields } from './json-fields.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** TmpfsOptions.Options: [["nr_inodes", "1k"], ["exec"]]. */
function tmpfsOptionList(raw: unknown, where: string): string[][] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || !raw.every((o) => Array.isArray(o) && o.every((s) => typeof s === 'string'))) {
    throw invalidArgument(`invalid JSON: ${where}.Options must be an array of arrays of strings`);
  }
  return raw as string[][];
}

function mountConfig(raw: unknown, where: string): MountConfig {
  if (!isObject(raw)) throw invalidArgument(`invalid JSON: ${where} must be an object`);
  const f = fields(raw, where);
  const bind = f.obj('BindOptions');
  const volume = f.obj('VolumeOptions');
  const driver = volume?.obj('DriverConfig');
  const tmpfs = f.obj('TmpfsOptions');
  const optional = (o: Fields | undefined, key: string) => (o?.bool(key) ? true : undefined);
  return compact<MountConfig>({
    Type: f.str('Type'),
    Source: f.str('Source'),
    Target: f.str('Target'),
    ReadOnly: f.bool('ReadOnly'),
    Consistency: f.str('Consistency'),
    BindOptions: bind && compact({
      Propagation: bind.str('Propagation'),
      NonRecursive: optional(bind, 'NonRecursive'),
      CreateMountpoint: optional(bind, 'CreateMountpoint'),
      ReadOnlyNonRecursive: optional(bind, 'ReadOnlyNonRecursive'),
      ReadOnlyForceRecursive: optional(bind, 'ReadOnlyForceRecursive'),
    }),
    VolumeOptions: volume && compact({
      NoCopy: optional(volume, 'NoCopy'),
      Labels: volume.strMap('Labels'),
      Subpath: volume.str('Subpath'),
      DriverConfig: driver && compact({ Name: driver.str('Name'), Options: driver.strMap('Options') }),
    }),
    TmpfsOptions: tmpfs && compact({
      SizeBytes: tmpfs.int('SizeBytes'),
      Mode: tmpfs.int('Mode'),
      Options: tmpfsOptionList((raw.TmpfsOptions as Record<string, unknown>).Options, `${where}.TmpfsOptions`),
    }),
  });
}

type MountOptions = Pick<HostOptions, 'binds' | 'mounts' | 'tmpfs' | 'volumesFrom' | 'volumeDriver'>;

/** The mount fields of HostConfig (raw: the HostConfig object as decoded, for the Mounts array). */
export function hostMountOptions(host: Fields | undefined, raw: unknown): MountOptions {
  const rawMounts = isObject(raw) ? raw.Mounts : undefined;
  if (rawMounts !== undefined && rawMounts !== null && !Array.isArray(rawMounts)) {
    throw invalidArgument('invalid JSON: HostConfig.Mounts must be an array');
  }
  const mounts = (rawMounts as unknown[] | null | undefined)?.map((m, i) => mountConfig(m, `HostConfig.Mounts[${i}]`));
  return compact<MountOptions>({
    binds: host?.strList('Binds'),
    mounts: mounts?.length ? mounts : undefined,
    tmpfs: host?.strMap('Tmpfs'),
    volumesFrom: host?.strList('VolumesFrom'),
    volumeDriver: host?.str('VolumeDriver'),
  });
}

/** Host directories of the named volumes the containers mount (inspect and ps show them as Source). */
export async function volumeSources(engine: Engine, containers: Container[]): Promise<Record<string, string>> {
  const names = new Set(containers.flatMap((c) => (c.mounts ?? []).flatMap((m) => (m.type === 'volume' ? [m.name] : []))));
  if (names.size === 0) return {};
  const volumes = await engine.volumes.list({});
  return Object.fromEntries(volumes.filter((v) => names.has(v.name)).map((v) => [v.name, v.mountpoint]));
}

/**
 * Docker's MountPoint list; --tmpfs mounts are not mount points in Docker, --mount type=tmpfs ones are.
 * A local volume given with -v and no mode shows mode "z" (Docker's setBindModeIfNull).
 */
export function mountPointsJson(c: Container, sources: Record<string, string>): Record<string, unknown>[] {
  const tmpfsFlags = new Set(Object.keys(c.spec.host.tmpfs ?? {}));
  const fromBinds = new Set((c.spec.host.binds ?? []).map((b) => b.split(':')[1]?.replace(/(.)\/+$/, '$1')));
  return (c.mounts ?? [])
    .filter((m) => !(m.type === 'tmpfs' && tmpfsFlags.has(m.target)))
    .map((m) => {
      const common = { Destination: m.target, Mode: m.mode, RW: !m.readonly };
      switch (m.type) {
        case 'volume':
          return {
            Type: 'volume', Name: m.name, Source: sources[m.name] ?? '', ...common,
            Mode: m.mode === '' && m.driver === 'local' && fromBinds.has(m.target) ? 'z' : m.mode, Driver: m.driver, Propagation: '',
          };
        case 'bind':
          return { Type: 'bind', Source: m.source, ...common, Propagation: m.propagation };
        case 'tmpfs':
          return { Type: 'tmpfs', Source: '', ...common, Propagation: '' };
      }
    });
}

// What a container asks to have mounted, parsed and validated the way Docker's volume/mounts linux parser
// does (-v / HostConfig.Binds, --mount / HostConfig.Mounts, --tmpfs / HostConfig.Tmpfs, --volumes-from),
// with Docker's error messages. Pure functions: the only outside fact used (does a bind source exist)
// is asked through a callback.
import path from 'node:path';
import { invalidArgument } from '../errors.js';
import { newId } from '../util/ids.js';
import { mergeTmpfsOptions, tmpfsOptionsFor } from './mount-options.js';
import type { BerthMount, ContainerMountRequest, MountConfig, Propagation, TmpfsMount } from './types.js';

const RW_MODES = new Set(['rw', 'ro']);
const LABEL_MODES = new Set(['z', 'Z']);
const PROPAGATIONS = new Set<string>(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);
const COPY_MODES = new Set(['nocopy']);
const CONSISTENCY_MODES = new Set(['consistent', 'cached', 'delegated']);

/** Docker's ValidMountMode: comma-separated, at most one of each kind (rw/ro, z/Z, propagation, nocopy, consistency). */
export function validMountMode(mode: string): boolean {
  if (mode === '') return true;
  const counts = [0, 0, 0, 0, 0];
  for (const o of mode.split(',')) {
    const kind = [RW_MODES, LABEL_MODES, PROPAGATIONS, COPY_MODES, CONSISTENCY_MODES].findIndex((set) => set.has(o));
    if (kind === -1 || ++counts[kind] > 1) return false;
  }
  return true;
}

const modeParts = (mode: string): string[] => (mode === '' ? [] : mode.split(','));
export const modeIsReadWrite = (mode: string): boolean => validMountMode(mode) && !modeParts(mode).includes('ro');
const modePropagation = (mode: string): string | undefined => modeParts(mode).find((o) => PROPAGATIONS.has(o));

const cleanPath = (p: string): string => {
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
};

const invalidSpec = (raw: string): string => `invalid volume specification: '${raw}'`;

/** Docker's linuxValidateNotRoot + linuxValidateAbsolute. Returns the message, or undefined when valid. */
function destinationProblem(p: string): string | undefined {
  if (cleanPath(p) === '/') return "invalid specification: destination can't be '/'";
  if (!p.startsWith('/')) return `invalid mount path: '${p}' mount path must be absolute`;
  return undefined;
}

/** validateMountConfigImpl: the problem with cfg, or undefined. */
function mountConfigProblem(cfg: MountConfig, bindSourceExists?: (p: string) => boolean): string | undefined {
  if (!cfg.Target) return 'field Target must not be empty';
  const dest = destinationProblem(cfg.Target);
  if (dest) return dest;
  const extra = (field: keyof MountConfig) => (cfg[field] !== undefined ? `field ${field} must not be specified` : undefined);
  switch (cfg.Type) {
    case 'bind': {
      if (!cfg.Source) return 'field Source must not be empty';
      const propagation = cfg.BindOptions?.Propagation;
      if (propagation && !PROPAGATIONS.has(propagation)) return `invalid propagation mode: ${propagation}`;
      const other = extra('VolumeOptions') ?? extra('TmpfsOptions');
      if (other) return other;
      if (!cfg.Source.startsWith('/')) return `invalid mount path: '${cfg.Source}' mount path must be absolute`;
      if (bindSourceExists && !cfg.BindOptions?.CreateMountpoint && !bindSourceExists(cfg.Source)) {
        return `bind source path does not exist: ${cfg.Source}`;
      }
      return undefined;
    }
    case 'volume': {
      const other = extra('BindOptions') ?? extra('TmpfsOptions');
      if (other) return other;
      const subpath = cfg.VolumeOptions?.Subpath;
      if (subpath && (subpath.startsWith('/') || cleanPath(subpath).split('/')[0] === '..')) {
        return 'subpath must be a relative path within the volume';
      }
      if (cfg.ReadOnly && !cfg.Source) return 'must not set ReadOnly mode when using anonymous volumes';
      return undefined;
    }
    case 'tmpfs': {
      const other = extra('BindOptions') ?? extra('VolumeOptions');
      if (other) return other;
      if (cfg.Source) return 'field Source must not be specified';
      const t = cfg.TmpfsOptions;
      if ((t?.SizeBytes ?? 0) < 0) return 'invalid tmpfs option: size must be >= 0';
      try {
        mergeTmpfsOptions(tmpfsOptionsFor(!!cfg.ReadOnly, t?.SizeBytes, t?.Mode, t?.Options));
      } catch (err) {
        return (err as Error).message;
      }
      return undefined;
    }
    default:
      return 'mount type unknown';
  }
}

/** A validated MountConfig as a berth mount (parseMountSpec). */
function toBerthMount(cfg: MountConfig, mode: string, fromBinds: boolean): BerthMount {
  const target = cleanPath(cfg.Target!);
  const readonly = !!cfg.ReadOnly;
  switch (cfg.Type) {
    case 'bind':
      return {
        type: 'bind',
        target,
        readonly,
        mode,
        source: cleanPath(cfg.Source!),
        propagation: (cfg.BindOptions?.Propagation || 'rprivate') as Propagation,
        recursive: !cfg.BindOptions?.NonRecursive,
        readonlyRecursive: !!cfg.BindOptions?.ReadOnlyForceRecursive,
        createSource: fromBinds || !!cfg.BindOptions?.CreateMountpoint,
      };
    case 'volume': {
      const v = cfg.VolumeOptions;
      return {
        type: 'volume',
        target,
        readonly,
        mode,
        name: cfg.Source || newId(),
        anonymous: !cfg.Source,
        driver: v?.DriverConfig?.Name || 'local',
        driverOptions: { ...v?.DriverConfig?.Options },
        labels: { ...v?.Labels },
        copyData: !v?.NoCopy,
        subpath: v?.Subpath ? cleanPath(v.Subpath) : '',
      };
    }
    default: {
      const t = cfg.TmpfsOptions;
      return { type: 'tmpfs', target, readonly, mode, options: tmpfsOptionsFor(readonly, t?.SizeBytes, t?.Mode, t?.Options) };
    }
  }
}

/** A HostConfig.Mounts entry (--mount). Bind sources must exist unless CreateMountpoint is set. */
export function parseMountConfig(cfg: MountConfig, bindSourceExists: (p: string) => boolean): BerthMount {
  const problem = mountConfigProblem(cfg, bindSourceExists);
  if (problem) throw invalidArgument(`invalid mount config for type ${JSON.stringify(cfg.Type ?? '')}: ${problem}`);
  return toBerthMount(cfg, '', false);
}

/** A HostConfig.Binds entry (-v): "/ctr", "name:/ctr[:mode]", "/host:/ctr[:mode]" (ParseMountRaw). */
export function parseBind(raw: string, volumeDriver?: string): BerthMount {
  const arr = raw.split(':');
  if (arr.length > 3 || arr[0] === '') throw invalidArgument(invalidSpec(raw));
  const cfg: MountConfig = {};
  let mode = '';
  if (arr.length === 1) {
    cfg.Target = arr[0];
  } else {
    if (arr.length === 2 && validMountMode(arr[1])) throw invalidArgument(invalidSpec(raw));
    [cfg.Source, cfg.Target] = arr;
    mode = arr[2] ?? '';
  }
  if (!validMountMode(mode)) throw invalidArgument(`invalid mode: ${mode}`);
  cfg.Type = cfg.Source?.startsWith('/') ? 'bind' : 'volume';
  cfg.ReadOnly = !modeIsReadWrite(mode);
  if (volumeDriver && cfg.Type === 'volume') cfg.VolumeOptions = { DriverConfig: { Name: volumeDriver } };
  if (modeParts(mode).includes('nocopy')) cfg.VolumeOptions = { ...cfg.VolumeOptions, NoCopy: true };
  const propagation = modePropagation(mode);
  if (propagation) cfg.BindOptions = { Propagation: propagation };
  const problem = mountConfigProblem(cfg);
  if (problem) {
    throw invalidArgument(`${invalidSpec(raw)}: invalid mount config for type ${JSON.stringify(cfg.Type)}: ${problem}`);
  }
  return toBerthMount(cfg, mode, true);
}

/** A HostConfig.Tmpfs entry (--tmpfs /run:rw,size=64m). */
export function parseTmpfs(target: string, options: string): TmpfsMount {
  const problem = destinationProblem(target);
  if (problem) throw invalidArgument(problem);
  const list = options.split(',').filter(Boolean);
  mergeTmpfsOptions(list);
  const readonly = list.filter((o) => RW_MODES.has(o)).pop() === 'ro';
  return { type: 'tmpfs', target: cleanPath(target), readonly, mode: '', options: list };
}

/** --volumes-from "container[:ro|rw]": propagation and copy modes are refused (ParseVolumesFrom). */
export function parseVolumesFrom(spec: string): { container: string; mode: string } {
  if (spec === '') throw invalidArgument('volumes-from specification cannot be an empty string');
  const i = spec.indexOf(':');
  if (i === -1) return { container: spec, mode: 'rw' };
  const mode = spec.slice(i + 1);
  if (!validMountMode(mode) || modePropagation(mode) || modeParts(mode).includes('nocopy')) {
    throw invalidArgument(`invalid mode: ${mode}`);
  }
  return { container: spec.slice(0, i), mode };
}

/**
 * All mounts of a new container, as Docker's registerMountPoints and anonymous volume creation combine them:
 * --volumes-from first (overridden by anything else at the same target), then Binds, Mounts and Tmpfs
 * (a target given twice is "Duplicate mount point"), then anonymous volumes where nothing is mounted yet.
 */
export function resolveContainerMounts(req: ContainerMountRequest, bindSourceExists: (p: string) => boolean): BerthMount[] {
  const byTarget = new Map<string, BerthMount>();
  for (const from of req.volumesFrom ?? []) {
    for (const m of from.mounts) {
      const readonly = m.readonly || !modeIsReadWrite(from.mode);
      byTarget.set(m.target, m.type === 'volume' ? { ...m, readonly, copyData: false } : { ...m, readonly });
    }
  }
  const explicit = new Set<string>();
  const add = (m: BerthMount) => {
    if (explicit.has(m.target)) throw invalidArgument(`Duplicate mount point: ${m.target}`);
    explicit.add(m.target);
    byTarget.set(m.target, m);
  };
  for (const raw of req.binds ?? []) add(parseBind(raw, req.volumeDriver));
  for (const cfg of req.mounts ?? []) {
    const m = parseMountConfig(cfg, bindSourceExists);
    if (m.type === 'volume' && req.volumeDriver && !cfg.VolumeOptions?.DriverConfig?.Name) m.driver = req.volumeDriver;
    add(m);
  }
  for (const [target, options] of Object.entries(req.tmpfs ?? {})) add(parseTmpfs(target, options));
  for (const spec of req.volumes ?? []) {
    const problem = destinationProblem(spec);
    if (problem) throw invalidArgument(problem);
    const target = cleanPath(spec);
    if (byTarget.has(target)) continue;
    byTarget.set(target, toBerthMount({ Type: 'volume', Target: target, VolumeOptions: req.volumeDriver ? { DriverConfig: { Name: req.volumeDriver } } : undefined }, '', false));
  }
  return [...byTarget.values()];
}

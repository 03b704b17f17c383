// Berth mounts → OCI runtime spec mounts (Docker's setMounts in daemon/oci_linux.go), and the host-side
// preparation Docker does before a container starts (creating -v sources, checking propagation).
import { lstat, mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { BerthError, invalidArgument, isErrno } from '../errors.js';
import type { OciMount } from '../runtime/types.js';
import { resolveInRoot } from '../fs/resolve-in-root.js';
import { mountOf } from '../fs/mountinfo.js';
import { mergeTmpfsOptions } from './mount-options.js';
import type { BerthMount, BindMount } from './types.js';

/** What every tmpfs gets before the user's options (which win). */
const TMPFS_DEFAULTS = ['noexec', 'nosuid', 'nodev', 'rprivate'];

const depth = (p: string): number => p.split('/').length;

/**
 * OCI mounts for a container, parents before children. volumePaths maps each volume mount's name to the
 * host directory the volume service's mount() returned; a volume subpath is resolved inside it.
 */
export async function toOciMounts(mounts: BerthMount[], volumePaths: Record<string, string>): Promise<OciMount[]> {
  const out: OciMount[] = [];
  for (const m of [...mounts].sort((a, b) => depth(a.target) - depth(b.target))) {
    switch (m.type) {
      case 'tmpfs':
        out.push({
          destination: m.target,
          type: 'tmpfs',
          source: 'tmpfs',
          options: mergeTmpfsOptions([...TMPFS_DEFAULTS, ...m.options]),
        });
        break;
      case 'bind':
        out.push({
          destination: m.target,
          type: 'bind',
          source: m.source,
          options: [m.recursive ? 'rbind' : 'bind', ...readonlyOption(m.readonly, m.readonlyRecursive), m.propagation],
        });
        break;
      case 'volume': {
        const base = volumePaths[m.name];
        if (base === undefined) throw new BerthError('internal', `volume ${m.name} is not mounted`);
        out.push({
          destination: m.target,
          type: 'bind',
          source: m.subpath ? await volumeSubpath(base, m.subpath) : base,
          options: ['rbind', ...readonlyOption(m.readonly, false)],
        });
        break;
      }
    }
  }
  return out;
}

const readonlyOption = (readonly: boolean, recursive: boolean): string[] => (readonly ? [recursive ? 'rro' : 'ro'] : []);

async function volumeSubpath(base: string, subpath: string): Promise<string> {
  const p = await resolveInRoot(base, subpath);
  try {
    await lstat(p);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) throw invalidArgument(`cannot access path ${p}: no such file or directory`);
    throw err;
  }
  return p;
}

/**
 * The rootfs propagation the container needs: shared when a bind asks for (r)shared, rslave when one asks
 * for (r)slave, undefined to keep the runtime's default.
 */
export function rootfsPropagationFor(mounts: BerthMount[]): 'shared' | 'rslave' | undefined {
  const props = mounts.filter((m): m is BindMount => m.type === 'bind').map((m) => m.propagation);
  if (props.some((p) => p === 'shared' || p === 'rshared')) return 'shared';
  if (props.some((p) => p === 'slave' || p === 'rslave')) return 'rslave';
  return undefined;
}

/**
 * Before start: -v sources that do not exist are created (0755, like Docker; a file source is fine), and a
 * bind asking for shared or slave propagation must come from a mount that can propagate.
 */
export async function prepareBindSources(mounts: BerthMount[]): Promise<void> {
  for (const m of mounts) {
    if (m.type !== 'bind') continue;
    if (m.createSource) {
      await mkdir(m.source, { recursive: true, mode: 0o755 }).catch((err: unknown) => {
        if (isErrno(err, 'EEXIST') || isErrno(err, 'ENOTDIR')) return;
        throw new BerthError('internal', `error while creating mount source path '${m.source}': ${(err as Error).message}`);
      });
    }
    const shared = m.propagation === 'shared' || m.propagation === 'rshared';
    const slave = m.propagation === 'slave' || m.propagation === 'rslave';
    if (!shared && !slave) continue;
    const info = await mountOf(await realpath(path.resolve(m.source)));
    const isShared = info.optional.some((o) => o.startsWith('shared:'));
    const isSlave = info.optional.some((o) => o.startsWith('master:'));
    if (shared && !isShared) {
      throw invalidArgument(`path ${m.source} is mounted on ${info.mountPoint} but it is not a shared mount`);
    }
    if (slave && !isShared && !isSlave) {
      throw invalidArgument(`path ${m.source} is mounted on ${info.mountPoint} but it is not a shared or slave mount`);
    }
  }
}

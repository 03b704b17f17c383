// From a container record to what runc runs: the OCI spec of the container and the process of an exec.
import { chown, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Container, ExecSpec } from '../engine/types.js';
import type { OciMount, OciProcess, OciSpec } from '../runtime/types.js';
import { containerEnv, generateSpec } from '../runtime/spec.js';
import { hostBoundingSet, processCapabilities } from '../runtime/capabilities.js';
import { resolveUser } from '../runtime/user.js';
import { mkdirAllInRoot } from '../fs/index.js';
import { mergeEnv } from './resolve-config.js';
import type { PreparedMounts } from './mount-hooks.js';

export interface SpecContext {
  cgroupParent: string;
  /** Network namespace to join; a new, unconfigured one when undefined. */
  netnsPath?: string;
  /** No network namespace: the container shares berthd's (--network host). */
  hostNetwork?: boolean;
  /** Volumes, binds and tmpfs (their mount points win over the /etc files). */
  mounts?: PreparedMounts;
}

function etcMounts(c: Container): OciMount[] {
  const mode = c.spec.host.readonlyRootfs ? 'ro' : 'rw';
  return [
    ['/etc/hostname', c.hostnamePath],
    ['/etc/hosts', c.hostsPath],
    ['/etc/resolv.conf', c.resolvConfPath],
  ].map(([destination, source]) => ({ destination, type: 'bind', source, options: ['rbind', 'rprivate', mode] }));
}

export async function buildContainerSpec(c: Container, rootfs: string, ctx: SpecContext): Promise<OciSpec> {
  const user = await resolveUser(rootfs, c.user);
  // Docker creates a missing working directory, owned by the container's user.
  const cwd = await mkdirAllInRoot(rootfs, c.workingDir);
  if (c.workingDir !== '/') await chown(cwd, user.uid, user.gid).catch(() => undefined);
  const userMounts = ctx.mounts?.mounts ?? [];
  const taken = new Set(userMounts.map((m) => m.destination));
  const spec = await generateSpec({
    args: [c.path, ...c.args],
    env: c.env,
    cwd: c.workingDir,
    user,
    hostname: c.spec.hostname ?? c.id.slice(0, 12),
    terminal: c.spec.tty,
    consoleSize: c.spec.host.consoleSize,
    rootfsPath: rootfs,
    readonlyRootfs: c.spec.host.readonlyRootfs,
    privileged: c.spec.host.privileged,
    capAdd: c.spec.host.capAdd,
    capDrop: c.spec.host.capDrop,
    cgroupsPath: `${ctx.cgroupParent}/${c.id}`,
    netnsPath: ctx.netnsPath,
    hostNetwork: ctx.hostNetwork,
    mounts: [...etcMounts(c).filter((m) => !taken.has(m.destination)), ...userMounts],
    shmSize: c.spec.host.shmSize,
  });
  if (ctx.mounts?.rootfsPropagation) spec.linux.rootfsPropagation = ctx.mounts.rootfsPropagation;
  return spec;
}

/**
 * An exec'd process starts from the container's own process (rlimits, capabilities, no-new-privileges) as
 * written to the bundle at start, with the exec's command, user, env and working directory.
 */
export async function buildExecProcess(c: Container, spec: ExecSpec, rootfs: string): Promise<OciProcess> {
  const base = (JSON.parse(await readFile(path.join(path.dirname(rootfs), 'config.json'), 'utf8')) as OciSpec).process;
  const user = await resolveUser(rootfs, spec.user || c.user);
  const bounding = spec.privileged ? await hostBoundingSet() : base.capabilities?.bounding ?? [];
  const { consoleSize: _unused, ...inherited } = base;
  return {
    ...inherited,
    terminal: spec.tty,
    user,
    args: spec.cmd,
    env: containerEnv(mergeEnv(base.env, spec.env), { hostname: c.spec.hostname ?? c.id.slice(0, 12), tty: spec.tty }),
    cwd: spec.workingDir || base.cwd,
    capabilities: processCapabilities(bounding, user.uid),
  };
}

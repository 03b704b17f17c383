// From a container record to what runc runs: the OCI spec of the container and the process of an exec.
import { chown } from 'node:fs/promises';
import type { Container, ExecSpec } from '../engine/types.js';
import type { OciMount, OciProcess, OciSpec } from '../runtime/types.js';
import { containerEnv, generateSpec } from '../runtime/spec.js';
import { containerCapabilities, hostBoundingSet } from '../runtime/capabilities.js';
import { resolveUser } from '../runtime/user.js';
import { mkdirAllInRoot } from '../fs/index.js';
import { mergeEnv } from './resolve-config.js';

export interface SpecContext {
  cgroupParent: string;
  /** Network namespace to join; a new, unconfigured one when undefined. */
  netnsPath?: string;
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
  return generateSpec({
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
    mounts: etcMounts(c),
    shmSize: c.spec.host.shmSize,
  });
}

export async function buildExecProcess(c: Container, spec: ExecSpec, rootfs: string): Promise<OciProcess> {
  const user = await resolveUser(rootfs, spec.user || c.user);
  const caps = containerCapabilities(
    { privileged: spec.privileged || c.spec.host.privileged, capAdd: c.spec.host.capAdd, capDrop: c.spec.host.capDrop },
    await hostBoundingSet(),
  );
  const processCaps = user.uid === 0 ? caps : [];
  return {
    terminal: spec.tty,
    user,
    args: spec.cmd,
    env: containerEnv(mergeEnv(c.env, spec.env), { hostname: c.spec.hostname ?? c.id.slice(0, 12), tty: spec.tty }),
    cwd: spec.workingDir || c.workingDir,
    capabilities: { bounding: caps, effective: processCaps, permitted: processCaps, inheritable: [], ambient: [] },
    noNewPrivileges: false,
  };
}

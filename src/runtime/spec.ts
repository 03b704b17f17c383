// Builds the OCI runtime spec (config.json) of a container the way Docker does: namespaces, default mounts,
// capabilities, masked and read-only paths, device rules and rlimits, fitted to what this host allows.
import { readFile } from 'node:fs/promises';
import type { OciMount, OciSpec, OciUser } from './types.js';
import { containerCapabilities, hostBoundingSet, processCapabilities } from './capabilities.js';
import { hostDevices } from './host-devices.js';
import {
  DEFAULT_DEVICES, DEFAULT_DEVICE_RULES, DEFAULT_NOFILE, DEFAULT_PATH_ENV, DEFAULT_SHM_SIZE, MASKED_PATHS,
  PRIVILEGED_DEVICE_RULES, READONLY_PATHS, defaultMounts, type LinuxDevice,
} from './spec-defaults.js';

export interface SpecInput {
  args: string[];
  /** The container's environment; PATH and HOSTNAME (and TERM with a tty) are added unless present. */
  env: string[];
  cwd: string;
  user: OciUser;
  hostname: string;
  terminal: boolean;
  /** Initial terminal size; conmon's resize changes it later. */
  consoleSize?: { height: number; width: number };
  /** Host path of the (already mounted) root filesystem. */
  rootfsPath: string;
  readonlyRootfs: boolean;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  /** runc's cgroupsPath, e.g. "/berth/<id>". */
  cgroupsPath: string;
  /** Join this network namespace (e.g. /run/netns/x) instead of creating one. */
  netnsPath?: string;
  /** Share the host's network namespace: no network namespace at all. */
  hostNetwork?: boolean;
  /** Binds for /etc/hosts, /etc/hostname, /etc/resolv.conf, volumes...; they replace defaults at the same place. */
  mounts: OciMount[];
  /** Bytes; default 64 MiB. */
  shmSize?: number;
  sysctls?: Record<string, string>;
}

/** What the spec depends on in the host; read from /proc unless given (tests give their own). */
export interface HostFacts {
  boundingSet: readonly string[];
  nofileHardLimit: number;
  devices: () => Promise<LinuxDevice[]>;
}

/** The hard RLIMIT_NOFILE of this process, which bounds what a container can be given. */
export async function hostNofileHardLimit(limitsFile = '/proc/self/limits'): Promise<number> {
  const text = await readFile(limitsFile, 'utf8');
  const hard = /^Max open files\s+\S+\s+(\S+)/m.exec(text)?.[1];
  if (hard === undefined) throw new Error(`no "Max open files" line in ${limitsFile}`);
  return hard === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(hard);
}

async function readHostFacts(given: Partial<HostFacts>): Promise<HostFacts> {
  const [boundingSet, nofileHardLimit] = await Promise.all([
    given.boundingSet ?? hostBoundingSet(),
    given.nofileHardLimit ?? hostNofileHardLimit(),
  ]);
  return { boundingSet, nofileHardLimit, devices: given.devices ?? (() => hostDevices()) };
}

const envKey = (entry: string) => entry.split('=', 1)[0];

/** Docker's daemon environment (PATH, HOSTNAME, TERM=xterm with a tty), overridden by the container's own. */
export function containerEnv(env: string[], opts: { hostname: string; tty: boolean }): string[] {
  const defaults = [`PATH=${DEFAULT_PATH_ENV}`, `HOSTNAME=${opts.hostname}`, ...(opts.tty ? ['TERM=xterm'] : [])];
  const merged = new Map<string, string>();
  for (const entry of [...defaults, ...env]) merged.set(envKey(entry), entry);
  return [...merged.values()];
}

const depth = (p: string) => p.split('/').filter(Boolean).length;

/** Defaults that a user mount does not replace, then user mounts, parents before children. */
function mergeMounts(defaults: OciMount[], user: OciMount[]): OciMount[] {
  const taken = new Set(user.map((m) => m.destination));
  const devMounted = taken.has('/dev');
  const kept = defaults.filter((m) => !taken.has(m.destination) && !(devMounted && m.destination.startsWith('/dev/')));
  const sorted = user.map((m, i) => ({ m, i })).sort((a, b) => depth(a.m.destination) - depth(b.m.destination) || a.i - b.i);
  return [...kept, ...sorted.map(({ m }) => m)];
}

function namespaces(input: SpecInput): { type: string; path?: string }[] {
  const ns: { type: string; path?: string }[] = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'cgroup' }];
  if (input.netnsPath) ns.push({ type: 'network', path: input.netnsPath });
  else if (!input.hostNetwork) ns.push({ type: 'network' });
  return ns;
}

function sysctls(input: SpecInput): Record<string, string> {
  // Docker lets unprivileged users bind low ports and ping inside a container's own network namespace.
  const net: Record<string, string> = input.hostNetwork
    ? {}
    : { 'net.ipv4.ip_unprivileged_port_start': '0', 'net.ipv4.ping_group_range': '0 2147483647' };
  return { ...net, ...input.sysctls };
}

export async function generateSpec(input: SpecInput, given: Partial<HostFacts> = {}): Promise<OciSpec> {
  const host = await readHostFacts(given);
  const caps = containerCapabilities(input, host.boundingSet);
  const nofileHard = Math.min(DEFAULT_NOFILE.hard, host.nofileHardLimit);
  const devices = input.privileged ? await host.devices() : [...DEFAULT_DEVICES];
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: input.terminal,
      ...(input.terminal && input.consoleSize ? { consoleSize: input.consoleSize } : {}),
      user: input.user,
      args: input.args,
      env: containerEnv(input.env, { hostname: input.hostname, tty: input.terminal }),
      cwd: input.cwd,
      capabilities: processCapabilities(caps, input.user.uid),
      rlimits: [{ type: 'RLIMIT_NOFILE', soft: Math.min(DEFAULT_NOFILE.soft, nofileHard), hard: nofileHard }],
      noNewPrivileges: false,
      oomScoreAdj: 0,
    },
    root: { path: input.rootfsPath, readonly: input.readonlyRootfs },
    hostname: input.hostname,
    mounts: mergeMounts(defaultMounts(input.shmSize ?? DEFAULT_SHM_SIZE, input.privileged), input.mounts),
    linux: {
      namespaces: namespaces(input),
      cgroupsPath: input.cgroupsPath,
      sysctl: sysctls(input),
      devices,
      resources: { devices: input.privileged ? PRIVILEGED_DEVICE_RULES : DEFAULT_DEVICE_RULES },
      maskedPaths: input.privileged ? [] : MASKED_PATHS,
      readonlyPaths: input.privileged ? [] : READONLY_PATHS,
    },
  };
}

// Linux capabilities as Docker hands them out: a default set, --cap-add/--cap-drop on top, everything for
// --privileged. "Everything" means this host's bounding set: a capability missing there cannot be granted.
import { readFile } from 'node:fs/promises';
import { invalidArgument } from '../errors.js';
import type { OciProcess } from './types.js';

/** Capability names indexed by their bit number (linux/capability.h). */
export const CAPABILITY_NAMES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/** Docker's default set (moby oci/defaults.go). */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Names of the bits set in a capability mask such as /proc/self/status's CapBnd. */
export function capabilitiesFromMask(mask: bigint): string[] {
  return CAPABILITY_NAMES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

/** The bounding set of this process: what any container of ours can be given at most. */
export async function hostBoundingSet(statusFile = '/proc/self/status'): Promise<string[]> {
  const status = await readFile(statusFile, 'utf8');
  const hex = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (!hex) throw new Error(`no CapBnd line in ${statusFile}`);
  return capabilitiesFromMask(BigInt('0x' + hex));
}

/** "net_admin", "NET_ADMIN" and "CAP_NET_ADMIN" all name CAP_NET_ADMIN; "ALL" stays "ALL". */
function normalize(list: string[]): { caps: Set<string>; all: boolean } {
  const caps = new Set<string>();
  let all = false;
  for (const raw of list) {
    const upper = raw.trim().toUpperCase();
    if (upper === 'ALL') {
      all = true;
      continue;
    }
    const name = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (!CAPABILITY_NAMES.includes(name)) throw invalidArgument(`unknown capability: "${name}"`);
    caps.add(name);
  }
  return { caps, all };
}

export interface CapabilityRequest {
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
}

/**
 * The container's capability list with Docker's rules (moby oci/caps TweakCapabilities): privileged gets all,
 * cap-add ALL means all but the drops, cap-drop ALL means only the adds, otherwise defaults minus drops plus adds.
 * Capabilities outside `bounding` are left out: the kernel would refuse them.
 */
export function containerCapabilities(req: CapabilityRequest, bounding: readonly string[]): string[] {
  const add = normalize(req.capAdd);
  const drop = normalize(req.capDrop);
  let caps: string[];
  if (req.privileged) caps = [...bounding];
  else if (add.all) caps = bounding.filter((c) => !drop.caps.has(c));
  else if (drop.all) caps = [...add.caps];
  else caps = [...DEFAULT_CAPABILITIES.filter((c) => !drop.caps.has(c)), ...add.caps];
  return [...new Set(caps)].filter((c) => bounding.includes(c));
}

/** The process capability sets for a list: root gets them all, another user bounding only (as execve would, Docker). */
export function processCapabilities(caps: string[], uid: number): NonNullable<OciProcess['capabilities']> {
  const held = uid === 0 ? caps : [];
  return { bounding: caps, effective: held, permitted: held, inheritable: [], ambient: [] };
}

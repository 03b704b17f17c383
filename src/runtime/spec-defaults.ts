// Docker's defaults for a Linux container (moby oci/defaults.go and daemon/oci_linux.go), as data.
import type { OciMount } from './types.js';

export const DEFAULT_PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Default /dev/shm size when none is asked for: 64 MiB, as Docker. */
export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

/** Docker's default RLIMIT_NOFILE; the hard limit is capped at the host's (runc cannot raise it). */
export const DEFAULT_NOFILE = { soft: 1024, hard: 1048576 };

export function defaultMounts(shmSize: number, privileged: boolean): OciMount[] {
  // Privileged containers get /sys and the cgroup tree writable (moby clears "ro" on both).
  const ro = privileged ? 'rw' : 'ro';
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', ro] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', ro] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shmSize}`] },
  ];
}

export const MASKED_PATHS: readonly string[] = [
  '/proc/asound', '/proc/acpi', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
  '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

export const READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export interface LinuxDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

export interface DeviceCgroupRule {
  allow: boolean;
  type?: 'a' | 'c' | 'b';
  major?: number;
  minor?: number;
  access: string;
}

const charDevice = (path: string, major: number, minor: number): LinuxDevice => ({
  path, type: 'c', major, minor, fileMode: 0o666, uid: 0, gid: 0,
});

/** The devices every container has (the OCI spec's default devices; runc would add them too). */
export const DEFAULT_DEVICES: readonly LinuxDevice[] = [
  charDevice('/dev/null', 1, 3),
  charDevice('/dev/zero', 1, 5),
  charDevice('/dev/full', 1, 7),
  charDevice('/dev/random', 1, 8),
  charDevice('/dev/urandom', 1, 9),
  charDevice('/dev/tty', 5, 0),
];

const allowChar = (major: number | undefined, minor: number | undefined, access = 'rwm'): DeviceCgroupRule => ({
  allow: true, type: 'c', major, minor, access,
});

/** Device cgroup: deny everything, then allow the default devices, ptys and mknod, as Docker and runc do. */
export const DEFAULT_DEVICE_RULES: readonly DeviceCgroupRule[] = [
  { allow: false, access: 'rwm' },
  allowChar(1, 5), // zero
  allowChar(1, 3), // null
  allowChar(1, 9), // urandom
  allowChar(1, 8), // random
  allowChar(1, 7), // full
  allowChar(5, 0), // tty
  allowChar(5, 1), // console
  allowChar(5, 2), // ptmx
  allowChar(136, undefined), // pts/*
  // Before the wildcards: cgroup v1 cannot punch a hole into an existing wildcard rule.
  { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' }, // fuse
  allowChar(undefined, undefined, 'm'), // mknod of any char device
  { allow: true, type: 'b', access: 'm' }, // mknod of any block device
];

export const PRIVILEGED_DEVICE_RULES: readonly DeviceCgroupRule[] = [{ allow: true, access: 'rwm' }];

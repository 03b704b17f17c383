// The N-API addon (native/berth_native.c): syscalls Node lacks. Loaded once, from the package's build/ folder.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface NativeAddon {
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  umount(target: string, flags: number): void;
  mknod(path: string, mode: number, major: number, minor: number): void;
  lsetxattr(path: string, name: string, value: Buffer): void;
  /** null when the attribute is absent or the filesystem has none. */
  lgetxattr(path: string, name: string): Buffer | null;
  llistxattr(path: string): string[];
  /** A connected, non-blocking AF_UNIX SOCK_SEQPACKET socket. */
  seqpacketConnect(path: string): number;
}

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const native: NativeAddon = createRequire(import.meta.url)(
  path.join(packageRoot, 'build', 'Release', 'berth_native.node'),
) as NativeAddon;

// mount(2) flags used by berth.
export const MS_RDONLY = 0x1;
export const MS_NOSUID = 0x2;
export const MS_NODEV = 0x4;
export const MS_NOEXEC = 0x8;
export const MS_REMOUNT = 0x20;
export const MS_BIND = 0x1000;
export const MS_REC = 0x4000;
export const MS_PRIVATE = 0x40000;
// umount2(2) flags.
export const MNT_DETACH = 0x2;

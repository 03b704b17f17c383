// The `local` driver's options (type, device, o): validated at create, mounted on the volume's _data
// directory while a container uses it (moby/sys/mount.Mount's sequence: mount, propagation, ro remount).
import { BerthError, invalidArgument, isErrno } from '../errors.js';
import { native, MNT_DETACH, MS_BIND, MS_RDONLY, MS_REC, MS_REMOUNT } from '../util/native.js';
import { parseMountOptions, PROPAGATION_FLAGS } from './mount-options.js';

const VALID_OPTIONS = new Set(['type', 'device', 'o', 'size']);
/** An option that needs others: device needs type, type needs device, o needs both. */
const REQUIRED: Record<string, string[]> = { device: ['type'], type: ['device'], o: ['device', 'type'] };

/** Docker's local driver validateOpts. */
export function validateLocalOptions(opts: Record<string, string>): void {
  for (const key of Object.keys(opts)) {
    if (!VALID_OPTIONS.has(key)) throw invalidArgument(`invalid option: ${JSON.stringify(key)}`);
  }
  if ('size' in opts) throw invalidArgument('quota size requested but no quota support');
  for (const [key, needs] of Object.entries(REQUIRED)) {
    if (!(key in opts)) continue;
    for (const need of needs) {
      if (!(need in opts)) throw invalidArgument(`missing required option: ${JSON.stringify(need)}`);
    }
  }
}

/** True when the volume is a mount of something (tmpfs, a device, a bind) rather than a plain directory. */
export const hasDevice = (opts: Record<string, string>): boolean => opts.device !== undefined;

export function mountLocal(opts: Record<string, string>, target: string): void {
  const { flags, data } = parseMountOptions(opts.o ?? '');
  const plain = flags & ~PROPAGATION_FLAGS;
  let mounted = false;
  try {
    if (!(plain & MS_REMOUNT) || data !== '') {
      native.mount(opts.device, target, opts.type, plain, data || null);
      mounted = true;
    }
    if (flags & PROPAGATION_FLAGS) native.mount(null, target, null, flags & (PROPAGATION_FLAGS | MS_REC), null);
    if ((plain & (MS_BIND | MS_RDONLY)) === (MS_BIND | MS_RDONLY)) {
      native.mount(null, target, null, plain | MS_REMOUNT, null);
    }
  } catch (err) {
    if (mounted) unmountLocal(target);
    throw new BerthError('internal', `failed to mount local volume: mount ${opts.device}:${target}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

export function unmountLocal(target: string): void {
  try {
    native.umount(target, MNT_DETACH);
  } catch (err) {
    if (!isErrno(err, 'EINVAL') && !isErrno(err, 'ENOENT')) throw err; // EINVAL: not mounted
  }
}

// fstab-style mount options: the flag table shared by tmpfs option merging (moby/sys/mount
// MergeTmpfsOptions) and by the local driver's `o=` option (mount.Mount's parseOptions).
import { invalidArgument } from '../errors.js';
import { MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE } from '../util/native.js';

// mount(2) flags native.ts does not name.
const MS_SYNCHRONOUS = 0x10;
const MS_MANDLOCK = 0x40;
const MS_DIRSYNC = 0x80;
const MS_NOATIME = 0x400;
const MS_NODIRATIME = 0x800;
const MS_UNBINDABLE = 0x20000;
const MS_SLAVE = 0x80000;
const MS_SHARED = 0x100000;
const MS_RELATIME = 0x200000;
const MS_STRICTATIME = 0x1000000;
export const PROPAGATION_FLAGS = MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;

interface Flag {
  flag: number;
  /** The option turns the flag off ("rw", "exec", ...). */
  clear: boolean;
}

const FLAGS: Record<string, Flag> = {
  defaults: { flag: 0, clear: false },
  ro: { flag: MS_RDONLY, clear: false },
  rw: { flag: MS_RDONLY, clear: true },
  suid: { flag: MS_NOSUID, clear: true },
  nosuid: { flag: MS_NOSUID, clear: false },
  dev: { flag: MS_NODEV, clear: true },
  nodev: { flag: MS_NODEV, clear: false },
  exec: { flag: MS_NOEXEC, clear: true },
  noexec: { flag: MS_NOEXEC, clear: false },
  sync: { flag: MS_SYNCHRONOUS, clear: false },
  async: { flag: MS_SYNCHRONOUS, clear: true },
  dirsync: { flag: MS_DIRSYNC, clear: false },
  remount: { flag: MS_REMOUNT, clear: false },
  mand: { flag: MS_MANDLOCK, clear: false },
  nomand: { flag: MS_MANDLOCK, clear: true },
  atime: { flag: MS_NOATIME, clear: true },
  noatime: { flag: MS_NOATIME, clear: false },
  diratime: { flag: MS_NODIRATIME, clear: true },
  nodiratime: { flag: MS_NODIRATIME, clear: false },
  bind: { flag: MS_BIND, clear: false },
  rbind: { flag: MS_BIND | MS_REC, clear: false },
  unbindable: { flag: MS_UNBINDABLE, clear: false },
  runbindable: { flag: MS_UNBINDABLE | MS_REC, clear: false },
  private: { flag: MS_PRIVATE, clear: false },
  rprivate: { flag: MS_PRIVATE | MS_REC, clear: false },
  shared: { flag: MS_SHARED, clear: false },
  rshared: { flag: MS_SHARED | MS_REC, clear: false },
  slave: { flag: MS_SLAVE, clear: false },
  rslave: { flag: MS_SLAVE | MS_REC, clear: false },
  relatime: { flag: MS_RELATIME, clear: false },
  norelatime: { flag: MS_RELATIME, clear: true },
  strictatime: { flag: MS_STRICTATIME, clear: false },
  nostrictatime: { flag: MS_STRICTATIME, clear: true },
};

/** Data options tmpfs accepts. */
const TMPFS_DATA = new Set(['', 'size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol']);

/** Splits "ro,nosuid,size=1m" into mount(2) flags and the data string for the filesystem. */
export function parseMountOptions(options: string): { flags: number; data: string } {
  let flags = 0;
  const data: string[] = [];
  for (const o of options.split(',')) {
    const f = FLAGS[o];
    if (f === undefined) {
      if (o !== '') data.push(o);
    } else if (f.clear) {
      flags &= ~f.flag;
    } else {
      flags |= f.flag;
    }
  }
  return { flags, data: data.join(',') };
}

/** Go's %q of a []string, as Docker prints the offending tmpfs option. */
const goQuoteList = (parts: string[]): string => `[${parts.map((p) => JSON.stringify(p)).join(' ')}]`;

/**
 * Docker's MergeTmpfsOptions: later options win over earlier ones touching the same flag (exec over
 * noexec, one propagation mode) or the same key (size=...); unknown data options are refused.
 */
export function mergeTmpfsOptions(options: string[]): string[] {
  const flagSeen = new Set<number>();
  const dataSeen = new Set<string>();
  const out: string[] = [];
  for (let i = options.length - 1; i >= 0; i--) {
    const option = options[i];
    if (option === 'defaults') continue;
    const f = FLAGS[option];
    if (f !== undefined && f.flag !== 0) {
      const key = f.flag & PROPAGATION_FLAGS ? -1 : f.flag;
      if (!flagSeen.has(key)) {
        out.unshift(option);
        flagSeen.add(key);
      }
      continue;
    }
    const eq = option.indexOf('=');
    const parts = eq === -1 ? [option] : [option.slice(0, eq), option.slice(eq + 1)];
    if (parts.length !== 2 || !TMPFS_DATA.has(parts[0])) throw invalidArgument(`invalid tmpfs option ${goQuoteList(parts)}`);
    if (!dataSeen.has(parts[0])) {
      out.unshift(option);
      dataSeen.add(parts[0]);
    }
  }
  return out;
}

/** Docker's ConvertTmpfsOptions: --mount type=tmpfs settings as tmpfs options. */
export function tmpfsOptionsFor(readonly: boolean, size?: number, mode?: number, extra: string[][] = []): string[] {
  const out: string[] = [];
  if (readonly) out.push('ro');
  if (mode) out.push(`mode=${mode.toString(8)}`);
  if (size) {
    const unit = [
      ['g', 2 ** 30],
      ['m', 2 ** 20],
      ['k', 2 ** 10],
    ].find(([, d]) => size % (d as number) === 0);
    out.push(unit ? `size=${size / (unit[1] as number)}${unit[0]}` : `size=${size}`);
  }
  for (const o of extra) {
    if (o.length === 1) out.push(o[0]);
    else if (o.length === 2) out.push(`${o[0]}=${o[1]}`);
  }
  return out;
}

const UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/** go-units RAMInBytes: "64m", "1.5g", "1024", "512KiB" in binary units. */
export function parseRamSize(s: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kmgtp])?i?b?$/i.exec(s);
  if (!m) throw invalidArgument(`invalid size: '${s}'`);
  return Math.trunc(parseFloat(m[1]) * UNITS[(m[2] ?? '').toLowerCase()]);
}

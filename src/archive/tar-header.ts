// Tar headers as berth reads and writes them (ustar + PAX, GNU long names on input). berth has its own codec
// because PAX values (SCHILY.xattr.security.capability) are binary and must survive byte for byte.
import { invalidArgument } from '../errors.js';

export type TarType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'directory' | 'fifo';

export interface TarHeader {
  name: string;
  type: TarType;
  mode: number; // permission bits incl. setuid/setgid/sticky
  uid: number;
  gid: number;
  size: number;
  /** Unix seconds, possibly fractional (PAX). */
  mtime: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** From PAX SCHILY.xattr.<name> records. */
  xattrs: Record<string, Buffer>;
}

export const blockSize = 512;

const typeFlags: Record<TarType, string> = {
  file: '0',
  link: '1',
  symlink: '2',
  char: '3',
  block: '4',
  directory: '5',
  fifo: '6',
};

export function typeFromFlag(flag: string): TarType | undefined {
  if (flag === '\0' || flag === '7') return 'file';
  return (Object.keys(typeFlags) as TarType[]).find((t) => typeFlags[t] === flag);
}

export const padding = (size: number): number => (blockSize - (size % blockSize)) % blockSize;

function parseNumber(buf: Buffer, field: string): number {
  // GNU base-256 for values that do not fit in octal.
  if (buf[0] & 0x80) {
    let v = buf[0] & 0x7f;
    for (let i = 1; i < buf.length; i++) v = v * 256 + buf[i];
    return v;
  }
  const s = buf.toString('latin1').replace(/\0.*$/s, '').trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw invalidArgument(`invalid tar header: bad ${field} field ${JSON.stringify(s)}`);
  return parseInt(s, 8);
}

const cstring = (buf: Buffer): string => {
  const nul = buf.indexOf(0);
  return buf.subarray(0, nul < 0 ? buf.length : nul).toString('utf8');
};

export function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < blockSize; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  return sum;
}

/** Raw fields of one 512-byte header block. */
export interface RawHeader {
  flag: string;
  name: string;
  linkname: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
}

export function decodeBlock(block: Buffer): RawHeader {
  if (parseNumber(block.subarray(148, 156), 'checksum') !== checksum(block)) {
    throw invalidArgument('invalid tar header: checksum mismatch');
  }
  const magic = block.subarray(257, 263).toString('latin1');
  let name = cstring(block.subarray(0, 100));
  if (magic === 'ustar\0') {
    const prefix = cstring(block.subarray(345, 500));
    if (prefix) name = `${prefix}/${name}`;
  }
  return {
    flag: String.fromCharCode(block[156]),
    name,
    linkname: cstring(block.subarray(157, 257)),
    mode: parseNumber(block.subarray(100, 108), 'mode') & 0o7777,
    uid: parseNumber(block.subarray(108, 116), 'uid'),
    gid: parseNumber(block.subarray(116, 124), 'gid'),
    size: parseNumber(block.subarray(124, 136), 'size'),
    mtime: parseNumber(block.subarray(136, 148), 'mtime'),
    uname: cstring(block.subarray(265, 297)),
    gname: cstring(block.subarray(297, 329)),
    devmajor: parseNumber(block.subarray(329, 337), 'devmajor'),
    devminor: parseNumber(block.subarray(337, 345), 'devminor'),
  };
}

/** PAX extended header records: "<len> <key>=<value>\n", values kept as bytes. */
export function parsePax(data: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let off = 0;
  while (off < data.length) {
    const sp = data.indexOf(0x20, off);
    if (sp < 0) break;
    const len = Number(data.subarray(off, sp).toString('latin1'));
    if (!Number.isInteger(len) || len <= sp - off || off + len > data.length) {
      throw invalidArgument('invalid tar header: malformed PAX record');
    }
    const rec = data.subarray(sp + 1, off + len - 1);
    const eq = rec.indexOf(0x3d);
    if (eq > 0) out.set(rec.subarray(0, eq).toString('utf8'), rec.subarray(eq + 1));
    off += len;
  }
  return out;
}

function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

const fitsOctal = (v: number, width: number): boolean => Number.isInteger(v) && v >= 0 && v < 8 ** (width - 1);
const ascii = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

function writeOctal(block: Buffer, off: number, width: number, v: number): void {
  block.write(v.toString(8).padStart(width - 1, '0') + '\0', off, width, 'latin1');
}

function encodeBlock(h: TarHeader, name: string, linkname: string, size: number, flag: string): Buffer {
  const block = Buffer.alloc(blockSize);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, h.mode & 0o7777);
  writeOctal(block, 108, 8, fitsOctal(h.uid, 8) ? h.uid : 0);
  writeOctal(block, 116, 8, fitsOctal(h.gid, 8) ? h.gid : 0);
  writeOctal(block, 124, 12, fitsOctal(size, 12) ? size : 0);
  writeOctal(block, 136, 12, Math.max(0, Math.floor(h.mtime)));
  block.write(flag, 156, 1, 'latin1');
  block.write(linkname, 157, 100, 'utf8');
  block.write('ustar\x0000', 257, 8, 'latin1');
  block.write(h.uname.slice(0, 31), 265, 32, 'utf8');
  block.write(h.gname.slice(0, 31), 297, 32, 'utf8');
  writeOctal(block, 329, 8, h.devmajor);
  writeOctal(block, 337, 8, h.devminor);
  block.write(checksum(block).toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return block;
}

/** Header block(s) for h: a PAX header first when a field does not fit ustar. */
export function encodeHeader(h: TarHeader): Buffer {
  const name = h.type === 'directory' && !h.name.endsWith('/') ? `${h.name}/` : h.name;
  const records: Buffer[] = [];
  const fitsName = Buffer.byteLength(name) <= 100 && ascii(name);
  if (!fitsName) records.push(paxRecord('path', Buffer.from(name)));
  const fitsLink = Buffer.byteLength(h.linkname) <= 100 && ascii(h.linkname);
  if (!fitsLink) records.push(paxRecord('linkpath', Buffer.from(h.linkname)));
  if (!fitsOctal(h.size, 12)) records.push(paxRecord('size', Buffer.from(String(h.size))));
  if (!fitsOctal(h.uid, 8)) records.push(paxRecord('uid', Buffer.from(String(h.uid))));
  if (!fitsOctal(h.gid, 8)) records.push(paxRecord('gid', Buffer.from(String(h.gid))));
  for (const key of Object.keys(h.xattrs).sort()) records.push(paxRecord(`SCHILY.xattr.${key}`, h.xattrs[key]));
  const main = encodeBlock(h, fitsName ? name : name.slice(0, 99), fitsLink ? h.linkname : '', h.size, typeFlags[h.type]);
  if (records.length === 0) return main;
  const pax = Buffer.concat(records);
  const paxName = `PaxHeaders.0/${name.replace(/\/$/, '').split('/').pop()}`.slice(0, 99);
  const paxHeader = encodeBlock({ ...h, xattrs: {} }, paxName, '', pax.length, 'x');
  return Buffer.concat([paxHeader, pax, Buffer.alloc(padding(pax.length)), main]);
}

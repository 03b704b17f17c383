// The DNS wire format (RFC 1035) as far as berth's embedded server needs it: questions in, answers out.
export const QTYPE = { A: 1, PTR: 12, AAAA: 28 } as const;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const CLASS_IN = 1;

export interface Question {
  name: string; // lower case, no trailing dot
  type: number;
  class: number;
}

export interface ResourceRecord {
  name: string;
  type: number;
  ttl: number;
  data: Buffer;
}

export interface DnsMessage {
  id: number;
  /** True for responses. */
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  rcode: number;
  questions: Question[];
  answers: ResourceRecord[];
}

export class DnsFormatError extends Error {}

/** Reads a possibly compressed name at offset; returns it and the offset after it. */
function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  for (let jumps = 0; ; ) {
    if (pos >= buf.length) throw new DnsFormatError('name runs past the message');
    const len = buf[pos];
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length || ++jumps > 32) throw new DnsFormatError('bad compression pointer');
      if (next < 0) next = pos + 2;
      pos = ((len & 0x3f) << 8) | buf[pos + 1];
      continue;
    }
    if (len > 63 || pos + 1 + len > buf.length) throw new DnsFormatError('bad label');
    labels.push(buf.toString('latin1', pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  const name = labels.join('.').toLowerCase();
  if (name.length > 253) throw new DnsFormatError('name too long');
  return { name, next };
}

export function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const parts: Buffer[] = [];
  for (const l of labels) {
    const b = Buffer.from(l, 'latin1');
    if (b.length > 63) throw new DnsFormatError(`label too long: ${l}`);
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

export function decode(buf: Buffer): DnsMessage {
  if (buf.length < 12) throw new DnsFormatError('message shorter than a header');
  const flags = buf.readUInt16BE(2);
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let pos = 12;
  const questions: Question[] = [];
  for (let i = 0; i < qd; i++) {
    const { name, next } = readName(buf, pos);
    if (next + 4 > buf.length) throw new DnsFormatError('truncated question');
    questions.push({ name, type: buf.readUInt16BE(next), class: buf.readUInt16BE(next + 2) });
    pos = next + 4;
  }
  const answers: ResourceRecord[] = [];
  for (let i = 0; i < an; i++) {
    const { name, next } = readName(buf, pos);
    if (next + 10 > buf.length) throw new DnsFormatError('truncated record');
    const len = buf.readUInt16BE(next + 8);
    if (next + 10 + len > buf.length) throw new DnsFormatError('truncated record data');
    const type = buf.readUInt16BE(next);
    // A PTR's data is a name that may point into the message: expand it so it stands alone.
    const data =
      type === QTYPE.PTR ? encodeName(readName(buf, next + 10).name) : Buffer.from(buf.subarray(next + 10, next + 10 + len));
    answers.push({ name, type, ttl: buf.readUInt32BE(next + 4), data });
    pos = next + 10 + len;
  }
  return {
    id: buf.readUInt16BE(0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    rcode: flags & 0xf,
    questions,
    answers,
  };
}

function encodeRecord(r: ResourceRecord): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(r.type, 0);
  fixed.writeUInt16BE(CLASS_IN, 2);
  fixed.writeUInt32BE(r.ttl, 4);
  fixed.writeUInt16BE(r.data.length, 8);
  return Buffer.concat([encodeName(r.name), fixed, r.data]);
}

/** Encodes m; answers that do not fit in maxSize are dropped and TC set. */
export function encode(m: DnsMessage, maxSize = 65535): Buffer {
  const questions = m.questions.map((q) => {
    const tail = Buffer.alloc(4);
    tail.writeUInt16BE(q.type, 0);
    tail.writeUInt16BE(q.class, 2);
    return Buffer.concat([encodeName(q.name), tail]);
  });
  const records: Buffer[] = [];
  let length = 12 + questions.reduce((n, q) => n + q.length, 0);
  let tc = m.tc;
  for (const r of m.answers.map(encodeRecord)) {
    if (length + r.length > maxSize) {
      tc = true;
      break;
    }
    records.push(r);
    length += r.length;
  }
  const header = Buffer.alloc(12);
  header.writeUInt16BE(m.id, 0);
  const flags =
    (m.qr ? 0x8000 : 0) |
    ((m.opcode & 0xf) << 11) |
    (m.aa ? 0x0400 : 0) |
    (tc ? 0x0200 : 0) |
    (m.rd ? 0x0100 : 0) |
    (m.ra ? 0x0080 : 0) |
    (m.rcode & 0xf);
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(questions.length, 4);
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, ...questions, ...records]);
}

export function query(id: number, name: string, type: number): Buffer {
  return encode({ id, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0, questions: [{ name, type, class: CLASS_IN }], answers: [] });
}

export const aRecord = (name: string, ip: string, ttl: number): ResourceRecord => ({
  name,
  type: QTYPE.A,
  ttl,
  data: Buffer.from(ip.split('.').map(Number)),
});

export const ptrRecord = (name: string, target: string, ttl: number): ResourceRecord => ({
  name,
  type: QTYPE.PTR,
  ttl,
  data: encodeName(target),
});

/** "4.3.2.1.in-addr.arpa" → "1.2.3.4"; undefined for other names. */
export function reverseIPv4(name: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(name);
  return m ? [m[4], m[3], m[2], m[1]].join('.') : undefined;
}

// Streaming tar reader and writer over async iterables of Buffers (no whole entry is ever held in memory).
import { invalidArgument } from '../errors.js';
import { blockSize, decodeBlock, encodeHeader, padding, parsePax, typeFromFlag, type TarHeader } from './tar-header.js';

export interface TarEntry {
  header: TarHeader;
  /** The entry's data; read it (or not) before asking for the next entry. */
  body: AsyncIterable<Buffer>;
}

const truncated = () => invalidArgument('invalid tar archive: unexpected end of data');

function byteReader(source: AsyncIterable<Buffer>) {
  const it = source[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  const more = async (): Promise<boolean> => {
    const r = await it.next();
    if (r.done) return false;
    buf = buf.length ? Buffer.concat([buf, r.value]) : r.value;
    return true;
  };
  return {
    /** Exactly n bytes, or fewer only at the end of the data. */
    async read(n: number): Promise<Buffer> {
      while (buf.length < n && (await more()));
      const out = buf.subarray(0, n);
      buf = buf.subarray(out.length);
      return out;
    },
    async *chunks(n: number): AsyncGenerator<Buffer> {
      while (n > 0) {
        if (buf.length === 0 && !(await more())) throw truncated();
        const take = Math.min(n, buf.length);
        const out = buf.subarray(0, take);
        buf = buf.subarray(take);
        n -= take;
        yield out;
      }
    },
    async skip(n: number): Promise<void> {
      for await (const chunk of this.chunks(n)) void chunk;
    },
    /** Consumes the rest (trailing zero blocks still count in a layer's digest). */
    async drain(): Promise<void> {
      buf = Buffer.alloc(0);
      while (await more()) buf = Buffer.alloc(0);
    },
  };
}

/** Reads a tar archive: PAX (local and global) and GNU long names are folded into the headers. */
export async function* readTar(source: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const r = byteReader(source);
  let globalPax = new Map<string, Buffer>();
  let pax = new Map<string, Buffer>();
  let longName: string | undefined;
  let longLink: string | undefined;
  const readData = async (size: number): Promise<Buffer> => {
    if (size > 1 << 20) throw invalidArgument('invalid tar archive: extended header too large');
    const data = await r.read(size + padding(size));
    if (data.length < size + padding(size)) throw truncated();
    return data.subarray(0, size);
  };
  for (;;) {
    const block = await r.read(blockSize);
    if (block.length === 0) return; // no end-of-archive marker: tolerated, like Go's archive/tar
    if (block.length < blockSize) throw truncated();
    if (block.every((b) => b === 0)) {
      await r.drain();
      return;
    }
    const raw = decodeBlock(block);
    switch (raw.flag) {
      case 'x':
        pax = parsePax(await readData(raw.size));
        continue;
      case 'g':
        globalPax = new Map([...globalPax, ...parsePax(await readData(raw.size))]);
        continue;
      case 'L':
        longName = (await readData(raw.size)).toString('utf8').replace(/\0+$/, '');
        continue;
      case 'K':
        longLink = (await readData(raw.size)).toString('utf8').replace(/\0+$/, '');
        continue;
    }
    const type = typeFromFlag(raw.flag);
    if (!type) throw invalidArgument(`invalid tar archive: unsupported entry type ${JSON.stringify(raw.flag)} for ${raw.name}`);
    const records = new Map([...globalPax, ...pax]);
    const text = (k: string) => records.get(k)?.toString('utf8');
    const num = (k: string, fallback: number) => {
      const v = text(k);
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw invalidArgument(`invalid tar header: bad PAX ${k} ${JSON.stringify(v)}`);
      return n;
    };
    const xattrs: Record<string, Buffer> = {};
    for (const [k, v] of records) if (k.startsWith('SCHILY.xattr.')) xattrs[k.slice('SCHILY.xattr.'.length)] = Buffer.from(v);
    const header: TarHeader = {
      name: text('path') ?? longName ?? raw.name,
      type,
      mode: raw.mode,
      uid: num('uid', raw.uid),
      gid: num('gid', raw.gid),
      size: type === 'file' ? num('size', raw.size) : 0,
      mtime: num('mtime', raw.mtime),
      linkname: text('linkpath') ?? longLink ?? raw.linkname,
      uname: text('uname') ?? raw.uname,
      gname: text('gname') ?? raw.gname,
      devmajor: raw.devmajor,
      devminor: raw.devminor,
      xattrs,
    };
    pax = new Map();
    longName = longLink = undefined;
    // Only regular files carry data; any size on other types is still skipped to stay aligned.
    const dataSize = type === 'file' ? header.size : raw.size;
    let left = type === 'file' ? dataSize : 0;
    const body = (async function* () {
      for await (const chunk of r.chunks(left)) {
        left -= chunk.length;
        yield chunk;
      }
    })();
    yield { header, body };
    await r.skip(left + (type === 'file' ? 0 : dataSize) + padding(dataSize));
  }
}

export interface TarOutEntry {
  header: TarHeader;
  /** Regular files: exactly header.size bytes, read only when the entry is written. */
  body?: () => AsyncIterable<Buffer> | Iterable<Buffer>;
}

/** Writes a tar archive (ustar, PAX where needed, two zero blocks at the end). */
export async function* writeTar(entries: AsyncIterable<TarOutEntry> | Iterable<TarOutEntry>): AsyncGenerator<Buffer> {
  for await (const e of entries) {
    yield encodeHeader(e.header);
    if (e.header.type !== 'file') continue;
    let written = 0;
    if (e.body) {
      for await (const chunk of e.body()) {
        written += chunk.length;
        if (written > e.header.size) throw new Error(`tar entry ${e.header.name} grew while being archived`);
        yield chunk;
      }
    }
    if (written !== e.header.size) throw new Error(`tar entry ${e.header.name} shrank while being archived`);
    const pad = padding(written);
    if (pad) yield Buffer.alloc(pad);
  }
  yield Buffer.alloc(blockSize * 2);
}

export function tarHeader(fields: Partial<TarHeader> & Pick<TarHeader, 'name' | 'type'>): TarHeader {
  return {
    mode: fields.type === 'directory' ? 0o755 : 0o644,
    uid: 0,
    gid: 0,
    size: 0,
    mtime: 0,
    linkname: '',
    uname: '',
    gname: '',
    devmajor: 0,
    devminor: 0,
    xattrs: {},
    ...fields,
  };
}

// Layer compression: detected from magic bytes, never trusted from a media type. decompressor() is the one place
// a decompressor is chosen.
import { createZstdDecompress } from './zstd.js';
import { PassThrough, type Transform } from 'node:stream';
import { pipeline } from 'node:stream';
import zlib from 'node:zlib';

export type Compression = 'gzip' | 'zstd' | 'none';

export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

function decompressor(c: Compression): Transform | undefined {
  switch (c) {
    case 'gzip':
      // zlib works in the thread pool, one round trip per output chunk: big chunks keep layers flowing (1 MiB
      // chunks take half the CPU time of 256 KiB ones).
      return zlib.createGunzip({ chunkSize: 1 << 20 });
    case 'zstd':
      return createZstdDecompress();
    case 'none':
      return undefined;
  }
}

/** Per chunk given to decompress: what to call once the decompressor took the chunk in (and holds no reference). */
const takenIn = new WeakMap<Buffer, () => void>();

/**
 * Asks for fn to be called once decompress's decompressor has taken chunk in, so that its memory can be used again.
 * Only zlib is known to keep no reference to its input: fn is never called for zstd or plain data.
 */
export function onTakenIn(chunk: Buffer, fn: () => void): void {
  takenIn.set(chunk, fn);
}

/** Writes chunks into d, waiting while it is full, and ends it; stops when d is destroyed. */
async function feed(d: Transform, chunks: AsyncIterable<Buffer>, release: boolean): Promise<void> {
  const writable = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        d.off('drain', done).off('close', done);
        resolve();
      };
      d.on('drain', done).on('close', done);
    });
  for await (const chunk of chunks) {
    if (d.destroyed) return;
    const taken = release ? takenIn.get(chunk) : undefined;
    if (!d.write(chunk, (err) => err || taken?.())) await writable();
  }
  d.end();
}

/** A pipeline stage: passes plain data through and decompresses gzip (or zstd) data. */
export async function* decompress(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let len = 0;
  while (len < 4) {
    const r = await it.next();
    if (r.done) break;
    head.push(r.value);
    len += r.value.length;
  }
  const first = Buffer.concat(head);
  async function* all(): AsyncGenerator<Buffer> {
    if (first.length) yield first;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  const compression = detectCompression(first);
  const d = decompressor(compression);
  if (!d) {
    yield* all();
    return;
  }
  // Read through an object-mode pass-through: chunks come out as the decompressor made them, where reading it
  // directly would join what queued up into one new buffer (a copy of every byte). Errors of any stage surface
  // through out, which pipeline destroys with them.
  const out = new PassThrough({ readableObjectMode: true, readableHighWaterMark: 4 });
  pipeline(d, out, () => undefined);
  feed(d, all(), compression === 'gzip').catch((err: Error) => d.destroy(err));
  try {
    for await (const chunk of out) yield chunk as Buffer;
  } finally {
    out.destroy();
    d.destroy();
  }
}

/** A pipeline stage that gzips. */
export const gzip = (): Transform => zlib.createGzip();

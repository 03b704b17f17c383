// Digest helpers: parsing (digests come from untrusted manifests and become file names) and hashing.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { invalidArgument } from '../errors.js';
import type { Digest } from './types.js';

const sha256Pattern = /^sha256:([a-f0-9]{64})$/;

/** The hex part of a sha256 digest; invalid_argument for anything else (other algorithms included). */
export function digestHex(digest: Digest): string {
  const m = sha256Pattern.exec(digest);
  if (!m) throw invalidArgument(`invalid digest ${JSON.stringify(digest)}: only sha256 digests are supported`);
  return m[1];
}

export const sha256 = (data: Uint8Array | string): Digest => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A pass-through that hashes and counts what flows through it. */
export interface DigestingStream extends Transform {
  digest(): Digest;
  readonly bytes: number;
}

export function createDigester(onProgress?: (bytes: number) => void): DigestingStream {
  const hash: Hash = createHash('sha256');
  let bytes = 0;
  let final: Digest | undefined;
  const t = new Transform({
    // Chunks come out as they went in: a byte-mode reader would join what has queued up into one new buffer,
    // copying every byte of a layer once more.
    readableObjectMode: true,
    readableHighWaterMark: 4,
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      hash.update(chunk);
      bytes += chunk.length;
      onProgress?.(bytes);
      cb(null, chunk);
    },
  }) as DigestingStream;
  Object.defineProperty(t, 'bytes', { get: () => bytes });
  t.digest = () => (final ??= `sha256:${hash.digest('hex')}`);
  return t;
}

/** A pass-through that fails before its end when the bytes that went through do not hash to expected. */
export function createVerifier(expected: Digest, what: string, onProgress?: (bytes: number) => void): DigestingStream {
  const d = createDigester(onProgress);
  d._flush = (cb: TransformCallback) => {
    const actual = d.digest();
    cb(actual === expected ? null : invalidArgument(`${what}: digest mismatch, expected ${expected}, got ${actual}`));
  };
  return d;
}

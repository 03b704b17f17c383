import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { isBerthError } from '../errors.js';
import { collect } from './test-helpers.js';
import { createZstdDecompress } from './zstd.js';

const zstdCli = (() => {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = zstdCli ? false : 'the zstd CLI is not installed (apt-get install zstd)';
const compress = (data: Buffer, ...args: string[]) => execFileSync('zstd', ['-q', '-c', ...args], { input: data, maxBuffer: 64 << 20 });

/** Feeds data in pieces of `piece` bytes, as a network stream would. */
const inPieces = (data: Buffer, piece: number) =>
  Readable.from((function* () {
    for (let i = 0; i < data.length; i += piece) yield data.subarray(i, i + piece);
  })());

test('zstd streams decompress chunk by chunk, several frames and checksums included', { skip }, async () => {
  const plain = Buffer.concat([randomBytes(1 << 20), Buffer.alloc(2 << 20, 'layer '), randomBytes(4096)]);
  const one = compress(plain, '-3');
  assert.deepEqual(await collect(inPieces(one, 1000).pipe(createZstdDecompress())), plain);
  const twoFrames = Buffer.concat([compress(plain.subarray(0, 5000), '--no-check'), compress(plain.subarray(5000), '-19')]);
  assert.deepEqual(await collect(inPieces(twoFrames, 65536).pipe(createZstdDecompress())), plain);
  assert.deepEqual(await collect(inPieces(compress(Buffer.alloc(0)), 7).pipe(createZstdDecompress())), Buffer.alloc(0));
});

test('corrupt or truncated zstd data is an invalid_argument error', { skip }, async () => {
  const packed = compress(randomBytes(100_000));
  const truncated = packed.subarray(0, packed.length - 100);
  await assert.rejects(collect(inPieces(truncated, 4096).pipe(createZstdDecompress())), (e) => isBerthError(e, 'invalid_argument'));
  const garbage = Buffer.concat([packed.subarray(0, 4), randomBytes(2000)]);
  await assert.rejects(collect(inPieces(garbage, 4096).pipe(createZstdDecompress())), (e) => isBerthError(e, 'invalid_argument'));
});

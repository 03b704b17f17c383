// Zstandard decompression as a stream (Node 20's zlib has none): pure-JS fzstd behind a Transform.
// compression.ts's decompressor() picks it for data starting with the zstd magic 28 b5 2f fd.
import { Transform } from 'node:stream';
import { Decompress } from 'fzstd';
import { invalidArgument } from '../errors.js';

/** A Transform that turns a zstd stream (one or more frames) into its plain bytes. */
export function createZstdDecompress(): Transform {
  let transform: Transform;
  const decoder = new Decompress((data) => {
    if (data.length > 0) transform.push(Buffer.from(data.buffer, data.byteOffset, data.length));
  });
  const feed = (chunk: Uint8Array, final: boolean, done: (err?: Error) => void) => {
    try {
      decoder.push(chunk, final);
      done();
    } catch (err) {
      done(invalidArgument(`zstd: invalid compressed data: ${(err as Error).message}`));
    }
  };
  transform = new Transform({
    transform: (chunk: Buffer, _enc, done) => feed(chunk, false, done),
    flush: (done) => feed(new Uint8Array(0), true, done),
  });
  return transform;
}

// The local content store (after containerd's plugins/content/local): blobs under root/blobs/sha256/<hex>,
// written through ingests under root/ingest/<sha256(ref)>/ and moved into place only once verified.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { BerthError, invalidArgument, isErrno, notFound } from '../errors.js';
import { fsyncDir } from '../util/atomic-write.js';
import { digestHex, sha256 } from './digest.js';
import { createWriteProgress, followFile } from './follow.js';
import type { BlobInfo, ContentStore, ContentWriter, Digest } from './types.js';

export function createContentStore(root: string): ContentStore {
  const blobDir = path.join(root, 'blobs', 'sha256');
  const ingestRoot = path.join(root, 'ingest');
  /** Per ref: resolves when the current writer of that ref is done. Writers of one ref run one after another. */
  const locks = new Map<string, Promise<void>>();

  const blobPath = (digest: Digest) => path.join(blobDir, digestHex(digest));

  async function info(digest: Digest): Promise<BlobInfo | undefined> {
    try {
      const st = await stat(blobPath(digest));
      return { digest, size: st.size };
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return undefined;
      throw err;
    }
  }

  async function lock(ref: string): Promise<() => void> {
    for (;;) {
      const held = locks.get(ref);
      if (!held) break;
      await held;
    }
    let release!: () => void;
    locks.set(ref, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      locks.delete(ref);
      release();
    };
  }

  /** Moves a verified file into place; when the blob exists already the file is dropped. */
  async function place(file: string, digest: Digest): Promise<void> {
    await mkdir(blobDir, { recursive: true });
    await rename(file, blobPath(digest));
    await fsyncDir(blobDir);
  }

  function verify(actual: BlobInfo, expected?: { digest?: Digest; size?: number }): void {
    if (expected?.size !== undefined && expected.size >= 0 && expected.size !== actual.size) {
      throw invalidArgument(`unexpected commit size ${actual.size}, expected ${expected.size}`);
    }
    if (expected?.digest && expected.digest !== actual.digest) {
      throw invalidArgument(`unexpected commit digest ${actual.digest}, expected ${expected.digest}: failed precondition`);
    }
  }

  async function writer(ref: string, opts?: { resume?: boolean }): Promise<ContentWriter> {
    const release = await lock(ref);
    const dir = path.join(ingestRoot, createHash('sha256').update(ref).digest('hex'));
    const dataFile = path.join(dir, 'data');
    const hash = createHash('sha256');
    let offset = 0;
    let fh: FileHandle;
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'ref'), ref);
      if (opts?.resume) {
        try {
          for await (const chunk of createReadStream(dataFile)) {
            hash.update(chunk as Buffer);
            offset += (chunk as Buffer).length;
          }
        } catch (err) {
          if (!isErrno(err, 'ENOENT')) throw err;
        }
      }
      fh = await open(dataFile, offset > 0 ? 'r+' : 'w');
    } catch (err) {
      release();
      throw err;
    }
    let position = offset;
    const progress = createWriteProgress(offset);
    // Chunks that queue up while a write is in flight go out together in one writev.
    const stream = new Writable({
      highWaterMark: 1 << 20,
      writev(chunks, cb) {
        const buffers = chunks.map((c) => c.chunk as Buffer);
        for (const b of buffers) hash.update(b);
        const total = buffers.reduce((n, b) => n + b.length, 0);
        fh.writev(buffers, position).then(
          ({ bytesWritten }) => {
            position += bytesWritten;
            if (bytesWritten !== total) return cb(new Error(`short write to ${dataFile}: ${bytesWritten} of ${total} bytes`));
            // The buffers are done with here: followers may take them (and move them to another thread).
            progress.update(position, buffers);
            progress.caughtUp().then(() => cb(null), cb);
          },
          (err: Error) => cb(err),
        );
      },
    });
    let done = false;
    const finish = async (): Promise<void> => {
      done = true;
      progress.finish(new BerthError('unavailable', `ingest ${ref} was not committed`));
      await fh.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      release();
    };
    return {
      offset,
      stream,
      async commit(expected) {
        if (done) throw new BerthError('internal', `ingest ${ref} already finished`);
        try {
          if (!stream.writableEnded) stream.end();
          await finished(stream);
          await fh.sync();
          const actual = { digest: `sha256:${hash.digest('hex')}`, size: position };
          verify(actual, expected);
          if (!(await info(actual.digest))) await place(dataFile, actual.digest);
          progress.finish(true);
          return actual;
        } finally {
          await finish();
        }
      },
      async abort() {
        if (done) return;
        stream.destroy();
        await finish();
      },
      async follow() {
        if (done) throw new BerthError('internal', `ingest ${ref} already finished`);
        return followFile(await open(dataFile, 'r'), progress);
      },
    };
  }

  async function writeBlob(data: Uint8Array, expected?: Digest): Promise<BlobInfo> {
    const actual = { digest: sha256(data), size: data.byteLength };
    verify(actual, { digest: expected });
    if (await info(actual.digest)) return actual;
    await mkdir(ingestRoot, { recursive: true });
    const tmp = path.join(ingestRoot, `.blob-${randomBytes(8).toString('hex')}`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await place(tmp, actual.digest);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return actual;
  }

  return {
    info,
    path: blobPath,
    async readBlob(digest) {
      try {
        return await readFile(blobPath(digest));
      } catch (err) {
        if (isErrno(err, 'ENOENT')) throw notFound(`content ${digest}: not found`);
        throw err;
      }
    },
    createReadStream(digest, opts) {
      // Blobs are mostly read whole (unpack, push): big reads, fewer round trips.
      return createReadStream(blobPath(digest), { start: opts?.start, highWaterMark: 1 << 20 });
    },
    writer,
    writeBlob,
    async delete(digest) {
      try {
        await unlink(blobPath(digest));
      } catch (err) {
        if (isErrno(err, 'ENOENT')) throw notFound(`content ${digest}: not found`);
        throw err;
      }
    },
    async list() {
      let names: string[];
      try {
        names = await readdir(blobDir);
      } catch (err) {
        if (isErrno(err, 'ENOENT')) return [];
        throw err;
      }
      const out: BlobInfo[] = [];
      for (const name of names) {
        if (!/^[a-f0-9]{64}$/.test(name)) continue;
        const st = await stat(path.join(blobDir, name)).catch(() => undefined);
        if (st) out.push({ digest: `sha256:${name}`, size: st.size });
      }
      return out;
    },
  };
}

// Reading a file while it is being written: the reader waits for whole chunks (or the end), and ends only once the
// writer says the content is complete (verified); it fails when the writer fails. Each chunk is read into memory of
// its own, so that it can move to a worker thread without a copy.
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

const chunkSize = 1 << 20;

/** How far a write got; shared by the writer, which updates it, and its followers. */
export interface WriteProgress {
  /** Bytes written so far. */
  readonly written: number;
  /** true once the content is complete, the error once the write failed; undefined while writing. */
  readonly outcome: true | Error | undefined;
  /** Resolves at the next change. */
  changed(): Promise<void>;
  update(written: number): void;
  /** The first outcome stays. */
  finish(outcome: true | Error): void;
}

export function createWriteProgress(written: number): WriteProgress {
  let outcome: true | Error | undefined;
  let waiters: Array<() => void> = [];
  const notify = () => {
    const w = waiters;
    waiters = [];
    for (const wake of w) wake();
  };
  return {
    get written() {
      return written;
    },
    get outcome() {
      return outcome;
    },
    changed: () => new Promise<void>((resolve) => waiters.push(resolve)),
    update(n) {
      written = n;
      notify();
    },
    finish(o) {
      outcome ??= o;
      notify();
    },
  };
}

/** The content of fh (opened for reading) as progress reports it; fh is closed when the stream ends or is destroyed. */
export function followFile(fh: FileHandle, progress: WriteProgress): Readable {
  let pos = 0;
  async function next(): Promise<Buffer | null> {
    while (progress.outcome === undefined && progress.written - pos < chunkSize) await progress.changed();
    if (progress.outcome instanceof Error) throw progress.outcome;
    const n = Math.min(chunkSize, progress.written - pos);
    if (n === 0) return null;
    const buf = Buffer.allocUnsafeSlow(n);
    const { bytesRead } = await fh.read(buf, 0, n, pos);
    if (bytesRead !== n) throw new Error(`short read: ${bytesRead} of ${n} bytes at ${pos}`);
    pos += n;
    return buf;
  }
  const out: Readable = new Readable({
    objectMode: true,
    highWaterMark: 2,
    read() {
      next().then(
        (chunk) => void (out.destroyed || out.push(chunk)),
        (err: Error) => out.destroy(err),
      );
    },
    destroy(err, cb) {
      fh.close().then(() => cb(err), () => cb(err));
    },
  });
  return out;
}

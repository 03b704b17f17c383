// Reading a file while it is being written: the reader ends only once the writer says the content is complete
// (verified); it fails when the writer fails. A reader is handed the written chunks themselves, straight from
// memory, and the writer waits while a reader is more than a window behind; what was written before a reader came,
// it reads from the file. Each chunk goes to one reader only and is not touched by the writer again, so that it can
// move to a worker thread without a copy.
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

const chunkSize = 1 << 20;
/** Written chunks kept in memory for readers: beyond that, the writer waits for them. */
const windowBytes = 16 << 20;

/** How far a write got; shared by the writer, which updates it, and its followers. */
export interface WriteProgress {
  /** Bytes written so far. */
  readonly written: number;
  /** true once the content is complete, the error once the write failed; undefined while writing. */
  readonly outcome: true | Error | undefined;
  /** Resolves at the next change. */
  changed(): Promise<void>;
  /** chunks were written, ending at written; kept for a reader while one follows. */
  update(written: number, chunks?: Buffer[]): void;
  /** The first outcome stays. */
  finish(outcome: true | Error): void;
  /** Where the chunks kept in memory start (written when none are kept). */
  readonly keptFrom: number;
  /** Takes the chunks kept in memory when they start at pos, up to about max bytes. */
  take(pos: number, max: number): Buffer[];
  /** Readers following: chunks are kept in memory only while there is one. */
  attach(): () => void;
  /** Resolves once readers have taken enough of the chunks kept for them (or are gone, or the write ended). */
  caughtUp(): Promise<void>;
}

export function createWriteProgress(written: number): WriteProgress {
  let outcome: true | Error | undefined;
  let waiters: Array<() => void> = [];
  let readers = 0;
  /** Written chunks in order, the first starting at windowStart. */
  let window: Buffer[] = [];
  let windowStart = written;
  let windowSize = 0;
  const changed = () => new Promise<void>((resolve) => waiters.push(resolve));
  const notify = () => {
    const w = waiters;
    waiters = [];
    for (const wake of w) wake();
  };
  const drop = () => {
    const first = window.shift()!;
    windowStart += first.length;
    windowSize -= first.length;
  };
  const behind = () => readers > 0 && outcome === undefined && windowSize > windowBytes;
  return {
    get written() {
      return written;
    },
    get outcome() {
      return outcome;
    },
    get keptFrom() {
      return windowStart;
    },
    changed,
    update(n, chunks) {
      if (readers > 0 && chunks && windowStart + windowSize === written) {
        window.push(...chunks);
        windowSize += n - written;
      } else {
        window = [];
        windowSize = 0;
        windowStart = n;
      }
      written = n;
      notify();
    },
    finish(o) {
      outcome ??= o;
      notify();
    },
    take(pos, max) {
      const out: Buffer[] = [];
      if (pos !== windowStart) return out;
      for (let size = 0; window.length && size < max; ) {
        size += window[0].length;
        out.push(window[0]);
        drop();
      }
      if (out.length) notify();
      return out;
    },
    attach() {
      readers++;
      let attached = true;
      return () => {
        if (!attached) return;
        attached = false;
        if (--readers === 0) {
          window = [];
          windowStart += windowSize;
          windowSize = 0;
          notify();
        }
      };
    },
    async caughtUp() {
      while (behind()) await changed();
    },
  };
}

/** The content of fh (opened for reading) as progress reports it; fh is closed when the stream ends or is destroyed. */
export function followFile(fh: FileHandle, progress: WriteProgress): Readable {
  let pos = 0;
  const detach = progress.attach();
  async function next(): Promise<Buffer[] | null> {
    while (progress.outcome === undefined && progress.written === pos) await progress.changed();
    if (progress.outcome instanceof Error) throw progress.outcome;
    const kept = progress.take(pos, chunkSize);
    if (kept.length) {
      for (const c of kept) pos += c.length;
      return kept;
    }
    // From the file up to where the chunks in memory start.
    const n = Math.min(chunkSize, (progress.keptFrom > pos ? progress.keptFrom : progress.written) - pos);
    if (n === 0) return null;
    const buf = Buffer.allocUnsafeSlow(n);
    const { bytesRead } = await fh.read(buf, 0, n, pos);
    if (bytesRead !== n) throw new Error(`short read: ${bytesRead} of ${n} bytes at ${pos}`);
    pos += n;
    return [buf];
  }
  const out: Readable = new Readable({
    objectMode: true,
    highWaterMark: 2,
    read() {
      next().then(
        (chunks) => {
          if (out.destroyed) return;
          if (!chunks) out.push(null);
          else for (const c of chunks) out.push(c);
        },
        (err: Error) => out.destroy(err),
      );
    },
    destroy(err, cb) {
      detach();
      fh.close().then(() => cb(err), () => cb(err));
    },
  });
  return out;
}

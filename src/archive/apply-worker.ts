// applyLayer on a worker thread: decompressing, hashing, parsing and writing a layer take a core of their own,
// while the main thread keeps downloading the next layers and serving the API. The layer's bytes are read here
// and handed over in batches of the chunks at hand, as the worker asks for them. Layers extract in parallel, each on
// a worker of its own; idle workers are kept for the next layers.
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { BerthError, type ErrorCode } from '../errors.js';
import type { ApplyOptions, ApplyResult } from './apply.js';

export interface ApplyJob {
  dir: string;
}

export type ToWorker =
  | { kind: 'job'; job: ApplyJob }
  | { kind: 'chunks'; data: Uint8Array[] }
  | { kind: 'end' }
  | { kind: 'fail'; message: string };

export type FromWorker =
  | { kind: 'more' }
  | { kind: 'done'; result: ApplyResult }
  | { kind: 'error'; code?: ErrorCode; message: string };

const workerFile = new URL('./apply-worker-thread.js', import.meta.url);
const maxIdle = 3;
/** Bytes handed over in one message, at most (plus one chunk): fewer, bigger pieces of work for the worker. */
const batchBytes = 1 << 20;
const idle: Worker[] = [];

function takeWorker(): Worker {
  const w = idle.pop() ?? new Worker(workerFile);
  w.removeAllListeners('exit').removeAllListeners('error');
  // A busy worker keeps the process alive; an idle one does not.
  w.ref();
  return w;
}

function giveBack(w: Worker): void {
  w.removeAllListeners('message').removeAllListeners('error').removeAllListeners('exit');
  if (idle.length >= maxIdle) {
    void w.terminate();
    return;
  }
  w.unref();
  // An idle worker that dies is not handed out again.
  w.once('exit', () => {
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  });
  w.on('error', () => undefined);
  idle.push(w);
}

/** Same as applyLayer(dir, tar, opts), on a worker thread. */
export function applyLayerInWorker(dir: string, tar: Readable, opts: ApplyOptions = {}): Promise<ApplyResult> {
  opts.signal?.throwIfAborted();
  const w = takeWorker();
  const chunks = tar[Symbol.asyncIterator]();
  return new Promise<ApplyResult>((resolve, reject) => {
    let settled = false;
    let sourceError: unknown;
    const finish = (fn: () => void, reuse: boolean) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (reuse) giveBack(w);
      else void w.terminate();
      tar.destroy();
      fn();
    };
    // Listened to at once: the source may fail before the worker first asks for bytes.
    tar.on('error', (err) => (sourceError ??= err));
    const onAbort = () => finish(() => reject(opts.signal!.reason), false);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const send = (m: ToWorker, transfer: ArrayBuffer[] = []) => w.postMessage(m, transfer);
    /** The next chunks (what is there, up to about batchBytes), moved to the worker without a copy where a chunk
     * owns its memory. */
    const more = async () => {
      try {
        const data: Uint8Array[] = [];
        for (let size = 0; size < batchBytes && (data.length === 0 || tar.readableLength > 0); ) {
          const r = await chunks.next();
          if (r.done) break;
          const c = r.value as Buffer;
          const owns = c.byteOffset === 0 && c.buffer.byteLength === c.byteLength && c.buffer instanceof ArrayBuffer;
          data.push(owns ? new Uint8Array(c.buffer) : new Uint8Array(c));
          size += c.length;
        }
        if (settled) return;
        if (!data.length) return send({ kind: 'end' });
        send({ kind: 'chunks', data }, data.map((d) => d.buffer as ArrayBuffer));
      } catch (err) {
        sourceError = err;
        if (!settled) send({ kind: 'fail', message: err instanceof Error ? err.message : String(err) });
      }
    };
    w.on('message', (m: FromWorker) => {
      if (m.kind === 'more') void more();
      else if (m.kind === 'done') finish(() => resolve(m.result), true);
      else finish(() => reject(sourceError ?? (m.code ? new BerthError(m.code, m.message) : new Error(m.message))), true);
    });
    w.on('error', (err) => finish(() => reject(err), false));
    w.on('exit', (code) => finish(() => reject(new Error(`layer worker exited with code ${code}`)), false));
    send({ kind: 'job', job: { dir } });
  });
}

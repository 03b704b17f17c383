// The worker side of applyLayerInWorker: layer bytes arrive as messages (one asked for at a time), applyLayer runs
// here, the result or the error goes back.
import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { BerthError } from '../errors.js';
import { applyLayer } from './apply.js';
import type { ApplyJob, FromWorker, ToWorker } from './apply-worker.js';

const port = parentPort!;

function run(job: ApplyJob): void {
  const post = (m: FromWorker) => port.postMessage(m);
  // Object mode: each chunk is read as it came (a byte-mode reader would join queued chunks into a new buffer).
  const input = new Readable({
    objectMode: true,
    highWaterMark: 64,
    read: () => post({ kind: 'more' }),
  });
  const onMessage = (m: ToWorker) => {
    if (m.kind === 'chunks') {
      const bufs = m.data.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength));
      // One piece: each is a round trip to the thread pool in the decompressor and in the file writes.
      input.push(bufs.length === 1 ? bufs[0] : Buffer.concat(bufs));
    }
    else if (m.kind === 'end') input.push(null);
    else if (m.kind === 'fail') input.destroy(new Error(m.message));
  };
  port.on('message', onMessage);
  applyLayer(job.dir, input).then(
    (result) => post({ kind: 'done', result }),
    (err: unknown) => post({ kind: 'error', code: err instanceof BerthError ? err.code : undefined, message: err instanceof Error ? err.message : String(err) }),
  ).finally(() => port.off('message', onMessage));
}

port.on('message', (m: ToWorker) => {
  if (m.kind === 'job') run(m.job);
});

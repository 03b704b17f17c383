// The worker side of applyLayerInWorker: layer bytes arrive as messages (one asked for at a time), applyLayer runs
// here, the result or the error goes back.
import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { BerthError } from '../errors.js';
import { applyLayer } from './apply.js';
import { onTakenIn } from './compression.js';
import type { ApplyJob, FromWorker, ToWorker } from './apply-worker.js';

const port = parentPort!;

/** Memory for joining chunks, used again once the decompressor took a piece in: fresh memory is slow to touch. */
const pieceSize = 2 << 20;
const spare: Buffer[] = [];
const maxSpare = 8;

/** bufs as one piece: each piece is a round trip to the thread pool in the decompressor. */
function joined(bufs: Buffer[]): Buffer {
  if (bufs.length === 1) return bufs[0];
  const size = bufs.reduce((n, b) => n + b.length, 0);
  if (size > pieceSize) return Buffer.concat(bufs, size);
  const memory = spare.pop() ?? Buffer.allocUnsafeSlow(pieceSize);
  let offset = 0;
  for (const b of bufs) offset += b.copy(memory, offset);
  const piece = memory.subarray(0, size);
  onTakenIn(piece, () => void (spare.length < maxSpare && spare.push(memory)));
  return piece;
}

function run(job: ApplyJob): void {
  const post = (m: FromWorker) => port.postMessage(m);
  // Object mode: each chunk is read as it came (a byte-mode reader would join queued chunks into a new buffer).
  const input = new Readable({
    objectMode: true,
    highWaterMark: 8,
    read: () => post({ kind: 'more' }),
  });
  const onMessage = (m: ToWorker) => {
    if (m.kind === 'chunks') input.push(joined(m.data.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength))));
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

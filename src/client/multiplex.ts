// Docker's multiplexed stream framing (logs and attach without a TTY): an 8-byte header
// [stream, 0, 0, 0, size(uint32 big-endian)] then `size` bytes of payload.
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

export type StreamKind = 'stdin' | 'stdout' | 'stderr' | 'system';
export interface Frame {
  stream: StreamKind;
  data: Buffer;
}

const kinds: StreamKind[] = ['stdin', 'stdout', 'stderr', 'system'];
const headerSize = 8;

/** Yields the frames of a multiplexed stream as they complete. */
export async function* demultiplex(source: AsyncIterable<Buffer | string>): AsyncGenerator<Frame> {
  let buffered = Buffer.alloc(0);
  for await (const chunk of source) {
    buffered = buffered.length ? Buffer.concat([buffered, Buffer.from(chunk)]) : Buffer.from(chunk);
    while (buffered.length >= headerSize) {
      const kind = kinds[buffered[0]];
      if (!kind) throw new Error(`malformed multiplexed stream: unknown stream type ${buffered[0]}`);
      const end = headerSize + buffered.readUInt32BE(4);
      if (buffered.length < end) break;
      yield { stream: kind, data: buffered.subarray(headerSize, end) };
      buffered = buffered.subarray(end);
    }
  }
  if (buffered.length) throw new Error('malformed multiplexed stream: it ended inside a frame');
}

async function write(out: Writable, data: Buffer): Promise<void> {
  if (!out.write(data)) await once(out, 'drain');
}

/** Copies stdout frames to `stdout` and stderr frames to `stderr`; a daemon error frame rejects with its text. */
export async function demultiplexTo(source: Readable, stdout: Writable, stderr: Writable): Promise<void> {
  for await (const frame of demultiplex(source)) {
    if (frame.stream === 'system') throw new Error(frame.data.toString('utf8').trim());
    await write(frame.stream === 'stderr' ? stderr : stdout, frame.data);
  }
}

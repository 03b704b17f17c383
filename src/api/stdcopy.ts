// Docker's multiplexed stream (pkg/stdcopy): each frame is [stream, 0, 0, 0, size (uint32 BE)] then size bytes.
import type { StreamName } from '../runtime/types.js';

export const MediaType = {
  raw: 'application/vnd.docker.raw-stream',
  multiplexed: 'application/vnd.docker.multiplexed-stream',
} as const;

const streamIds: Record<StreamName, number> = { stdout: 1, stderr: 2 };

export function frame(stream: StreamName, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = streamIds[stream];
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

/** What goes on the wire for one chunk of output: framed when multiplexed, the bytes as they are otherwise (TTY). */
export const encodeOutput = (multiplexed: boolean, stream: StreamName, data: Buffer): Buffer =>
  multiplexed ? frame(stream, data) : data;

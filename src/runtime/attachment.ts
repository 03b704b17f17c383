// An Attachment over a conmon attach socket. conmon sends one packet per read of the process's output, its first
// byte naming the stream (conmon's stdpipe_t: 2 stdout, 3 stderr); what we send is written to the process's stdin,
// and shutdown(SHUT_WR) closes that stdin (unless conmon was told --leave-stdin-open).
import { Transform, Writable } from 'node:stream';
import type { Attachment, OutputChunk, StreamName } from './types.js';
import type { SeqpacketConnection } from './seqpacket-socket.js';

const STREAMS: Record<number, StreamName | undefined> = { 2: 'stdout', 3: 'stderr' };

/**
 * conmon reads at most CONN_SOCK_BUF_SIZE (32 KiB) per packet and drops the rest of a longer one, so stdin goes
 * out in packets well below that, one at a time.
 */
export const STDIN_PACKET_SIZE = 16 * 1024;

function writePackets(conn: SeqpacketConnection, data: Buffer, done: (err?: Error | null) => void): void {
  let offset = 0;
  const next = (err?: Error | null) => {
    if (err) return done(err);
    if (offset >= data.length) return done();
    const packet = data.subarray(offset, offset + STDIN_PACKET_SIZE);
    offset += packet.length;
    conn.write(packet, next);
  };
  next();
}

export function createAttachment(conn: SeqpacketConnection, withStdin: boolean): Attachment {
  const output = new Transform({
    objectMode: true,
    transform(packet: Buffer, _encoding, callback) {
      const stream = STREAMS[packet[0]];
      if (stream && packet.length > 1) {
        const chunk: OutputChunk = { stream, data: packet.subarray(1) };
        this.push(chunk);
      }
      callback();
    },
  });
  conn.packets.pipe(output);

  const stdin = withStdin
    ? new Writable({
        write(chunk: Buffer, _encoding, callback) {
          writePackets(conn, chunk, callback);
        },
        final(callback) {
          conn.end();
          callback();
        },
      })
    : undefined;
  // Writing after the process is gone fails; that must not take the daemon down when nobody listens.
  stdin?.on('error', () => undefined);

  return {
    output,
    stdin,
    close() {
      conn.destroy();
    },
  };
}

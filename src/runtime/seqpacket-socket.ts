// conmon's attach socket is AF_UNIX SOCK_SEQPACKET, which Node does not support. This file is the only place that
// knows the two tricks it takes:
// - net.Socket({ fd }) refuses such an fd (libuv's guess_handle reports UNKNOWN), but a pipe_wrap handle opened on
//   it works: libuv reads it with read(2), so every 'data' event is exactly one packet, every write one packet.
// - libuv takes "short read + POLLHUP" for the end of a byte stream. Every packet is a short read, so once the peer
//   has closed, libuv reports the end while packets may still be queued: those are read directly from the fd.
import net from 'node:net';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { native } from '../util/native.js';

interface PipeHandle {
  open(fd: number): void;
}

interface PipeWrapBinding {
  Pipe: new (type: number) => PipeHandle;
  constants: { SOCKET: number };
}

const { Pipe, constants: pipeTypes } = (process as unknown as { binding(name: 'pipe_wrap'): PipeWrapBinding }).binding(
  'pipe_wrap',
);

export interface SeqpacketConnection {
  /** Object-mode stream of the packets received (Buffers), in order; ends when the peer has closed. */
  packets: Readable;
  /** Sends one packet. */
  write(packet: Buffer, callback: (err?: Error | null) => void): void;
  /** shutdown(SHUT_WR): the peer reads end-of-file; packets keep arriving. */
  end(): void;
  destroy(): void;
}

/** The packets still queued on a non-blocking socket fd. */
function drainQueued(fd: number): Buffer[] {
  const packets: Buffer[] = [];
  const buf = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch {
      return packets; // EAGAIN: the queue is empty
    }
    if (n === 0) return packets;
    packets.push(Buffer.from(buf.subarray(0, n)));
  }
}

function wrap(fd: number): SeqpacketConnection {
  const handle = new Pipe(pipeTypes.SOCKET);
  handle.open(fd);
  const socket = new net.Socket({ handle, readable: true, writable: true, allowHalfOpen: true } as net.SocketConstructorOpts);
  let ended = false;
  const packets = new Readable({
    objectMode: true,
    read() {
      socket.resume();
    },
  });
  const finish = () => {
    if (ended) return;
    ended = true;
    packets.push(null);
  };
  socket.on('data', (packet: Buffer) => {
    if (!ended && !packets.push(packet)) socket.pause();
  });
  socket.on('end', () => {
    // The fd is still open here (allowHalfOpen): read what libuv left behind before letting go of it.
    if (!ended) for (const packet of drainQueued(fd)) packets.push(packet);
    finish();
    socket.destroy();
  });
  socket.on('close', finish);
  // A reset means the peer died: the stream of packets is over either way.
  socket.on('error', finish);
  return {
    packets,
    write: (packet, callback) => void socket.write(packet, callback),
    end: () => void socket.end(),
    destroy() {
      socket.destroy();
      finish();
    },
  };
}

/**
 * Connects to the SEQPACKET socket `name` inside directory `dir`. The address goes through /proc/self/fd, so the
 * length of dir does not matter (sun_path holds 108 bytes).
 */
export function connectSeqpacket(dir: string, name: string): SeqpacketConnection {
  const dirFd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  let fd: number;
  try {
    fd = native.seqpacketConnect(`/proc/self/fd/${dirFd}/${name}`);
  } finally {
    closeSync(dirFd);
  }
  try {
    return wrap(fd);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

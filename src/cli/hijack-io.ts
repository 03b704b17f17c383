// The local end of a hijacked connection (attach, exec, run): stdin in, stdout/stderr out (demultiplexed
// without a TTY, raw with one, the local terminal in raw mode), detach keys, TTY size and signal forwarding.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import type { Duplex, Readable } from 'node:stream';
import { demultiplexTo, type TtySize } from '../client/index.js';
import type { Io } from './command.js';
import { UsageError } from './errors.js';
import { isErrno } from '../errors.js';

export const defaultDetachKeys = 'ctrl-p,ctrl-q';

const ctrlSymbols: Record<string, number> = { '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, '_': 31 };

/** "ctrl-p,ctrl-q" or "a,ctrl-@" into bytes, like docker's term.ToBytes. */
export function parseDetachKeys(keys: string): Buffer {
  const bytes = keys.split(',').map((key) => {
    const k = key.trim().toLowerCase();
    if (k.length === 1) return k.charCodeAt(0);
    const ctrl = /^ctrl-(.)$/.exec(k)?.[1];
    if (ctrl !== undefined && ctrl >= 'a' && ctrl <= 'z') return ctrl.charCodeAt(0) - 96;
    if (ctrl !== undefined && ctrl in ctrlSymbols) return ctrlSymbols[ctrl];
    throw new UsageError(`Invalid detach keys (${keys}) provided`, 1);
  });
  return Buffer.from(bytes);
}

/** Watches stdin bytes for the detach sequence; bytes of a partial match are held back until it fails. */
export function escapeDetector(keys: Buffer): (chunk: Buffer) => { forward: Buffer; detached: boolean } {
  let matched = 0;
  return (chunk) => {
    const out: number[] = [];
    for (const b of chunk) {
      if (b === keys[matched]) {
        if (++matched === keys.length) return { forward: Buffer.from(out), detached: true };
        continue;
      }
      if (matched) out.push(...keys.subarray(0, matched));
      matched = b === keys[0] ? 1 : 0;
      if (!matched) out.push(b);
    }
    return { forward: Buffer.from(out), detached: false };
  };
}

/**
 * Raw mode as docker sets it (x/term MakeRaw): libuv's raw mode keeps output post-processing (\n to \r\n) on,
 * which would double the container's own carriage returns, so turn it off too; setRawMode(false) restores all.
 */
function setRawTerminal(io: Io): void {
  io.stdin.setRawMode(true);
  spawnSync('stty', ['-opost'], { stdio: [io.stdin.fd, 'ignore', 'ignore'] });
}

export interface HijackedStreams {
  tty: boolean;
  /** Send local stdin; its end half-closes the connection. */
  stdin: boolean;
  /** Whether any output is attached; without, streaming ends when stdin does. */
  output: boolean;
  /** TTY only: the keys that detach, handled here as docker does. */
  detachKeys?: string;
}

/** Streams until the output ends ('ended'), or until the user types the detach keys ('detached'). */
export async function streamHijacked(io: Io, socket: Duplex, o: HijackedStreams): Promise<'ended' | 'detached'> {
  const rawTerminal = o.tty && o.stdin && io.stdin.isTTY;
  if (rawTerminal) setRawTerminal(io);
  let onDetach = () => {};
  const detached = new Promise<'detached'>((resolve) => (onDetach = () => resolve('detached')));
  const detect = o.tty ? escapeDetector(parseDetachKeys(o.detachKeys || defaultDetachKeys)) : undefined;
  const onData = (chunk: Buffer) => {
    const { forward, detached: done } = detect ? detect(chunk) : { forward: chunk, detached: false };
    if (forward.length && !socket.write(forward)) {
      io.stdin.pause();
      socket.once('drain', () => io.stdin.resume());
    }
    if (done) onDetach();
  };
  const onEnd = () => socket.end();
  if (o.stdin) {
    io.stdin.on('data', onData);
    io.stdin.once('end', onEnd);
  }
  const output = o.output ? copyUntilClosed(io, socket, o.tty) : once(io.stdin, 'end');
  try {
    return await Promise.race([output.then(() => 'ended' as const), detached]);
  } finally {
    io.stdin.off('data', onData);
    io.stdin.off('end', onEnd);
    if (o.stdin) io.stdin.pause();
    if (rawTerminal) io.stdin.setRawMode(false);
    socket.destroy();
  }
}

/** Copies a container's output: demultiplexed to stdout and stderr, or raw to stdout with a TTY. */
export async function copyOutput(source: Readable, io: Pick<Io, 'stdout' | 'stderr'>, tty: boolean): Promise<void> {
  if (!tty) return demultiplexTo(source, io.stdout, io.stderr);
  for await (const chunk of source) if (!io.stdout.write(chunk as Buffer)) await once(io.stdout, 'drain');
}

/** Output until the daemon closes; a connection reset (stdin written after the exit) also ends it. */
async function copyUntilClosed(io: Io, socket: Duplex, tty: boolean): Promise<void> {
  try {
    await copyOutput(socket, io, tty);
  } catch (err) {
    if (!isErrno(err, 'EPIPE') && !isErrno(err, 'ECONNRESET')) throw err;
  }
}

/** Keeps the remote TTY the size of the local terminal (now and on every SIGWINCH); returns a stop function. */
export function monitorTtySize(io: Io, resize: (size: TtySize) => Promise<void>): () => void {
  if (!io.stdout.isTTY) return () => {};
  const send = () => void resize({ height: io.stdout.rows, width: io.stdout.columns }).catch(() => {});
  send();
  io.stdout.on('resize', send);
  return () => io.stdout.off('resize', send);
}

/** The local terminal's size, when stdout is one. */
export const terminalSize = (io: Io): TtySize | undefined =>
  io.stdout.isTTY ? { height: io.stdout.rows, width: io.stdout.columns } : undefined;

const forwarded: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'];

/** Forwards the signals berth receives to the container (docker's --sig-proxy); returns a stop function. */
export function proxySignals(kill: (signal: string) => Promise<void>): () => void {
  const handlers = forwarded.map((sig) => {
    const h = () => void kill(sig.slice(3)).catch(() => {});
    process.on(sig, h);
    return () => process.off(sig, h);
  });
  return () => handlers.forEach((off) => off());
}

// An attached session on a hijacked connection: process output to the client, client input to the process.
import type { Readable, Writable } from 'node:stream';
import type { Attachment, OutputChunk } from '../runtime/types.js';
import type { Logger } from '../util/logger.js';
import { createDetachScanner } from './detach-keys.js';
import type { Conn } from './hijack.js';
import { encodeOutput } from './stdcopy.js';

export interface SessionOptions {
  /** Frame output (non-TTY) or pass it raw (TTY). */
  multiplexed: boolean;
  tty: boolean;
  stdout: boolean;
  stderr: boolean;
  /** Forward the client's input to attachment.stdin. */
  stdin: boolean;
  /**
   * When the client's input ends: true closes the process's stdin (StdinOnce containers, exec sessions),
   * false ends the session and leaves stdin open. With a TTY the session always ends, as in Docker.
   */
  closeStdin: boolean;
  /** Scanned for in TTY input; the session detaches when they arrive. */
  detachKeys: number[];
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  logger: Logger;
  /** Awaited after the output ended and before the connection is closed (exec: until the exit code is known). */
  beforeEnd?: () => Promise<unknown>;
}

export async function runSession(conn: Conn, attachment: Attachment, o: SessionOptions): Promise<void> {
  const stop = new AbortController();
  const onGone = () => stop.abort();
  o.signal.addEventListener('abort', onGone, { once: true });
  if (o.signal.aborted) stop.abort();
  if (o.stdin && attachment.stdin) forwardInput(conn.input, attachment.stdin, o, () => stop.abort());
  try {
    if (await pumpOutput(attachment.output, conn.output, o, stop.signal)) await o.beforeEnd?.();
  } finally {
    o.signal.removeEventListener('abort', onGone);
    attachment.close();
    conn.end();
  }
}

function forwardInput(input: Readable, stdin: Writable, o: SessionOptions, endSession: () => void): void {
  stdin.on('error', (err) => o.logger.debug('writing to process stdin failed', { err: String(err) }));
  if (o.tty) {
    const scanner = createDetachScanner(o.detachKeys, () => {
      scanner.unpipe(stdin);
      endSession();
    });
    input.pipe(scanner).pipe(stdin, { end: false });
  } else {
    input.pipe(stdin, { end: false });
  }
  input.once('end', () => {
    if (o.closeStdin && !o.tty) stdin.end();
    else endSession();
  });
}

/** Resolves true when the output ended, false when stopped first. */
function pumpOutput(output: Readable, dest: Writable, o: SessionOptions, stop: AbortSignal): Promise<boolean> {
  return new Promise((resolve, reject) => {
    if (output.readableEnded) return resolve(true);
    if (stop.aborted) return resolve(false);
    const resume = () => output.resume();
    const onData = (chunk: OutputChunk) => {
      if (!(chunk.stream === 'stdout' ? o.stdout : o.stderr)) return;
      if (!dest.write(encodeOutput(o.multiplexed, chunk.stream, chunk.data))) {
        output.pause();
        dest.once('drain', resume);
      }
    };
    const finish = (settle: () => void) => {
      output.off('data', onData);
      output.off('end', onEnd);
      output.off('error', onError);
      dest.off('drain', resume);
      stop.removeEventListener('abort', onStop);
      settle();
    };
    const onEnd = () => finish(() => resolve(true));
    const onStop = () => finish(() => resolve(false));
    const onError = (err: Error) => finish(() => reject(err));
    output.on('data', onData);
    output.once('end', onEnd);
    output.once('error', onError);
    stop.addEventListener('abort', onStop, { once: true });
  });
}

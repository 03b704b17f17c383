// Streamed responses: headers sent at once, writes that respect backpressure, Docker's JSON message lines.
import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { messageOf } from './http-status.js';

/** Sends status and headers now, before any body: clients see the response start (wait, events, logs). */
export function startStream(res: ServerResponse, contentType: string): void {
  res.writeHead(200, { 'Content-Type': contentType });
  res.flushHeaders();
}

/** Writes data; when the destination's buffer is full, waits for it to drain. Rejects once it has closed. */
export async function write(dest: Writable, data: Buffer | string): Promise<void> {
  if (dest.destroyed || dest.writableEnded) throw new Error('connection closed');
  if (dest.write(data)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => settle(resolve);
    const onClose = () => settle(() => reject(new Error('connection closed')));
    const settle = (fn: () => void) => {
      dest.off('drain', onDrain);
      dest.off('close', onClose);
      fn();
    };
    dest.on('drain', onDrain);
    dest.on('close', onClose);
  });
}

/** Docker's streamformatter lines: one JSON message per line, ended by CRLF. */
export const jsonMessage = (msg: Record<string, unknown>): string => JSON.stringify(msg) + '\r\n';

export const errorMessage = (err: unknown): string =>
  jsonMessage({ errorDetail: { message: messageOf(err) }, error: messageOf(err) });

/**
 * A body whose status and headers are decided by the first byte: begin() runs just before it, so an
 * error raised before anything was written can still become a proper HTTP error.
 */
export function lazyBody(res: ServerResponse, begin: () => void): Writable {
  const ensureBegun = () => {
    if (!res.headersSent) begin();
  };
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      ensureBegun();
      write(res, chunk).then(() => done(), done);
    },
    final(done) {
      ensureBegun();
      res.end();
      done();
    },
  });
}

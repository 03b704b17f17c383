// Taking over the connection for attach and exec start: "101 UPGRADED" on upgraded requests, a raw 200 otherwise.
import type { Readable, Writable } from 'node:stream';
import { versionAtLeast } from './api-version.js';
import { commonHeaders } from './headers.js';
import { MediaType } from './stdcopy.js';
import type { RequestContext } from './types.js';

export interface Conn {
  /** Bytes from the client. */
  input: Readable;
  /** Bytes to the client. */
  output: Writable;
  /** Ends our side of the connection; input is drained so the client's close is noticed. */
  end(): void;
}

/** Docker sends the multiplexed media type only on upgraded connections from API 1.42 on. */
export function hijack(ctx: RequestContext, multiplexed: boolean): Conn {
  ctx.hijacked = true;
  const socket = ctx.upgrade;
  const finish = (input: Readable, output: Writable) => () => {
    input.unpipe();
    input.resume();
    if (!output.writableEnded) output.end();
  };
  if (socket) {
    const type = multiplexed && versionAtLeast(ctx.apiVersion, '1.42') ? MediaType.multiplexed : MediaType.raw;
    const headers = { ...commonHeaders(ctx.deps.daemon), 'Content-Type': type, Connection: 'Upgrade', Upgrade: 'tcp' };
    socket.write(`HTTP/1.1 101 UPGRADED\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    return { input: socket, output: socket, end: finish(socket, socket) };
  }
  // A plain request: the body is the client's input, the response body is raw (no chunked encoding) until close.
  const res = ctx.res;
  res.useChunkedEncodingByDefault = false;
  res.shouldKeepAlive = false;
  res.writeHead(200, { 'Content-Type': MediaType.raw });
  res.flushHeaders();
  return { input: ctx.req, output: res, end: finish(ctx.req, res) };
}

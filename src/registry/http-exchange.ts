// One HTTP request to a registry (or the storage it redirects to) over node:http or node:https, and its answer with
// the body as a Node stream. Layer blobs are hundreds of megabytes: a Node stream hands the socket's buffers on as
// they arrive, where fetch's web streams copy every chunk and cost about a third of a pull's CPU time.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

export interface RegistryResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /** The body as it arrives (empty for HEAD). Read it, or discard() it, so that the connection can be reused. */
  readonly body: Readable;
  /** Drops the body: drains it when it is small (resolving once the connection can be reused), closes the
   * connection otherwise. */
  discard(): Promise<void>;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface ExchangeInit {
  method: string;
  headers: Record<string, string>;
  /** A Buffer is sent with its Content-Length; a stream chunked, unless headers give the length. */
  body?: Buffer | Readable;
  signal?: AbortSignal;
}

/** How long a connection may stay silent, waiting for an answer or in the middle of a body (undici's default). */
const idleTimeoutMs = 300_000;
/** Bodies up to this size are drained rather than closing the connection. */
const drainedBytes = 64 << 10;

function headersOf(msg: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < msg.rawHeaders.length; i += 2) {
    try {
      headers.append(msg.rawHeaders[i], msg.rawHeaders[i + 1]);
    } catch {
      // A header that is not valid HTTP is left out, as fetch does.
    }
  }
  return headers;
}

function response(msg: IncomingMessage, method: string): RegistryResponse {
  const headers = headersOf(msg);
  const status = msg.statusCode ?? 0;
  const bodiless = method === 'HEAD' || status === 204 || status === 304;
  const read = async (): Promise<string> => {
    const parts: Buffer[] = [];
    for await (const chunk of msg) parts.push(chunk as Buffer);
    return Buffer.concat(parts).toString('utf8');
  };
  return {
    status,
    statusText: msg.statusMessage ?? '',
    headers,
    body: msg,
    async discard() {
      if (msg.destroyed || msg.readableEnded) return;
      const length = Number(headers.get('content-length') ?? Infinity);
      if (!bodiless && !msg.complete && length > drainedBytes) {
        msg.destroy();
        return;
      }
      msg.resume();
      await finished(msg).catch(() => undefined);
    },
    text: read,
    json: async () => JSON.parse(await read()) as unknown,
  };
}

/** Sends one request; resolves with the answer once its headers arrived, whatever its status. */
export function exchange(url: URL, init: ExchangeInit): Promise<RegistryResponse> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? https.request : http.request;
    const req = request(url, { method: init.method, headers: init.headers, signal: init.signal, timeout: idleTimeoutMs });
    // Errors after the answer arrived (a dropped connection, an abort) reach the reader of the body.
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`the connection was idle for ${idleTimeoutMs / 1000} s`)));
    req.on('response', (msg) => resolve(response(msg, init.method)));
    const body = init.body;
    if (body === undefined || Buffer.isBuffer(body)) req.end(body);
    else pipeline(body, req, (err) => err && req.destroy(err));
  });
}

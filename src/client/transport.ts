// HTTP to the daemon over a unix socket or TCP: plain requests, JSON, raw streams and hijacked connections.
import http, { type IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { DaemonError, connectionError, errorMessage } from './errors.js';
import type { Endpoint } from './host.js';

export type QueryValue = string | number | boolean | string[] | Record<string, unknown> | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, streamed (a tar for load and import). */
  stream?: Readable;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface Transport {
  /** The daemon address, as the user would write it (unix:///..., tcp://...). */
  readonly url: string;
  /** Resolves with the response once its headers arrived; an error status rejects with DaemonError. */
  request(method: string, path: string, opts?: RequestOptions): Promise<IncomingMessage>;
  /** The parsed JSON body; undefined for an empty one. */
  json<T>(method: string, path: string, opts?: RequestOptions): Promise<T>;
  /** Upgrades the connection (`101 UPGRADED`) and hands back the raw socket, both directions. */
  hijack(method: string, path: string, opts?: RequestOptions): Promise<Duplex>;
  /** Closes idle keep-alive connections. */
  close(): void;
}

/** Booleans as "1"/"0", arrays as repeated keys, objects (filters) as JSON, like the docker CLI. */
export function encodeQuery(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else if (typeof value === 'boolean') params.append(key, value ? '1' : '0');
    else if (typeof value === 'object') params.append(key, JSON.stringify(value));
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export async function readBody(res: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function failure(res: IncomingMessage): Promise<DaemonError> {
  const status = res.statusCode ?? 500;
  return new DaemonError(status, errorMessage(status, await readBody(res)));
}

export function createTransport(endpoint: Endpoint, opts: { apiVersion: string; userAgent: string }): Transport {
  const agent = new http.Agent({ keepAlive: true });
  const target = endpoint.kind === 'unix' ? { socketPath: endpoint.socketPath } : { host: endpoint.hostname, port: endpoint.port };

  function send(method: string, path: string, o: RequestOptions, extraHeaders: Record<string, string>): http.ClientRequest {
    const headers: Record<string, string> = { 'User-Agent': opts.userAgent, ...extraHeaders, ...o.headers };
    if (o.body !== undefined || o.stream) headers['Content-Type'] = o.contentType ?? (o.stream ? 'application/x-tar' : 'application/json');
    const req = http.request({
      ...target,
      agent,
      method,
      path: `/v${opts.apiVersion}${path}${encodeQuery(o.query)}`,
      headers,
      signal: o.signal,
    });
    if (o.stream) {
      o.stream.on('error', (err) => req.destroy(err));
      o.stream.pipe(req);
    } else {
      req.end(o.body === undefined ? undefined : JSON.stringify(o.body));
    }
    return req;
  }

  /** Maps errors before any response to "cannot connect"; later ones pass through. */
  function onError(req: http.ClientRequest, reject: (err: unknown) => void): void {
    let connected = false;
    req.on('socket', (s) => {
      if (!s.connecting) connected = true;
      else s.once('connect', () => (connected = true));
    });
    req.on('error', (err) => reject(connected || (err as Error).name === 'AbortError' ? err : connectionError(endpoint.url, err)));
  }

  const request: Transport['request'] = (method, path, o = {}) =>
    new Promise((resolve, reject) => {
      const req = send(method, path, o, {});
      onError(req, reject);
      req.on('response', (res) => {
        if ((res.statusCode ?? 500) >= 400) failure(res).then(reject, reject);
        else resolve(res);
      });
    });

  return {
    url: endpoint.url,
    request,
    async json<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
      const text = await readBody(await request(method, path, o));
      return (text.trim() === '' ? undefined : JSON.parse(text)) as T;
    },
    hijack: (method, path, o = {}) =>
      new Promise((resolve, reject) => {
        const req = send(method, path, o, { Connection: 'Upgrade', Upgrade: 'tcp' });
        onError(req, reject);
        req.on('upgrade', (_res, socket, head) => {
          if (head.length) socket.unshift(head);
          resolve(socket);
        });
        req.on('response', (res) => {
          if ((res.statusCode ?? 500) >= 400) failure(res).then(reject, reject);
          else {
            res.resume();
            reject(new Error(`the daemon did not upgrade the connection for ${method} ${path} (status ${res.statusCode})`));
          }
        });
      }),
    close: () => agent.destroy(),
  };
}

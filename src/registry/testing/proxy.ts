// Test-only: an HTTP proxy in front of a registry that can misbehave on purpose (cut a body short, answer 503,
// redirect elsewhere) and records what it was sent.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { freePort } from './registry-server.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export type ProxyAction =
  /** Forwards, with headers added (or replaced) when given. */
  | { kind: 'forward'; headers?: Record<string, string> }
  /** Forwards, but drops the connection after this many body bytes. */
  | { kind: 'cut'; after: number; headers?: Record<string, string> }
  | { kind: 'respond'; status: number; headers?: Record<string, string>; body?: string };

export interface TestProxy {
  host: string;
  requests: SeenRequest[];
  stop(): Promise<void>;
}

const hopHeaders = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export async function startProxy(
  target: string,
  decide: (req: SeenRequest) => ProxyAction = () => ({ kind: 'forward' }),
  listenHost = '127.0.0.1',
): Promise<TestProxy> {
  const requests: SeenRequest[] = [];
  const server = createServer(async (req, res) => {
    const seen = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    requests.push(seen);
    const action = decide(seen);
    if (action.kind === 'respond') {
      res.writeHead(action.status, action.headers).end(action.body);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!hopHeaders.has(k) && typeof v === 'string') headers[k] = v;
    Object.assign(headers, action.headers);
    const hasBody = seen.method !== 'GET' && seen.method !== 'HEAD';
    const up = await fetch(`http://${target}${seen.url}`, {
      method: seen.method,
      headers,
      body: hasBody ? (req as unknown as AsyncIterable<Uint8Array>) : undefined,
      redirect: 'manual',
      duplex: 'half',
    } as RequestInit);
    const out: Record<string, string> = {};
    up.headers.forEach((v, k) => {
      if (!hopHeaders.has(k) || k === 'content-length') out[k] = v;
    });
    res.writeHead(up.status, out);
    if (!up.body || seen.method === 'HEAD') {
      res.end();
      return;
    }
    let sent = 0;
    for await (const chunk of Readable.fromWeb(up.body as import('node:stream/web').ReadableStream<Uint8Array>)) {
      const buf = chunk as Buffer;
      if (action.kind === 'cut' && sent + buf.length >= action.after) {
        res.write(buf.subarray(0, action.after - sent));
        res.socket?.destroy();
        return;
      }
      sent += buf.length;
      res.write(buf);
    }
    res.end();
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, listenHost, resolve));
  return {
    host: `${listenHost}:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

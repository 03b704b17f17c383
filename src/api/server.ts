// The HTTP server: routing, API versions, common headers, upgraded connections and the single error exit.
import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { Readable, type Duplex } from 'node:stream';
import { invalidArgument, notFound } from '../errors.js';
import { negotiateVersion, splitVersionPrefix } from './api-version.js';
import { commonHeaders } from './headers.js';
import { isUnexpected, messageOf, statusOf } from './http-status.js';
import { listenAt, parseHost } from './listen.js';
import { parseQuery } from './query.js';
import { sendError } from './respond.js';
import { routeTable } from './route-table.js';
import { createRouter } from './router.js';
import type { ApiDeps, ApiServer, ApiServerOptions, RequestContext } from './types.js';

const maxUpgradeBody = 1024 * 1024;

/** Reads exactly n bytes; what follows stays in the stream (the client's stdin after an exec start body). */
function readExactly(stream: Readable, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const finish = (settle: () => void) => {
      stream.off('readable', tryRead);
      stream.off('end', onEnd);
      stream.off('error', onError);
      settle();
    };
    const tryRead = () => {
      const chunk = stream.read(n) as Buffer | null;
      if (chunk !== null) finish(() => resolve(chunk));
    };
    const onEnd = () => finish(() => reject(invalidArgument('request body ended before Content-Length bytes')));
    const onError = (err: Error) => finish(() => reject(err));
    stream.on('readable', tryRead);
    stream.once('end', onEnd);
    stream.once('error', onError);
    tryRead();
  });
}

/** Node does not parse bodies of upgrade requests: read Content-Length bytes off the socket ourselves. */
async function upgradeBody(req: IncomingMessage, socket: Duplex): Promise<Readable> {
  if (req.headers['transfer-encoding']) throw invalidArgument('chunked request bodies are not supported when upgrading the connection');
  const length = Number(req.headers['content-length'] ?? 0);
  if (!Number.isInteger(length) || length < 0 || length > maxUpgradeBody) throw invalidArgument('invalid Content-Length');
  return Readable.from(length > 0 ? [await readExactly(socket, length)] : []);
}

export function createApiServer(options: ApiServerOptions): ApiServer {
  const deps: ApiDeps = { ...options, eventListeners: { count: 0 } };
  const { logger, daemon } = options;
  const router = createRouter(routeTable);
  const range = { min: daemon.minApiVersion, max: daemon.apiVersion };
  const headers = commonHeaders(daemon);
  const servers: Server[] = [];
  const upgraded = new Set<Duplex>();

  function failed(req: IncomingMessage, res: ServerResponse, ctx: RequestContext | undefined, err: unknown, signal: AbortSignal): void {
    const fields = { method: req.method, url: req.url, status: statusOf(err), err: messageOf(err) };
    if (signal.aborted) logger.debug('client went away', fields);
    else if (isUnexpected(err)) logger.error('request failed', { ...fields, stack: err instanceof Error ? err.stack : undefined });
    else logger.debug('request refused', fields);
    if (ctx?.hijacked) return; // the handler has closed the connection; nothing HTTP can follow
    if (signal.aborted || res.headersSent) res.destroy();
    else sendError(res, err);
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse, upgrade?: Duplex): Promise<void> {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    const aborter = new AbortController();
    const started = process.hrtime.bigint();
    res.once('close', () => {
      aborter.abort();
      logger.debug('request', { method: req.method, url: req.url, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let ctx: RequestContext | undefined;
    try {
      const { version, path } = splitVersionPrefix(q < 0 ? url : url.slice(0, q));
      const found = router.match(req.method ?? '', path);
      if (!found) throw notFound('page not found');
      ctx = {
        req,
        res,
        params: found.params,
        query: parseQuery(q < 0 ? '' : url.slice(q + 1)),
        apiVersion: negotiateVersion(version, range),
        signal: aborter.signal,
        body: upgrade ? await upgradeBody(req, upgrade) : req,
        ...(upgrade ? { upgrade } : {}),
        hijacked: false,
        deps,
      };
      await found.route.handler(ctx);
    } catch (err) {
      try {
        failed(req, res, ctx, err, aborter.signal);
      } catch (writeErr) {
        logger.error('answering an error failed', { err: messageOf(writeErr) });
        res.destroy();
      }
    }
  }

  /** Requests with "Connection: Upgrade" (attach, exec start) arrive here with the raw socket. */
  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    socket.on('error', (err) => logger.debug('upgraded connection error', { err: String(err) }));
    if (head.length > 0) socket.unshift(head);
    // Answers that stay plain HTTP (errors, or endpoints that do not upgrade) are written through a response object.
    const res = new ServerResponse(req);
    res.assignSocket(socket as Socket);
    res.shouldKeepAlive = false;
    res.once('finish', () => {
      socket.resume();
      (socket as Socket).destroySoon();
    });
    void dispatch(req, res, socket);
  }

  function makeServer(): Server {
    const server = createServer({ requestTimeout: 0 }, (req, res) => void dispatch(req, res));
    server.on('upgrade', onUpgrade);
    server.on('clientError', (err, socket) => {
      logger.debug('bad request from client', { err: String(err) });
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    return server;
  }

  async function close(): Promise<void> {
    for (const socket of upgraded) socket.destroy();
    const closing = servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    await Promise.all(closing);
  }

  return {
    async listen(hosts) {
      const addresses = hosts.map(parseHost);
      try {
        for (const address of addresses) {
          const server = makeServer();
          await listenAt(server, address);
          servers.push(server);
          logger.info('API listening', { host: address.kind === 'unix' ? `unix://${address.path}` : `tcp://${address.host}:${address.port}` });
        }
      } catch (err) {
        await close();
        throw err;
      }
    },
    close,
  };
}

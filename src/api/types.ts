// The Docker Engine API edge: HTTP in, engine calls out. Only this folder knows HTTP and Docker's JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import type { Engine } from '../engine/types.js';
import type { Logger } from '../util/logger.js';
import type { Query } from './query.js';

/** What /version, /info and the response headers say about this daemon. */
export interface DaemonInfo {
  version: string;
  /** Highest API version served, "1.50". */
  apiVersion: string;
  /** Lowest API version accepted, "1.24". */
  minApiVersion: string;
  os: string;
  /** Go-style architecture name ("amd64", "arm64"). */
  arch: string;
  kernelVersion: string;
  gitCommit?: string;
  /** RFC 3339. */
  buildTime?: string;
}

export interface ApiServerOptions {
  engine: Engine;
  logger: Logger;
  daemon: DaemonInfo;
}

export interface ApiServer {
  /** Listens on every host: "unix:///path/to.sock" or "tcp://host:port". Resolves once all are listening. */
  listen(hosts: string[]): Promise<void>;
  /** Stops listening and ends every open connection, streams and attached sessions included. */
  close(): Promise<void>;
}

/** State shared by all handlers of one server. */
export interface ApiDeps extends ApiServerOptions {
  /** Number of clients currently streaming /events (Docker's NEventsListener). */
  eventListeners: { count: number };
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: Query;
  /** The API version the client asked for (the path prefix), or the daemon's when unversioned. */
  apiVersion: string;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** Request body. For upgraded requests it holds exactly Content-Length bytes. */
  body: Readable;
  /** Set when the client asked to upgrade the connection (attach, exec start): the raw socket, body already read. */
  upgrade?: Duplex;
  /** Set by hijack(): the response is no longer HTTP, errors can only be logged. */
  hijacked: boolean;
  deps: ApiDeps;
}

export type Handler = (ctx: RequestContext) => Promise<void>;

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/**
 * One endpoint. Path parameters are `{name}` (one segment) or `{name*}` (one or more segments, for image
 * names such as `localhost:5000/a/b`). Routes are tried in order, so fixed paths go before greedy ones.
 */
export interface Route {
  method: Method;
  path: string;
  handler: Handler;
}

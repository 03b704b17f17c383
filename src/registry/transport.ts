// One HTTP exchange with a registry: Authorization from the authorizer (and one retry after a 401 challenge),
// redirects followed by hand so that Authorization never goes to another host, retries with backoff on network
// errors, 429 and 5xx when the request can be replayed. Requests go out through http-exchange.ts.
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError } from '../errors.js';
import type { Logger } from '../util/logger.js';
import { exchange, type RegistryResponse } from './http-exchange.js';
import { redact, secretsOf } from './redact.js';
import type { AuthConfig, Authorizer } from './types.js';

export type { RegistryResponse } from './http-exchange.js';

export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** A Buffer can be sent again (retries, redirects); a stream only once. */
  body?: Buffer | Readable;
  scopes: string[];
  auth?: AuthConfig;
  signal?: AbortSignal;
}

export interface TransportOptions {
  authorizer: Authorizer;
  logger: Logger;
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** First backoff delay in ms, doubled each retry (default 250). */
  backoffMs?: number;
  userAgent?: string;
}

export interface Transport {
  /** The final response (after redirects and retries); its status may be any. */
  send(req: RegistryRequest): Promise<RegistryResponse>;
}

const maxRedirects = 10;
const maxBackoffMs = 8000;

/** Names a request in messages, Go style, credentials masked: `Get "http://host/v2/x/manifests/1"`. */
export const requestLabel = (req: Pick<RegistryRequest, 'method' | 'url' | 'auth'>): string =>
  redact(`${req.method[0] + req.method.slice(1).toLowerCase()} "${req.url.href}"`, secretsOf(req.auth));

/** A message about req: `Get "http://host/v2/": <rest>`, credentials masked. */
export const describe = (req: Pick<RegistryRequest, 'method' | 'url' | 'auth'>, rest: string): string =>
  `${requestLabel(req)}: ${redact(rest, secretsOf(req.auth))}`;

export function createTransport(opts: TransportOptions): Transport {
  const retries = opts.retries ?? 4;
  const backoffMs = opts.backoffMs ?? 250;
  const userAgent = opts.userAgent ?? 'berth/0.1';

  async function once(req: RegistryRequest): Promise<{ res: RegistryResponse; url: URL }> {
    let url = req.url;
    let method: string = req.method;
    let body = req.body;
    for (let hop = 0; hop <= maxRedirects; hop++) {
      const headers: Record<string, string> = { 'user-agent': userAgent, ...req.headers };
      // Authorization goes to the host the request was made to, never to a host a redirect points at.
      if (url.host === req.url.host) {
        const authorization = await opts.authorizer.authorization(url, req.scopes, req.auth, req.signal);
        if (authorization) headers.authorization = authorization;
      }
      const res = await exchange(url, { method, headers, body, signal: req.signal });
      const location = res.headers.get('location');
      if (res.status < 300 || res.status > 399 || res.status === 304 || !location) return { res, url };
      await res.discard();
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method !== 'HEAD')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
      } else if (body && !Buffer.isBuffer(body)) {
        throw new BerthError('unavailable', describe(req, `cannot follow redirect ${res.status} with a streamed body`));
      }
      url = new URL(location, url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new BerthError('unavailable', describe(req, `redirect to unsupported URL scheme ${url.protocol}`));
      }
    }
    throw new BerthError('unavailable', describe(req, `stopped after ${maxRedirects} redirects`));
  }

  return {
    async send(req) {
      const replayable = req.body === undefined || Buffer.isBuffer(req.body);
      let authRetried = false;
      for (let attempt = 0; ; attempt++) {
        let sent: { res: RegistryResponse; url: URL };
        try {
          sent = await once(req);
        } catch (err) {
          if (req.signal?.aborted || err instanceof BerthError) throw err;
          const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
          if (!replayable || attempt >= retries) throw new BerthError('unavailable', describe(req, cause), { cause: err });
          opts.logger.debug('registry request failed, retrying', { url: req.url.origin + req.url.pathname, error: cause });
          await sleep(Math.min(backoffMs * 2 ** attempt, maxBackoffMs), undefined, { signal: req.signal });
          continue;
        }
        const { res, url } = sent;
        if (res.status === 401 && !authRetried && replayable) {
          authRetried = true;
          if (opts.authorizer.challenged(url, res, req.scopes, req.auth)) {
            await res.discard();
            attempt--;
            continue;
          }
        }
        if ((res.status === 429 || res.status >= 500) && replayable && attempt < retries) {
          await res.discard();
          const after = Number(res.headers.get('retry-after'));
          const delay = Number.isFinite(after) && after > 0 ? after * 1000 : backoffMs * 2 ** attempt;
          await sleep(Math.min(delay, maxBackoffMs), undefined, { signal: req.signal });
          continue;
        }
        return res;
      }
    },
  };
}

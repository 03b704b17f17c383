// Registry authorization: Basic, and the Bearer token flow (the registry's 401 names a token server; a token
// for the wanted scopes is fetched there with the user's credentials or anonymously and cached until it expires).
import { createHash } from 'node:crypto';
import { BerthError, unauthorized } from '../errors.js';
import type { Logger } from '../util/logger.js';
import { parseChallenges, type Challenge } from './challenge.js';
import { redact, secretsOf } from './redact.js';
import type { AuthConfig, Authorizer } from './types.js';

interface CachedToken {
  token: string;
  /** ms since epoch */
  expires: number;
}

interface TokenResponse {
  token?: string;
  access_token?: string;
  expires_in?: number;
  issued_at?: string;
}

/** Sent to token servers as client_id. */
const clientId = 'berth';

/** The minimum lifetime of a token without expires_in, per the Docker token spec (seconds). */
const defaultTokenLifetime = 60;

const basicAuthorization = (auth: AuthConfig): string =>
  `Basic ${Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`).toString('base64')}`;

const hasPassword = (auth: AuthConfig | undefined): boolean => !!auth?.username && auth.password !== undefined;

export function createAuthorizer(deps: { logger: Logger }): Authorizer {
  const challenges = new Map<string, Challenge>();
  const tokens = new Map<string, CachedToken>();
  const pending = new Map<string, Promise<CachedToken>>();

  const identity = (auth: AuthConfig | undefined) =>
    createHash('sha256').update(JSON.stringify([auth?.username, auth?.password, auth?.identityToken])).digest('hex');
  const tokenKey = (host: string, ch: Challenge, scopes: string[], auth: AuthConfig | undefined) =>
    [host, ch.params.realm, ch.params.service, [...scopes].sort().join(' '), identity(auth)].join('|');

  async function fetchToken(ch: Challenge, scopes: string[], auth: AuthConfig | undefined, signal?: AbortSignal): Promise<CachedToken> {
    const realm = URL.canParse(ch.params.realm) ? new URL(ch.params.realm) : undefined;
    if (realm?.protocol !== 'https:' && realm?.protocol !== 'http:') {
      throw unauthorized(`the registry named an unusable token realm ${JSON.stringify(ch.params.realm)}`);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    let init: RequestInit;
    if (auth?.identityToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: auth.identityToken, client_id: clientId });
      if (ch.params.service) form.set('service', ch.params.service);
      if (scopes.length) form.set('scope', scopes.join(' '));
      headers['content-type'] = 'application/x-www-form-urlencoded';
      init = { method: 'POST', headers, body: form.toString() };
    } else {
      if (ch.params.service) realm.searchParams.set('service', ch.params.service);
      for (const s of scopes) realm.searchParams.append('scope', s);
      if (hasPassword(auth)) {
        realm.searchParams.set('account', auth!.username!);
        headers.authorization = basicAuthorization(auth!);
      }
      realm.searchParams.set('client_id', clientId);
      init = { method: 'GET', headers };
    }
    const where = `${realm.origin}${realm.pathname}`;
    let res: Response;
    try {
      res = await fetch(realm, { ...init, signal, redirect: 'error' });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new BerthError('unavailable', redact(`Get "${where}": ${(err as Error).message}`, secretsOf(auth)), { cause: err });
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw unauthorized(
        `Get "${where}": unauthorized: ${hasPassword(auth) || auth?.identityToken ? 'incorrect username or password' : 'authentication required'}`,
      );
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new BerthError('unavailable', `Get "${where}": token server answered ${res.status} ${res.statusText}`);
    }
    const body = (await res.json().catch(() => ({}))) as TokenResponse;
    const token = body.token || body.access_token;
    if (!token) throw new BerthError('unavailable', `Get "${where}": the token server's answer holds no token`);
    const lifetime = Math.max(body.expires_in ?? defaultTokenLifetime, defaultTokenLifetime);
    const issued = body.issued_at ? Date.parse(body.issued_at) : NaN;
    const start = Number.isNaN(issued) ? Date.now() : Math.min(issued, Date.now());
    return { token, expires: start + lifetime * 1000 };
  }

  async function bearer(host: string, ch: Challenge, scopes: string[], auth: AuthConfig | undefined, signal?: AbortSignal) {
    if (auth?.registryToken) return `Bearer ${auth.registryToken}`;
    const key = tokenKey(host, ch, scopes, auth);
    const cached = tokens.get(key);
    // Ten seconds of margin so a token does not expire between this check and the registry's.
    if (cached && cached.expires - 10_000 > Date.now()) return `Bearer ${cached.token}`;
    let inflight = pending.get(key);
    if (!inflight) {
      inflight = fetchToken(ch, scopes, auth, signal).finally(() => pending.delete(key));
      pending.set(key, inflight);
    }
    const fresh = await inflight;
    tokens.set(key, fresh);
    deps.logger.debug('registry token obtained', { host, scopes });
    return `Bearer ${fresh.token}`;
  }

  return {
    async authorization(url, scopes, auth, signal) {
      const ch = challenges.get(url.host);
      if (!ch) return undefined;
      if (ch.scheme === 'basic') return hasPassword(auth) ? basicAuthorization(auth!) : undefined;
      return bearer(url.host, ch, scopes, auth, signal);
    },
    challenged(url, res, scopes, auth) {
      const all = parseChallenges(res.headers.get('www-authenticate') ?? '');
      const ch = all.find((c) => c.scheme === 'bearer' && c.params.realm) ?? all.find((c) => c.scheme === 'basic');
      if (!ch) return false;
      const known = challenges.get(url.host);
      challenges.set(url.host, ch);
      if (ch.scheme === 'basic') return hasPassword(auth) && known?.scheme !== 'basic';
      if (auth?.registryToken) return known?.scheme !== 'bearer';
      // A refused token is dropped so that the retry asks the token server again.
      return tokens.delete(tokenKey(url.host, ch, scopes, auth)) || known?.scheme !== 'bearer' || known.params.realm !== ch.params.realm;
    },
  };
}

// Test-only: a Docker token server (the Bearer flow's realm) for a registry configured with `auth: token`.
// Tokens are RS256 JWTs whose x5c header carries a self-signed certificate the registry trusts.
import { execFile } from 'node:child_process';
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './registry-server.js';

const run = promisify(execFile);

export interface TokenRequest {
  account?: string;
  /** The user the request authenticated as; undefined for anonymous. */
  user?: string;
  scopes: string[];
  service?: string;
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certFile: string;
  requests: TokenRequest[];
  stop(): Promise<void>;
}

/** The actions user (undefined: anonymous) may have on repository, out of those asked for. */
export type TokenPolicy = (user: string | undefined, repository: string, actions: string[]) => string[];

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function basicUser(req: IncomingMessage, users: Record<string, string>): string | undefined | null {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const [user, ...rest] = Buffer.from(h.replace(/^Basic\s+/i, ''), 'base64').toString().split(':');
  return users[user] !== undefined && users[user] === rest.join(':') ? user : null;
}

/** users: name → password; refreshTokens: identity token → user name. */
export async function startTokenServer(
  dir: string,
  users: Record<string, string>,
  refreshTokens: Record<string, string>,
  policy: TokenPolicy,
): Promise<TokenServer> {
  const keyFile = path.join(dir, 'token-key.pem');
  const certFile = path.join(dir, 'token-cert.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=berth-test-token']);
  const key = createPrivateKey(await readFile(keyFile));
  const der = (await readFile(certFile, 'utf8')).replace(/-----[^-]+-----|\s/g, '');
  const service = 'berth-test-registry';
  const issuer = 'berth-test-issuer';
  const requests: TokenRequest[] = [];

  const server = createServer(async (req, res) => {
    // GET with Basic credentials (or none), or the OAuth2 POST with a refresh token (Docker's identity token).
    let params = new URL(req.url ?? '/', 'http://x').searchParams;
    let user = basicUser(req, users);
    if (req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      params = new URLSearchParams(body);
      const token = params.get('grant_type') === 'refresh_token' ? params.get('refresh_token') : null;
      user = token && refreshTokens[token] ? refreshTokens[token] : null;
    }
    const scopes = params.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    requests.push({ account: params.get('account') ?? undefined, user: user ?? undefined, scopes, service: params.get('service') ?? undefined });
    if (user === null) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
      return;
    }
    const access = scopes.flatMap((s) => {
      const [type, ...restParts] = s.split(':');
      const actions = restParts.pop()?.split(',') ?? [];
      const name = restParts.join(':');
      const granted = type === 'repository' ? policy(user, name, actions) : [];
      return granted.length ? [{ type, name, actions: granted }] : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der] }));
    const claims = { iss: issuer, sub: user ?? '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
    const body = `${header}.${b64url(JSON.stringify(claims))}`;
    const token = `${body}.${b64url(sign('sha256', Buffer.from(body), key))}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

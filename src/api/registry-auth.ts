// Registry credentials as the docker CLI sends them: the X-Registry-Auth header (base64url JSON) on pull and push,
// the JSON body of POST /auth. Both carry Docker's AuthConfig: username, password, auth, identitytoken, registrytoken.
import { invalidArgument } from '../errors.js';
import type { AuthConfig } from '../registry/types.js';
import { fields } from './json-fields.js';

export interface LoginRequest {
  serverAddress: string;
  auth: AuthConfig;
}

function authConfigOf(json: Record<string, unknown>, where: string): AuthConfig {
  const f = fields(json, where);
  const out: AuthConfig = {};
  const basic = f.str('auth');
  if (basic) {
    // "auth": base64("user:password"), as config.json keeps it.
    const plain = Buffer.from(basic, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon < 0) throw invalidArgument(`invalid ${where}: "auth" is not base64 of user:password`);
    out.username = plain.slice(0, colon);
    out.password = plain.slice(colon + 1);
  }
  const username = f.str('username');
  if (username) {
    out.username = username;
    out.password = f.str('password') ?? '';
  }
  const identityToken = f.str('identitytoken');
  if (identityToken) out.identityToken = identityToken;
  const registryToken = f.str('registrytoken');
  if (registryToken) out.registryToken = registryToken;
  return out;
}

const isEmpty = (a: AuthConfig) => !a.username && !a.identityToken && !a.registryToken;

/** The credentials of an X-Registry-Auth header; undefined when absent or empty (anonymous, "e30=" is "{}"). */
export function registryAuthHeader(header: string | string[] | undefined): AuthConfig | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value?.trim()) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value.trim(), 'base64url').toString('utf8'));
  } catch {
    throw invalidArgument('invalid X-Registry-Auth header: not base64url-encoded JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalidArgument('invalid X-Registry-Auth header: expected a JSON object');
  }
  const auth = authConfigOf(json as Record<string, unknown>, 'X-Registry-Auth header');
  return isEmpty(auth) ? undefined : auth;
}

/** The body of POST /auth. */
export function loginRequest(body: Record<string, unknown>): LoginRequest {
  return {
    serverAddress: fields(body, 'AuthConfig').str('serveraddress') ?? '',
    auth: authConfigOf(body, 'AuthConfig'),
  };
}

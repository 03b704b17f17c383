// Credentials never reach a message: passwords, tokens, Authorization values and URL user info are masked.
import type { AuthConfig } from './types.js';

const mask = '<redacted>';

/** The secret strings an AuthConfig carries (and the Basic header value made from it). */
export function secretsOf(auth: AuthConfig | undefined): string[] {
  if (!auth) return [];
  const out = [auth.password, auth.identityToken, auth.registryToken].filter((s): s is string => !!s && s.length >= 3);
  if (auth.username && auth.password) out.push(Buffer.from(`${auth.username}:${auth.password}`).toString('base64'));
  return out;
}

export function redact(message: string, secrets: readonly string[]): string {
  let out = message
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s"]*@/gi, `$1${mask}@`)
    .replace(/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${mask}`);
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(mask);
  return out;
}

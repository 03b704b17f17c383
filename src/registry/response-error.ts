// A registry's error answer as a BerthError: status → code, the `{"errors":[{code,message}]}` body → message.
import { BerthError, type ErrorCode } from '../errors.js';
import { redact, secretsOf } from './redact.js';
import { describe, type RegistryRequest, type RegistryResponse } from './transport.js';

interface RegistryErrorBody {
  errors?: { code?: string; message?: string; detail?: unknown }[];
}

const codeOf = (status: number): ErrorCode =>
  status === 401
    ? 'unauthorized'
    : status === 403
      ? 'forbidden'
      : status === 404
        ? 'not_found'
        : status === 429 || status >= 500
          ? 'unavailable'
          : status === 405 || status === 501
            ? 'not_implemented'
            : 'invalid_argument';

/** The registry's error codes and messages, "manifest unknown: manifest unknown" style ("" when none). */
export async function registryErrorText(res: Pick<RegistryResponse, 'text'>): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as RegistryErrorBody;
    const parts = (body.errors ?? []).map((e) => [e.code?.toLowerCase().replace(/_/g, ' '), e.message].filter(Boolean).join(': '));
    if (parts.length) return parts.join(', ');
  } catch {
    // not JSON: fall through to the status line
  }
  return '';
}

/** Consumes res's body. */
export async function responseError(req: Pick<RegistryRequest, 'method' | 'url' | 'auth'>, res: RegistryResponse, prefix?: string): Promise<BerthError> {
  const detail = (await registryErrorText(res)) || `${res.status} ${res.statusText}`.trim();
  const message = prefix ? redact(`${prefix}: ${detail}`, secretsOf(req.auth)) : describe(req, detail);
  return new BerthError(codeOf(res.status), message);
}

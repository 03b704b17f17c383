// What can go wrong talking to the daemon: it answered with an error, or it could not be reached.
import { BerthError, type ErrorCode } from '../errors.js';

const codeOfStatus: Record<number, ErrorCode> = {
  304: 'not_modified',
  400: 'invalid_argument',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  501: 'not_implemented',
  503: 'unavailable',
};

/** The daemon answered with an error status; message is the daemon's own `{"message": ...}`. */
export class DaemonError extends BerthError {
  readonly status: number;
  constructor(status: number, message: string) {
    super(codeOfStatus[status] ?? 'internal', message);
    this.name = 'DaemonError';
    this.status = status;
  }
}

export function isDaemonError(err: unknown, status?: number): err is DaemonError {
  return err instanceof DaemonError && (status === undefined || err.status === status);
}

/** The message of an error body: Docker's JSON `{"message": ...}`, or the text itself. */
export function errorMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: the body is the message
  }
  return body.trim() || `daemon answered with status ${status}`;
}

/** The daemon cannot be reached at all (no socket, refused, permission denied). */
export function connectionError(url: string, cause: unknown): BerthError {
  const code = (cause as { code?: string }).code;
  const message =
    code === 'EACCES' || code === 'EPERM'
      ? `permission denied while trying to connect to the berth daemon socket at ${url}`
      : `Cannot connect to the berth daemon at ${url}. Is berthd running?`;
  return new BerthError('unavailable', message, { cause });
}

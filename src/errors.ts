// One error type for the whole engine. Codes are stable; only api/ maps them to HTTP statuses.
export type ErrorCode =
  | 'not_found'
  | 'conflict'
  | 'invalid_argument'
  | 'unauthorized'
  | 'forbidden'
  | 'not_modified'
  | 'unavailable'
  | 'not_implemented'
  | 'internal';

export class BerthError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'BerthError';
  }
}

export const notFound = (message: string): BerthError => new BerthError('not_found', message);
export const conflict = (message: string): BerthError => new BerthError('conflict', message);
export const invalidArgument = (message: string): BerthError => new BerthError('invalid_argument', message);
export const unauthorized = (message: string): BerthError => new BerthError('unauthorized', message);
export const notModified = (message: string): BerthError => new BerthError('not_modified', message);

export function isBerthError(err: unknown, code?: ErrorCode): err is BerthError {
  return err instanceof BerthError && (code === undefined || err.code === code);
}

/** True when a Node system error carries this errno code (ENOENT, EEXIST, ...). */
export function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

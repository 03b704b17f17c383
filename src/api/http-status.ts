// The one place where engine errors become HTTP statuses (after moby's httpstatus.FromError).
import { BerthError, type ErrorCode } from '../errors.js';

const statuses: Record<ErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  invalid_argument: 400,
  unauthorized: 401,
  forbidden: 403,
  not_modified: 304,
  unavailable: 503,
  not_implemented: 501,
  internal: 500,
};

export function statusOf(err: unknown): number {
  return err instanceof BerthError ? statuses[err.code] : 500;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** True for errors the daemon did not anticipate (500): they are logged with their stack. */
export const isUnexpected = (err: unknown): boolean => statusOf(err) === 500;

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthError, type ErrorCode } from '../errors.js';
import { isUnexpected, statusOf } from './http-status.js';

test('error codes map to Docker statuses; anything else is 500', () => {
  const expected: Record<ErrorCode, number> = {
    not_found: 404, conflict: 409, invalid_argument: 400, unauthorized: 401, forbidden: 403,
    not_modified: 304, unavailable: 503, not_implemented: 501, internal: 500,
  };
  for (const [code, status] of Object.entries(expected)) assert.equal(statusOf(new BerthError(code as ErrorCode, 'x')), status, code);
  assert.equal(statusOf(new TypeError('boom')), 500);
  assert.equal(statusOf('a string'), 500);
  assert.ok(isUnexpected(new Error('x')));
  assert.ok(!isUnexpected(new BerthError('conflict', 'x')));
  assert.ok(!isUnexpected(new BerthError('not_implemented', 'x')));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../errors.js';
import { parseTimestamp, rfc3339NanoFixed } from './timestamps.js';

test('since/until parse as the CLI sends them', () => {
  assert.equal(parseTimestamp('since', '1700000000'), 1_700_000_000);
  assert.equal(parseTimestamp('since', '1700000000.5'), 1_700_000_000.5);
  assert.equal(parseTimestamp('since', '1700000000.000000001'), 1_700_000_000.000000001);
  assert.equal(parseTimestamp('since', ''), undefined);
  assert.equal(parseTimestamp('since', undefined), undefined);
  assert.throws(() => parseTimestamp('until', '10m'), (err) => isBerthError(err, 'invalid_argument') && /until/.test(err.message));
});

test('log timestamps always have nine fractional digits', () => {
  assert.equal(rfc3339NanoFixed(new Date('2025-03-04T05:06:07.089Z')), '2025-03-04T05:06:07.089000000Z');
  assert.equal(rfc3339NanoFixed(new Date('2025-03-04T05:06:07Z')), '2025-03-04T05:06:07.000000000Z');
});

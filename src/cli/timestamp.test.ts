import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiTimestamp, parseGoDuration } from './timestamp.js';

test('parseGoDuration reads Go durations', () => {
  assert.equal(parseGoDuration('10m'), 600_000);
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('250ms'), 250);
  assert.equal(parseGoDuration('-2s'), -2000);
  assert.equal(parseGoDuration('10'), undefined);
  assert.equal(parseGoDuration('2024-01-01'), undefined);
});

test('apiTimestamp: durations before now, RFC 3339 with and without zone, Unix seconds', () => {
  const now = Date.UTC(2024, 0, 1, 12, 0, 0);
  assert.equal(apiTimestamp('10m', now), String(now / 1000 - 600));
  assert.equal(apiTimestamp('2024-01-01T10:00:00Z', now), `${Date.UTC(2024, 0, 1, 10) / 1000}.000000000`);
  assert.equal(apiTimestamp('2024-01-01T10:00:00.5+02:00', now), `${Date.UTC(2024, 0, 1, 8) / 1000}.500000000`);
  assert.equal(apiTimestamp('2024-01-01T10:00Z', now), `${Date.UTC(2024, 0, 1, 10) / 1000}.000000000`);
  // Without a zone, the local one (JavaScript's local-time Date constructor, as Go's ParseInLocation).
  assert.equal(apiTimestamp('2024-01-01', now), `${new Date(2024, 0, 1).getTime() / 1000}.000000000`);
  assert.equal(apiTimestamp('2024-01-01T10', now), `${new Date(2024, 0, 1, 10).getTime() / 1000}.000000000`);
  assert.equal(apiTimestamp('1700000000.25', now), '1700000000.25');
  assert.equal(apiTimestamp('0', now), '0');
  assert.throws(() => apiTimestamp('yesterday', now), /failed to parse value as time or duration: "yesterday"/);
});

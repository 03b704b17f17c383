import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesSize, ellipsis, goTimeString, humanSize, rfc3339, timeAgo } from './units.js';

test('timeAgo reads like docker ps', () => {
  assert.equal(timeAgo(1_000_000, 1_003_000), '3 seconds ago');
});

test('humanSize uses decimal units and 3 significant digits; bytesSize binary and 4', () => {
  assert.equal(humanSize(0), '0B');
  assert.equal(humanSize(999), '999B');
  assert.equal(humanSize(1000), '1kB');
  assert.equal(humanSize(1234567), '1.23MB');
  assert.equal(humanSize(4_261_550), '4.26MB');
  assert.equal(humanSize(12_345_678_901), '12.3GB');
  assert.equal(humanSize(999_999), '1e+03kB');
  assert.equal(bytesSize(4_102_000_000), '3.82GiB');
  assert.equal(bytesSize(1024), '1KiB');
});

test('ellipsis keeps maxWidth characters, the last one "…"', () => {
  assert.equal(ellipsis('sleep 1000', 20), 'sleep 1000');
  assert.equal(ellipsis('sh -c while true; do sleep 1; done', 20), 'sh -c while true; d…');
  assert.equal(ellipsis('abc', 1), 'a');
});

test('Go time formats in local time', () => {
  const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
  const local = new Date(d.getTime());
  const pad = (n: number) => String(n).padStart(2, '0');
  const expectedDate = `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
  assert.ok(goTimeString(d).startsWith(`${expectedDate} ${pad(local.getHours())}:04:05 `));
  assert.match(goTimeString(d), /^\S+ \S+ [+-]\d{4} \S+$/);
  assert.match(rfc3339(d, 42), new RegExp(`^${expectedDate}T\\d\\d:04:05\\.000000042(Z|[+-]\\d\\d:\\d\\d)$`));
  if (d.getTimezoneOffset() === 0) assert.equal(rfc3339(d), '2024-01-02T03:04:05Z');
});

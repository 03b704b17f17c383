import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../errors.js';
import { parseGoDuration, parseUntil, prunePredicate, validatePruneFilters } from './prune-filters.js';

test('Go durations', () => {
  assert.equal(parseGoDuration('24h'), 86400);
  assert.equal(parseGoDuration('1h30m'), 5400);
  assert.equal(parseGoDuration('1.5s'), 1.5);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('10'), undefined);
  assert.equal(parseGoDuration('2024-01-01'), undefined);
});

test('until: a duration before now, unix seconds, or an RFC 3339 date', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  assert.equal(parseUntil('1h', now), now / 1000 - 3600);
  assert.equal(parseUntil('1700000000.5', now), 1700000000.5);
  assert.equal(parseUntil('2025-05-01T00:00:00Z', now), Date.parse('2025-05-01T00:00:00Z') / 1000);
  assert.throws(() => parseUntil('yesterday', now), (e) => isBerthError(e, 'invalid_argument'));
});

test('prune predicate: until, label and label!', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  const old = now / 1000 - 7200;
  const recent = now / 1000 - 60;
  const p = prunePredicate({ until: ['1h'], label: ['keep=no'], 'label!': ['pinned'] }, now);
  assert.equal(p(old, { keep: 'no' }), true);
  assert.equal(p(recent, { keep: 'no' }), false);
  assert.equal(p(old, { keep: 'yes' }), false);
  assert.equal(p(old, { keep: 'no', pinned: '' }), false);
  assert.equal(prunePredicate({})(recent, {}), true);
  assert.throws(() => validatePruneFilters({ dangling: ['true'] }, ['until']), /invalid filter 'dangling'/);
});

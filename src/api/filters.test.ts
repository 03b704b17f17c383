import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../errors.js';
import { parseFilters } from './filters.js';

test('both JSON forms parse: map of booleans and legacy lists', () => {
  assert.deepEqual(parseFilters('{"label":{"a=b":true,"c":true},"status":{"x":false}}').toRecord(), { label: ['a=b', 'c'], status: [] });
  assert.deepEqual(parseFilters('{"name":["web","db"]}').toRecord(), { name: ['web', 'db'] });
  assert.deepEqual(parseFilters(undefined).toRecord(), {});
  assert.deepEqual(parseFilters('').keys(), []);
});

test('malformed filters are invalid arguments', () => {
  for (const bad of ['{', '[]', '"x"', '{"a":"b"}', '{"a":[1]}', '{"a":{"b":"yes"}}']) {
    assert.throws(() => parseFilters(bad), (err) => isBerthError(err, 'invalid_argument'), bad);
  }
});

test('exact, fuzzy and key=value matching follow Docker filters.Args', () => {
  const f = parseFilters('{"type":{"container":true},"container":{"ab":true},"label":{"app":true,"tier=web":true}}');
  assert.ok(f.exactMatch('type', 'container'));
  assert.ok(!f.exactMatch('type', 'image'));
  assert.ok(f.exactMatch('unset', 'anything'));
  assert.ok(f.fuzzyMatch('container', 'abcdef'));
  assert.ok(!f.fuzzyMatch('container', 'xab'));
  assert.ok(f.matchKVList('label', { app: '1', tier: 'web' }));
  assert.ok(!f.matchKVList('label', { app: '1', tier: 'db' }));
  assert.ok(!f.matchKVList('label', { tier: 'web' }));
  assert.ok(!f.matchKVList('label', {}));
  assert.ok(parseFilters('{}').matchKVList('label', {}));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../errors.js';
import { parseQuery } from './query.js';

test('booleans follow Docker: only absent, empty, 0, no, false and none are false', () => {
  const q = parseQuery('a=1&b=true&c=True&d=0&e=false&f=&g=no&h=NONE&i=yes&j=anything');
  assert.deepEqual(['a', 'b', 'c', 'i', 'j'].map(q.bool), [true, true, true, true, true]);
  assert.deepEqual(['d', 'e', 'f', 'g', 'h', 'missing'].map(q.bool), [false, false, false, false, false, false]);
});

test('boolOr uses the default only when the key is absent', () => {
  const q = parseQuery('?quiet=0&loud=');
  assert.equal(q.boolOr('quiet', true), false);
  assert.equal(q.boolOr('loud', true), false);
  assert.equal(q.boolOr('absent', true), true);
});

test('values: first of repeated keys, all of them, plus-encoded spaces', () => {
  const q = parseQuery('changes=CMD+%5B%22sh%22%5D&changes=ENV+A%3D1&name=x');
  assert.equal(q.get('changes'), 'CMD ["sh"]');
  assert.deepEqual(q.all('changes'), ['CMD ["sh"]', 'ENV A=1']);
  assert.equal(q.get('nope'), undefined);
  assert.ok(q.has('name'));
});

test('integers parse strictly', () => {
  const q = parseQuery('t=10&neg=-1&empty=&bad=1.5&word=ten');
  assert.equal(q.int('t'), 10);
  assert.equal(q.int('neg'), -1);
  assert.equal(q.int('empty'), undefined);
  assert.equal(q.int('missing'), undefined);
  assert.throws(() => q.int('bad'), (err) => isBerthError(err, 'invalid_argument'));
  assert.throws(() => q.int('word'), (err) => isBerthError(err, 'invalid_argument'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../errors.js';
import { compareVersions, negotiateVersion, splitVersionPrefix, versionAtLeast } from './api-version.js';

test('versions compare numerically per component', () => {
  assert.equal(compareVersions('1.9', '1.24'), -1);
  assert.equal(compareVersions('1.50', '1.5'), 1);
  assert.equal(compareVersions('1.24', '1.24.0'), 0);
  assert.ok(versionAtLeast('1.42', '1.42'));
  assert.ok(!versionAtLeast('1.41', '1.42'));
});

test('the version prefix is split from the path; unversioned paths have none', () => {
  assert.deepEqual(splitVersionPrefix('/v1.50/containers/json'), { version: '1.50', path: '/containers/json' });
  assert.deepEqual(splitVersionPrefix('/v1.24/_ping'), { version: '1.24', path: '/_ping' });
  assert.deepEqual(splitVersionPrefix('/containers/json'), { path: '/containers/json' });
  assert.deepEqual(splitVersionPrefix('/volumes'), { path: '/volumes' });
  assert.deepEqual(splitVersionPrefix('/vx/_ping'), { path: '/vx/_ping' });
});

test('versions outside the supported range are refused with Docker messages', () => {
  const range = { min: '1.24', max: '1.50' };
  assert.equal(negotiateVersion(undefined, range), '1.50');
  assert.equal(negotiateVersion('1.41', range), '1.41');
  assert.throws(
    () => negotiateVersion('1.51', range),
    (err) => isBerthError(err, 'invalid_argument') && err.message === 'client version 1.51 is too new. Maximum supported API version is 1.50',
  );
  assert.throws(
    () => negotiateVersion('1.23', range),
    (err) =>
      isBerthError(err, 'invalid_argument') &&
      err.message === 'client version 1.23 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version',
  );
});

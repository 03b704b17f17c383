import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../errors.js';
import { repoTagReference } from './images.js';

test('repo and tag combine like Docker RepoTagReference', () => {
  assert.equal(repoTagReference('busybox', ''), 'docker.io/library/busybox:latest');
  assert.equal(repoTagReference('busybox:1.36', undefined), 'docker.io/library/busybox:1.36');
  assert.equal(repoTagReference('localhost:5000/a/b', 'v2'), 'localhost:5000/a/b:v2');
  assert.equal(repoTagReference('busybox:old', 'new'), 'docker.io/library/busybox:new');
  assert.equal(repoTagReference('', 'x'), undefined);
  assert.throws(() => repoTagReference(`busybox@sha256:${'a'.repeat(64)}`, ''), (err) => isBerthError(err, 'invalid_argument'));
  assert.throws(() => repoTagReference('Busybox', ''), (err) => isBerthError(err, 'invalid_argument'));
  assert.throws(() => repoTagReference('busybox', 'bad tag'), (err) => isBerthError(err, 'invalid_argument'));
});

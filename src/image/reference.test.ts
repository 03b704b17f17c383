import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReference, normalizeReference, familiarString, isDigest } from './reference.js';
import { isBerthError } from '../errors.js';

const d = 'sha256:' + 'a'.repeat(64);

test('normalises Docker Hub short names', () => {
  assert.equal(normalizeReference('busybox'), 'docker.io/library/busybox:latest');
  assert.equal(normalizeReference('busybox:1.36'), 'docker.io/library/busybox:1.36');
  assert.equal(normalizeReference('user/app'), 'docker.io/user/app:latest');
  assert.equal(normalizeReference('index.docker.io/library/busybox'), 'docker.io/library/busybox:latest');
});

test('keeps registry hosts, ports and digests', () => {
  assert.deepEqual(parseReference(`localhost:5000/a/b@${d}`), { domain: 'localhost:5000', path: 'a/b', tag: undefined, digest: d });
  assert.equal(normalizeReference('127.0.0.1:5000/x:v1'), '127.0.0.1:5000/x:v1');
  assert.equal(normalizeReference(`busybox:1@${d}`), `docker.io/library/busybox:1@${d}`);
});

test('familiar form drops the defaults', () => {
  assert.equal(familiarString('docker.io/library/busybox:latest'), 'busybox:latest');
  assert.equal(familiarString('docker.io/user/app:v2'), 'user/app:v2');
  assert.equal(familiarString('localhost:5000/x:v1'), 'localhost:5000/x:v1');
});

test('rejects malformed references with invalid_argument', () => {
  for (const bad of ['', 'Busybox', 'a//b', 'a:b:c', 'a@sha256:xyz', ':tag', 'a b']) {
    assert.throws(() => parseReference(bad), (e) => isBerthError(e, 'invalid_argument'), bad);
  }
  assert.ok(isDigest(d));
  assert.ok(!isDigest('sha256:abc'));
});

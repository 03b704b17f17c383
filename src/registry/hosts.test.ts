import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../errors.js';
import { parseChallenges } from './challenge.js';
import { createRegistryHosts, registryHostsConfig } from './hosts.js';
import { redact, secretsOf } from './redact.js';

test('loopback registries are plain HTTP, others HTTPS unless configured insecure', () => {
  const hosts = createRegistryHosts({ insecureRegistries: ['10.1.0.0/16', 'reg.lan:5000', 'other.lan', 'fd00::/8'] });
  for (const h of ['localhost:5000', 'localhost', '127.0.0.1:5000', '127.45.6.7', '[::1]:5000', 'reg.lan:5000', 'other.lan:443', '10.1.2.3:5000', '[fd00::1]:80']) {
    assert.equal(hosts.isInsecure(h), true, h);
  }
  for (const h of ['reg.lan:5001', 'quay.io', '10.2.0.1', '128.0.0.1:5000', '[fe80::1]:5000']) {
    assert.equal(hosts.isInsecure(h), false, h);
  }
  assert.deepEqual(hosts.origin('127.0.0.1:5000'), { url: 'http://127.0.0.1:5000', domain: '127.0.0.1:5000', mirror: false });
  assert.deepEqual(hosts.origin('quay.io'), { url: 'https://quay.io', domain: 'quay.io', mirror: false });
  assert.equal(hosts.origin('docker.io').url, 'https://registry-1.docker.io');
  assert.throws(() => createRegistryHosts({ insecureRegistries: ['10.0.0.0/40'] }), (e) => isBerthError(e, 'invalid_argument'));
});

test('mirrors come before the origin: registry-mirrors for Docker Hub, the mirror map for any registry', () => {
  const hosts = createRegistryHosts({
    registryMirrors: ['https://hub-mirror.example/'],
    mirrorMap: { 'quay.io': ['http://127.0.0.1:5001', 'https://q.example/prefix/'] },
  });
  assert.deepEqual(
    hosts.pullEndpoints('docker.io').map((e) => [e.url, e.mirror]),
    [['https://hub-mirror.example', true], ['https://registry-1.docker.io', false]],
  );
  assert.deepEqual(
    hosts.pullEndpoints('quay.io').map((e) => e.url),
    ['http://127.0.0.1:5001', 'https://q.example/prefix', 'https://quay.io'],
  );
  assert.deepEqual(hosts.pullEndpoints('ghcr.io').map((e) => e.url), ['https://ghcr.io']);
  assert.throws(() => createRegistryHosts({ registryMirrors: ['ftp://x'] }), (e) => isBerthError(e, 'invalid_argument'));
  assert.throws(() => createRegistryHosts({ registryMirrors: ['https://u:p@x'] }), (e) => isBerthError(e, 'invalid_argument'));
});

test('daemon.json keys', () => {
  assert.deepEqual(
    registryHostsConfig({ 'insecure-registries': ['a:1'], 'registry-mirrors': ['https://m'], 'registry-mirror-map': { 'q.io': ['https://n'] }, debug: true }),
    { insecureRegistries: ['a:1'], registryMirrors: ['https://m'], mirrorMap: { 'q.io': ['https://n'] } },
  );
  assert.throws(() => registryHostsConfig({ 'insecure-registries': 'a:1' }), (e) => isBerthError(e, 'invalid_argument'));
  assert.throws(() => registryHostsConfig({ 'registry-mirror-map': { q: 'https://n' } }), (e) => isBerthError(e, 'invalid_argument'));
});

test('WWW-Authenticate challenges', () => {
  assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } },
  ]);
  assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
  assert.deepEqual(parseChallenges('Basic realm="a, \\"b\\"", Bearer realm=https://t/x , error=insufficient_scope'), [
    { scheme: 'basic', params: { realm: 'a, "b"' } },
    { scheme: 'bearer', params: { realm: 'https://t/x', error: 'insufficient_scope' } },
  ]);
  assert.deepEqual(parseChallenges(''), []);
});

test('credentials are masked in messages', () => {
  const auth = { username: 'bob', password: 's3cret-pw' };
  const msg = redact(`Get "https://bob:s3cret-pw@r/v2/": sent Basic ${Buffer.from('bob:s3cret-pw').toString('base64')} and s3cret-pw`, secretsOf(auth));
  assert.ok(!msg.includes('s3cret-pw') && !msg.includes(Buffer.from('bob:s3cret-pw').toString('base64')), msg);
  assert.equal(msg, 'Get "https://<redacted>@r/v2/": sent Basic <redacted> and <redacted>');
  assert.equal(redact('Authorization: Bearer abc.def.ghi', []), 'Authorization: Bearer <redacted>');
});

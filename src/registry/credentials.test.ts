import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isBerthError } from '../errors.js';
import { createCredentialStore, credentialDomain } from './credentials.js';

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-creds-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('server addresses name registry domains as the docker CLI keys them', () => {
  assert.equal(credentialDomain('https://index.docker.io/v1/'), 'docker.io');
  assert.equal(credentialDomain('registry-1.docker.io'), 'docker.io');
  assert.equal(credentialDomain('http://127.0.0.1:5000/v2/'), '127.0.0.1:5000');
  assert.equal(credentialDomain('Quay.IO'), 'quay.io');
});

test('a docker config.json: read, written atomically with mode 0600, other fields kept', () =>
  withDir(async (dir) => {
    const file = path.join(dir, 'config.json');
    await writeFile(
      file,
      JSON.stringify({
        auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:hub:pass').toString('base64') }, 'q.io': { identitytoken: 'tok123' } },
        psFormat: 'table',
      }),
    );
    const store = createCredentialStore(file);
    assert.deepEqual(await store.get('docker.io'), { username: 'hubuser', password: 'hub:pass' });
    assert.deepEqual(await store.get('q.io'), { identityToken: 'tok123' });
    assert.equal(await store.get('127.0.0.1:5000'), undefined);
    await Promise.all([
      store.set('127.0.0.1:5000', { username: 'a', password: 'b' }),
      store.set('https://index.docker.io/v1/', { username: 'new', password: 'pw' }),
    ]);
    const json = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(json.psFormat, 'table');
    assert.deepEqual(json.auths['127.0.0.1:5000'], { auth: Buffer.from('a:b').toString('base64') });
    assert.deepEqual(json.auths['https://index.docker.io/v1/'], { auth: Buffer.from('new:pw').toString('base64') });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual((await store.list()).sort(), ['127.0.0.1:5000', 'docker.io', 'q.io']);
    assert.equal(await store.remove('q.io'), true);
    assert.equal(await store.remove('q.io'), false);
    assert.deepEqual((await store.list()).sort(), ['127.0.0.1:5000', 'docker.io']);
  }));

test('a missing file is empty; a malformed one is an error naming it', () =>
  withDir(async (dir) => {
    const missing = createCredentialStore(path.join(dir, 'sub', 'config.json'));
    assert.deepEqual(await missing.list(), []);
    await missing.set('r.io', { username: 'u', password: 'p' });
    assert.deepEqual(await missing.get('r.io'), { username: 'u', password: 'p' });
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{"auths":');
    await assert.rejects(createCredentialStore(bad).get('r.io'), (e) => isBerthError(e, 'invalid_argument') && e.message.includes(bad));
  }));

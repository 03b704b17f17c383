// Registry auth against the real docker-registry: htpasswd (Basic), token auth (Bearer flow with a token server
// of the test's own), login and the credential store, redirects that must not carry credentials elsewhere.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { collect } from '../archive/test-helpers.js';
import { sha256 } from '../content/digest.js';
import { isBerthError } from '../errors.js';
import { silentLogger } from '../util/logger.js';
import { createRegistryClient } from './client.js';
import { createCredentialStore } from './credentials.js';
import { createRegistryHosts } from './hosts.js';
import { login } from './login.js';
import { inOwnNetns, runInOwnNetns } from './testing/netns.js';
import { skopeoPush, writeOciLayout, type BuiltTag } from './testing/oci-layout.js';
import { startProxy } from './testing/proxy.js';
import { startRegistry, type TestRegistry } from './testing/registry-server.js';
import { startTokenServer, type TokenServer } from './testing/token-server.js';

const user = { username: 'alice', password: 'wonder-land-42' };
const creds = `${user.username}:${user.password}`;
const newClient = (credentials?: (d: string) => Promise<{ username: string; password: string } | undefined>) =>
  createRegistryClient({ hosts: createRegistryHosts(), logger: silentLogger, retries: 0, credentials });

const refusedWithoutSecrets = (code: 'unauthorized' | 'forbidden', text?: string) => (err: unknown) => {
  assert.ok(isBerthError(err, code), String(err));
  assert.ok(!err.message.includes(user.password), err.message);
  assert.ok(!err.message.includes(Buffer.from(creds).toString('base64')), err.message);
  if (text) assert.ok(err.message.includes(text), err.message);
  return true;
};

if (!inOwnNetns()) {
  test('registry auth (in a private network namespace)', (t) => runInOwnNetns(t, fileURLToPath(import.meta.url)));
} else {
  let dir: string;
  let built: Record<string, BuiltTag>;
  let basicReg: TestRegistry;
  let tokenReg: TestRegistry;
  let tokens: TokenServer;
  const layout = () => path.join(dir, 'layout');

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'berth-registry-auth-'));
    built = await writeOciLayout(layout(), { v1: { layers: [{ files: { 'a.txt': 'alpha'.repeat(1000) } }] } });
    basicReg = await startRegistry(path.join(dir, 'basic'), { htpasswd: user });
    tokens = await startTokenServer(dir, { [user.username]: user.password }, { 'refresh-token-of-alice': user.username }, (who, repo, actions) =>
      who ? actions : repo.startsWith('public/') ? actions.filter((a) => a === 'pull') : [],
    );
    tokenReg = await startRegistry(path.join(dir, 'token'), { token: tokens });
    await skopeoPush(layout(), 'v1', `${basicReg.host}/private/app:v1`, creds);
    await skopeoPush(layout(), 'v1', `${tokenReg.host}/private/app:v1`, creds);
    await skopeoPush(layout(), 'v1', `${tokenReg.host}/public/app:v1`, creds);
  });

  after(async () => {
    await basicReg?.stop();
    await tokenReg?.stop();
    await tokens?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('basic auth: anonymous refused, accepted after login with the stored credentials', async () => {
    await assert.rejects(newClient().repository(basicReg.host, 'private/app').getManifest('v1'), refusedWithoutSecrets('unauthorized', 'pull access denied'));
    await assert.rejects(
      newClient().ping(basicReg.host, { username: user.username, password: 'wrong' }),
      (err) => isBerthError(err, 'unauthorized') && err.message === `login attempt to http://${basicReg.host}/v2/ failed with status: 401 Unauthorized`,
    );
    const store = createCredentialStore(path.join(dir, 'docker-config.json'));
    const wrong = { username: user.username, password: `${user.password}-not` };
    await assert.rejects(login({ client: newClient(), store }, basicReg.host, wrong), refusedWithoutSecrets('unauthorized'));
    assert.equal(await store.get(basicReg.host), undefined);
    assert.deepEqual(await login({ client: newClient(), store }, basicReg.host, user), { domain: basicReg.host, status: 'Login Succeeded' });
    assert.deepEqual(await store.get(basicReg.host), user);
    const repo = newClient((d) => store.get(d) as Promise<typeof user | undefined>).repository(basicReg.host, 'private/app');
    assert.equal((await repo.getManifest('v1')).digest, built.v1.top.digest);
  });

  test('a redirect to another host gets no Authorization', async () => {
    const layer = built.v1.images[0].layers[0];
    const basic = `Basic ${Buffer.from(creds).toString('base64')}`;
    const storage = await startProxy(basicReg.host, () => ({ kind: 'forward', headers: { authorization: basic } }), '127.0.0.2');
    const front = await startProxy(basicReg.host, (req) =>
      req.method === 'GET' && req.url.includes('/blobs/sha256:')
        ? { kind: 'respond', status: 307, headers: { location: `http://${storage.host}${req.url}` } }
        : { kind: 'forward' },
    );
    try {
      const repo = newClient().repository(front.host, 'private/app', { auth: user });
      await repo.getManifest('v1');
      const { stream } = await repo.getBlob(layer.digest, layer.size);
      assert.equal(sha256(await collect(stream)), layer.digest);
      assert.ok(front.requests.some((r) => r.url.includes('/blobs/') && r.headers.authorization === basic));
      assert.equal(storage.requests.length, 1);
      assert.equal(storage.requests[0].headers.authorization, undefined);
    } finally {
      await front.stop();
      await storage.stop();
    }
  });

  test('bearer: anonymous tokens for public repositories only', async () => {
    const client = newClient();
    const before = tokens.requests.length;
    const pub = await client.repository(tokenReg.host, 'public/app').getManifest('v1');
    assert.equal(pub.digest, built.v1.top.digest);
    await assert.rejects(client.repository(tokenReg.host, 'private/app').getManifest('v1'), refusedWithoutSecrets('unauthorized', 'pull access denied for'));
    // Only this test's requests: skopeo's pushes in before() may have asked for the same scope with credentials.
    const asked = tokens.requests.slice(before).filter((r) => r.scopes.includes('repository:public/app:pull'));
    assert.ok(asked.length >= 1);
    assert.equal(asked[0].user, undefined);
    assert.equal(asked[0].service, tokens.service);
  });

  test('bearer: scoped tokens with credentials, cached per scope; push and mount', async () => {
    const client = newClient();
    const before = tokens.requests.length;
    const repo = client.repository(tokenReg.host, 'private/new', { push: true, auth: user });
    const data = Buffer.from('pushed with a bearer token');
    const up = await repo.uploadBlob(Readable.from([data]), { digest: sha256(data), size: data.length });
    assert.equal(await repo.headBlob(up.digest), data.length);
    assert.equal((await repo.getBlob(up.digest, data.length)).size, data.length);
    const scoped = tokens.requests.slice(before);
    assert.equal(scoped.length, 1, JSON.stringify(scoped));
    assert.deepEqual(scoped[0].scopes, ['repository:private/new:pull,push']);
    assert.equal(scoped[0].account, user.username);
    assert.equal(scoped[0].user, user.username);
    const layer = built.v1.images[0].layers[0];
    assert.equal(await repo.mountBlob(layer.digest, 'private/app'), true);
    assert.deepEqual(tokens.requests.at(-1)?.scopes, ['repository:private/new:pull,push', 'repository:private/app:pull']);
    assert.equal(await repo.headBlob(layer.digest), layer.size);
  });

  test('bearer: an identity token is exchanged for access tokens', async () => {
    const repo = newClient().repository(tokenReg.host, 'private/app', { auth: { identityToken: 'refresh-token-of-alice' } });
    assert.equal((await repo.getManifest('v1')).digest, built.v1.top.digest);
    assert.equal(tokens.requests.at(-1)?.user, user.username);
    const bad = newClient().repository(tokenReg.host, 'private/app', { auth: { identityToken: 'stolen' } });
    await assert.rejects(bad.getManifest('v1'), (err) => isBerthError(err, 'unauthorized') && !err.message.includes('stolen'));
  });

  test('bearer: a wrong password is refused by the token server; login checks through it', async () => {
    const wrong = { username: user.username, password: 'not-the-password' };
    await assert.rejects(
      newClient().repository(tokenReg.host, 'public/app', { auth: wrong }).getManifest('v1'),
      (err) => isBerthError(err, 'unauthorized') && err.message.includes('incorrect username or password') && !err.message.includes(wrong.password),
    );
    await assert.rejects(login({ client: newClient() }, `http://${tokenReg.host}/`, wrong), refusedWithoutSecrets('unauthorized', 'incorrect username or password'));
    assert.deepEqual(await login({ client: newClient() }, tokenReg.host, user), { domain: tokenReg.host, status: 'Login Succeeded' });
  });
}

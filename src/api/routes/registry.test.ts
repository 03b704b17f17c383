import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthError, isBerthError, notFound, unauthorized } from '../../errors.js';
import type { AuthConfig } from '../../registry/types.js';
import { loginRequest, registryAuthHeader } from '../registry-auth.js';
import { engineWith, json, request, startServer } from '../test-helpers.js';
import { commitConfigBody } from './commit.js';
import { parsePlatform, pullReference } from './registry.js';

const header = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

test('X-Registry-Auth: base64url JSON, "auth" or username/password, tokens; "{}" and absence are anonymous', () => {
  assert.deepEqual(registryAuthHeader(header({ username: 'u', password: 'p?>', serveraddress: 'r:5000' })), { username: 'u', password: 'p?>' });
  assert.deepEqual(registryAuthHeader(header({ auth: Buffer.from('me:se:cret').toString('base64') })), { username: 'me', password: 'se:cret' });
  assert.deepEqual(registryAuthHeader(header({ identitytoken: 'refresh' })), { identityToken: 'refresh' });
  // The docker CLI pads with "="; the standard alphabet is accepted too.
  assert.deepEqual(registryAuthHeader(Buffer.from(JSON.stringify({ username: 'a>?~', password: 'b' })).toString('base64')), { username: 'a>?~', password: 'b' });
  assert.equal(registryAuthHeader(header({})), undefined);
  assert.equal(registryAuthHeader(undefined), undefined);
  assert.throws(() => registryAuthHeader('not json'), (e) => isBerthError(e, 'invalid_argument'));
  assert.throws(() => registryAuthHeader(header([1])), /expected a JSON object/);
  assert.deepEqual(loginRequest({ username: 'u', password: 'p', serveraddress: '127.0.0.1:5000' }), { serverAddress: '127.0.0.1:5000', auth: { username: 'u', password: 'p' } });
});

test('fromImage and tag combine like Docker: the tag may be a digest; platforms parse', () => {
  const digest = `sha256:${'c'.repeat(64)}`;
  assert.equal(pullReference('busybox', 'latest'), 'docker.io/library/busybox:latest');
  assert.equal(pullReference('127.0.0.1:5000/a/b', digest), `127.0.0.1:5000/a/b@${digest}`);
  assert.equal(pullReference('127.0.0.1:5000/a/b:1', undefined), '127.0.0.1:5000/a/b:1');
  assert.equal(pullReference(`a@${digest}`, ''), `docker.io/library/a@${digest}`);
  assert.throws(() => pullReference('127.0.0.1:5000/a', ''), (e) => isBerthError(e, 'not_implemented'));
  assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
  assert.deepEqual(parsePlatform('Linux/x86_64'), { os: 'linux', architecture: 'amd64' });
  assert.throws(() => parsePlatform('linux//v8'), /invalid platform/);
});

test('a commit body is a container Config whose image fields are kept', () => {
  assert.equal(commitConfigBody(null), undefined);
  assert.deepEqual(commitConfigBody({ Cmd: 'echo hi', Env: ['A=1'], ExposedPorts: { '80/tcp': {} }, Hostname: 'x' }), {
    Cmd: ['echo hi'],
    Env: ['A=1'],
    ExposedPorts: { '80/tcp': {} },
  });
  assert.throws(() => commitConfigBody([]), (e) => isBerthError(e, 'invalid_argument'));
});

test('pull: errors before the first message are HTTP errors (denied → 404), later ones end the JSON stream', async () => {
  const seen: Array<{ ref: string; auth?: AuthConfig }> = [];
  const srv = await startServer(
    engineWith({
      registry: {
        async pullImage(ref, opts) {
          seen.push({ ref, auth: opts?.auth });
          if (ref.includes('missing')) throw notFound(`manifest for ${ref} not found: manifest unknown`);
          if (ref.includes('private')) throw unauthorized('pull access denied for private, repository does not exist');
          opts?.onProgress?.({ status: 'Pulling from x', id: '1' });
          throw new BerthError('invalid_argument', 'blob sha256:abc: digest mismatch');
        },
        async login(server, auth) {
          if (auth.password !== 'right') throw unauthorized(`login attempt to http://${server}/v2/ failed with status: 401 Unauthorized`);
          return { domain: server, status: 'Login Succeeded' };
        },
      },
    }),
  );
  try {
    const auth = { 'X-Registry-Auth': header({ username: 'u', password: 'p' }) };
    const missing = await request(srv.socket, 'POST', '/v1.50/images/create?fromImage=127.0.0.1:5000/missing&tag=1', { headers: auth });
    assert.equal(missing.status, 404);
    assert.match((json(missing) as { message: string }).message, /manifest unknown/);
    assert.deepEqual(seen[0], { ref: '127.0.0.1:5000/missing:1', auth: { username: 'u', password: 'p' } });
    const denied = await request(srv.socket, 'POST', '/images/create?fromImage=127.0.0.1:5000/private&tag=1');
    assert.equal(denied.status, 404);
    const broken = await request(srv.socket, 'POST', '/images/create?fromImage=127.0.0.1:5000/broken&tag=1');
    assert.equal(broken.status, 200);
    const lines = broken.body.toString().trim().split('\r\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines, [
      { status: 'Pulling from x', id: '1' },
      { errorDetail: { message: 'blob sha256:abc: digest mismatch' }, error: 'blob sha256:abc: digest mismatch' },
    ]);
    const badPlatform = await request(srv.socket, 'POST', '/images/create?fromImage=x&tag=1&platform=linux//');
    assert.equal(badPlatform.status, 400);

    const body = (password: string) => JSON.stringify({ username: 'u', password, serveraddress: '127.0.0.1:5000' });
    const login = await request(srv.socket, 'POST', '/auth', { body: body('right'), headers: { 'Content-Type': 'application/json' } });
    assert.equal(login.status, 200);
    assert.deepEqual(json(login), { Status: 'Login Succeeded', IdentityToken: '' });
    const refused = await request(srv.socket, 'POST', '/auth', { body: body('wrong'), headers: { 'Content-Type': 'application/json' } });
    assert.equal(refused.status, 401);
  } finally {
    await srv.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultHost, parseHost, resolveHost } from './host.js';
import { encodeQuery } from './transport.js';

test('parseHost reads unix and tcp addresses like docker', () => {
  assert.deepEqual(parseHost('unix:///tmp/x.sock'), { kind: 'unix', url: 'unix:///tmp/x.sock', socketPath: '/tmp/x.sock' });
  assert.deepEqual(parseHost('unix://'), { kind: 'unix', url: defaultHost, socketPath: '/run/berth/berth.sock' });
  assert.deepEqual(parseHost('tcp://10.0.0.1:2376'), { kind: 'tcp', url: 'tcp://10.0.0.1:2376', hostname: '10.0.0.1', port: 2376 });
  assert.deepEqual(parseHost('tcp://localhost'), { kind: 'tcp', url: 'tcp://localhost:2375', hostname: 'localhost', port: 2375 });
  assert.deepEqual(parseHost('tcp://[::1]:99'), { kind: 'tcp', url: 'tcp://[::1]:99', hostname: '::1', port: 99 });
  assert.throws(() => parseHost('/run/x.sock'), /invalid daemon address/);
  assert.throws(() => parseHost('ssh://host'), /unsupported daemon address scheme/);
  assert.throws(() => parseHost('unix://relative.sock'), /must be absolute/);
});

test('resolveHost prefers -H, then BERTH_HOST, then DOCKER_HOST', () => {
  const env = { BERTH_HOST: 'unix:///b.sock', DOCKER_HOST: 'unix:///d.sock' };
  assert.equal(resolveHost('unix:///h.sock', env), 'unix:///h.sock');
  assert.equal(resolveHost(undefined, env), 'unix:///b.sock');
  assert.equal(resolveHost(undefined, { DOCKER_HOST: 'unix:///d.sock' }), 'unix:///d.sock');
  assert.equal(resolveHost(undefined, {}), defaultHost);
});

test('encodeQuery writes booleans as 1/0, arrays as repeated keys and filters as JSON', () => {
  const q = encodeQuery({ all: true, size: false, limit: 3, skip: undefined, names: ['a:1', 'b'], filters: { status: { running: true } } });
  const params = new URLSearchParams(q.slice(1));
  assert.equal(q[0], '?');
  assert.equal(params.get('all'), '1');
  assert.equal(params.get('size'), '0');
  assert.equal(params.get('limit'), '3');
  assert.equal(params.has('skip'), false);
  assert.deepEqual(params.getAll('names'), ['a:1', 'b']);
  assert.deepEqual(JSON.parse(params.get('filters') as string), { status: { running: true } });
  assert.equal(encodeQuery({}), '');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRouter } from './router.js';
import type { Route } from './types.js';

const route = (method: Route['method'], path: string): Route => ({ method, path, handler: async () => undefined });
const routes = [
  route('GET', '/images/json'),
  route('GET', '/images/get'),
  route('GET', '/images/{name*}/json'),
  route('GET', '/images/{name*}/get'),
  route('DELETE', '/images/{name*}'),
  route('GET', '/containers/{id}/json'),
  route('POST', '/containers/{id}/start'),
];
const router = createRouter(routes);
const match = (method: string, path: string) => {
  const m = router.match(method, path);
  return m && { path: m.route.path, params: m.params };
};

test('fixed paths win over greedy image names registered after them', () => {
  assert.deepEqual(match('GET', '/images/json'), { path: '/images/json', params: {} });
  assert.deepEqual(match('GET', '/images/get'), { path: '/images/get', params: {} });
});

test('image names may contain slashes, ports and tags', () => {
  assert.deepEqual(match('GET', '/images/localhost:5000/a/b:1.0/json'), { path: '/images/{name*}/json', params: { name: 'localhost:5000/a/b:1.0' } });
  assert.deepEqual(match('GET', '/images/busybox/get'), { path: '/images/{name*}/get', params: { name: 'busybox' } });
  assert.deepEqual(match('DELETE', '/images/docker.io/library/busybox:latest'), { path: '/images/{name*}', params: { name: 'docker.io/library/busybox:latest' } });
});

test('single-segment parameters do not cross slashes and are percent-decoded', () => {
  assert.deepEqual(match('GET', '/containers/abc/json'), { path: '/containers/{id}/json', params: { id: 'abc' } });
  assert.equal(match('GET', '/containers/a/b/json'), undefined);
  assert.deepEqual(match('POST', '/containers/my%20box/start')?.params, { id: 'my box' });
  assert.equal(match('POST', '/containers/%E0%A4%A/start'), undefined);
});

test('the method must match', () => {
  assert.equal(match('POST', '/containers/abc/json'), undefined);
  assert.equal(match('GET', '/containers/abc/start'), undefined);
});

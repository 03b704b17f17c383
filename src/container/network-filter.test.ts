import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container } from '../engine/types.js';
import { isBerthError } from '../errors.js';
import { matchesNetworkFilters, portKeys } from './network-filter.js';

const container = (spec: Partial<Container['spec']>) => ({ spec: { exposedPorts: [], ...spec } }) as unknown as Container;

test('port filters name container ports, ranges and protocols included', () => {
  assert.deepEqual(portKeys('80'), ['80/tcp']);
  assert.deepEqual(portKeys('53/UDP'), ['53/udp']);
  assert.deepEqual(portKeys('8000-8002/tcp'), ['8000/tcp', '8001/tcp', '8002/tcp']);
  assert.throws(() => portKeys('http'), (e) => isBerthError(e, 'invalid_argument'));
  const web = container({
    exposedPorts: ['80/tcp', '9000-9001/tcp'],
    network: {
      mode: 'app', endpoints: [{ network: 'app', networkId: 'abc123', aliases: [] }],
      portBindings: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }], publishAll: false,
      dns: [], dnsSearch: [], dnsOptions: [], extraHosts: [],
    },
  });
  assert.equal(matchesNetworkFilters(web, { publish: ['80'] }), true);
  assert.equal(matchesNetworkFilters(web, { publish: ['8080'] }), false, 'host ports are not what publish= names');
  assert.equal(matchesNetworkFilters(web, { expose: ['9001'] }), true);
  assert.equal(matchesNetworkFilters(web, { expose: ['80/udp'] }), false);
  assert.equal(matchesNetworkFilters(web, { network: ['app'] }), true);
  assert.equal(matchesNetworkFilters(web, { network: ['abc123'] }), true);
  assert.equal(matchesNetworkFilters(web, { network: ['bridge'] }), false);
  assert.equal(matchesNetworkFilters(container({}), { network: ['bridge'] }), true, 'records without a request are on the default bridge');
});

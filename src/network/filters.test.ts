import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesNetworkFilters, matchesPruneFilters, parseUntil } from './filters.js';
import type { NetworkRecord } from './records.js';
import type { Network } from './types.js';

const net: Network = {
  id: 'abcdef0123', name: 'frontend', driver: 'bridge', scope: 'local', created: '2024-01-01T00:00:00Z', internal: false,
  attachable: false, enableIPv6: false, ipam: { driver: 'default', options: {}, config: [] }, options: {},
  labels: { tier: 'web', env: 'prod' }, containers: {},
};

test('network list filters', () => {
  assert.equal(matchesNetworkFilters(net, false, {}), true);
  assert.equal(matchesNetworkFilters(net, false, { name: ['front'] }), true);
  assert.equal(matchesNetworkFilters(net, false, { name: ['^back'] }), false);
  assert.equal(matchesNetworkFilters(net, false, { id: ['abcd'] }), true);
  assert.equal(matchesNetworkFilters(net, false, { label: ['tier=web', 'env'] }), true);
  assert.equal(matchesNetworkFilters(net, false, { label: ['tier=db'] }), false);
  assert.equal(matchesNetworkFilters(net, false, { type: ['custom'] }), true);
  assert.equal(matchesNetworkFilters(net, true, { type: ['custom'] }), false);
  assert.equal(matchesNetworkFilters(net, false, { dangling: ['true'] }), true);
  assert.equal(matchesNetworkFilters(net, false, { driver: ['host'] }), false);
  assert.throws(() => matchesNetworkFilters(net, false, { colour: ['red'] }), /invalid filter 'colour'/);
  assert.throws(() => matchesNetworkFilters(net, false, { type: ['odd'] }), /invalid filter/);
});

test('prune filters: until and labels', () => {
  const rec = { created: net.created, labels: net.labels } as NetworkRecord;
  const now = Date.parse('2024-01-02T00:00:00Z');
  assert.equal(parseUntil('1h', now), now - 3_600_000);
  assert.equal(parseUntil('1700000000'), 1_700_000_000_000);
  assert.equal(matchesPruneFilters(rec, { until: ['2024-01-01T12:00:00Z'] }), true);
  assert.equal(matchesPruneFilters(rec, { until: ['2023-12-31T00:00:00Z'] }), false);
  assert.equal(matchesPruneFilters(rec, { label: ['tier=web'] }), true);
  assert.equal(matchesPruneFilters(rec, { 'label!': ['env=prod'] }), false);
  assert.equal(matchesPruneFilters(rec, { 'label!': ['env=dev'] }), true);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../errors.js';
import { contains, formatCidr, formatIPv4, isHostAddress, overlaps, parseCidr, parseIPv4, poolSubnets, defaultAddressPools } from './ipv4.js';

test('parses and formats addresses and CIDRs', () => {
  assert.equal(formatIPv4(parseIPv4('172.17.0.1')), '172.17.0.1');
  assert.equal(parseIPv4('0.0.1.0'), 256);
  const c = parseCidr('172.17.0.1/16');
  assert.equal(formatCidr(c), '172.17.0.0/16');
  assert.equal(formatIPv4(c.address), '172.17.0.1');
  for (const bad of ['1.2.3/8', '1.2.3.256/8', 'a.b.c.d/8', '10.0.0.0/33', '10.0.0.0']) {
    assert.throws(() => parseCidr(bad), (e) => isBerthError(e, 'invalid_argument'));
  }
});

test('overlap, containment and host addresses', () => {
  assert.equal(overlaps(parseCidr('10.0.0.0/16'), parseCidr('10.0.128.0/24')), true);
  assert.equal(overlaps(parseCidr('10.0.0.0/24'), parseCidr('10.0.1.0/24')), false);
  assert.equal(contains(parseCidr('10.0.0.0/24'), parseIPv4('10.0.0.255')), true);
  assert.equal(isHostAddress(parseCidr('10.0.0.0/24'), parseIPv4('10.0.0.255')), false);
  assert.equal(isHostAddress(parseCidr('10.0.0.0/24'), parseIPv4('10.0.0.0')), false);
  assert.equal(isHostAddress(parseCidr('10.0.0.0/24'), parseIPv4('10.0.0.1')), true);
});

test('pools enumerate Docker-like default subnets in order', () => {
  const all = [...poolSubnets(defaultAddressPools)].map(formatCidr);
  assert.deepEqual(all.slice(0, 2), ['172.17.0.0/16', '172.18.0.0/16']);
  assert.equal(all[14], '172.31.0.0/16');
  assert.deepEqual(all.slice(15, 17), ['192.168.0.0/20', '192.168.16.0/20']);
  assert.equal(all.length, 15 + 16);
});

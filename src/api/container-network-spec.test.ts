import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../errors.js';
import { toContainerNetworkSpec } from './container-network-spec.js';

const invalid = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (err) => isBerthError(err, 'invalid_argument') && message.test(err.message));

test('the default bridge and nothing else is no network request at all', () => {
  assert.equal(toContainerNetworkSpec({ Image: 'x' }), undefined);
  assert.equal(toContainerNetworkSpec({ Image: 'x', HostConfig: { NetworkMode: 'default' }, NetworkingConfig: { EndpointsConfig: {} } }), undefined);
  assert.equal(toContainerNetworkSpec({ Image: 'x', HostConfig: { NetworkMode: 'bridge' }, NetworkingConfig: { EndpointsConfig: { bridge: null } } }), undefined);
});

test('what `docker run --network app --network-alias db --ip 10.1.0.5 -p 8080:80 -p 127.0.0.1::53/udp -P --dns ...` sends', () => {
  const spec = toContainerNetworkSpec({
    Image: 'x',
    HostConfig: {
      NetworkMode: 'app',
      PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '' }], '443/tcp': null },
      PublishAllPorts: true,
      Dns: ['10.0.0.2'],
      DnsSearch: ['example.com'],
      DnsOptions: ['ndots:2'],
      ExtraHosts: ['gw:host-gateway'],
    },
    NetworkingConfig: { EndpointsConfig: { app: { Aliases: ['db'], IPAMConfig: { IPv4Address: '10.1.0.5' } }, other: {} } },
  });
  assert.deepEqual(spec, {
    mode: 'app',
    endpoints: [{ network: 'app', aliases: ['db'], ipv4Address: '10.1.0.5' }, { network: 'other', aliases: [] }],
    portBindings: [
      { hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostIp: '127.0.0.1', hostPort: 0, containerPort: 53, protocol: 'udp' },
    ],
    publishAll: true,
    dns: ['10.0.0.2'],
    dnsSearch: ['example.com'],
    dnsOptions: ['ndots:2'],
    extraHosts: ['gw:host-gateway'],
  });
});

test('port ranges: a host range for one port, and equal ranges paired', () => {
  const bindings = (PortBindings: Record<string, unknown>) => toContainerNetworkSpec({ Image: 'x', HostConfig: { PortBindings } })!.portBindings;
  assert.deepEqual(bindings({ '80/tcp': [{ HostPort: '8000-8010' }] }), [{ hostIp: '', hostPort: 8000, hostPortEnd: 8010, containerPort: 80, protocol: 'tcp' }]);
  assert.deepEqual(bindings({ '80-81/tcp': [{ HostPort: '9080-9081' }] }), [
    { hostIp: '', hostPort: 9080, containerPort: 80, protocol: 'tcp' },
    { hostIp: '', hostPort: 9081, containerPort: 81, protocol: 'tcp' },
  ]);
  invalid(() => bindings({ '80-82/tcp': [{ HostPort: '9080-9081' }] }), /differ in size/);
  invalid(() => bindings({ '80/tcp': [{ HostPort: 'http' }] }), /invalid host port/);
  invalid(() => bindings({ '80/tcp': [{ HostIp: 'localhost', HostPort: '80' }] }), /invalid host IP/);
  invalid(() => bindings({ '80/sctp': [{ HostPort: '80' }] }), /unsupported protocol/);
  invalid(() => bindings({ '80/tcp': { HostPort: '80' } }), /must be an array/);
});

test('bad addresses are refused', () => {
  invalid(() => toContainerNetworkSpec({ Image: 'x', HostConfig: { Dns: ['dns.example'] } }), /not an IP address/);
  invalid(() => toContainerNetworkSpec({ Image: 'x', NetworkingConfig: { EndpointsConfig: { app: { IPAMConfig: { IPv4Address: '10.1' } } } } }), /invalid IPv4 address/);
});

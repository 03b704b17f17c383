import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoint, Network } from '../engine/types.js';
import { containerSummaryNetworkJson, hostConfigNetworkJson, networkJson, networkSettingsJson } from './network-json.js';
import { containerRecord } from './test-helpers.js';

const endpoint = (over: Partial<Endpoint>): Endpoint => ({
  networkId: 'n1', networkName: 'bridge', endpointId: 'e1', ifName: 'eth0', ipAddress: '172.31.0.2', prefixLen: 16,
  gateway: '172.31.0.1', macAddress: '02:42:ac:1f:00:02', aliases: [], dnsNames: [], ...over,
});

function running() {
  const c = containerRecord({ state: { status: 'running', running: true, pid: 7 } });
  c.spec.exposedPorts = ['80/tcp', '443/tcp'];
  c.spec.network = {
    mode: 'bridge',
    endpoints: [{ network: 'bridge', networkId: 'n1', aliases: [] }, { network: 'app', networkId: 'n2', aliases: ['db'], ipv4Address: '10.1.0.5' }],
    portBindings: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }, { hostIp: '', hostPort: 8000, hostPortEnd: 8010, containerPort: 81, protocol: 'tcp' }],
    publishAll: false, dns: ['10.0.0.2'], dnsSearch: [], dnsOptions: [], extraHosts: ['a:1.2.3.4'],
  };
  c.network = {
    sandboxKey: '/run/berth/netns/x',
    endpoints: [
      endpoint({}),
      endpoint({ networkId: 'n2', networkName: 'app', endpointId: 'e2', ifName: 'eth1', ipAddress: '10.1.0.5', prefixLen: 24, gateway: '10.1.0.1', aliases: ['db'], dnsNames: ['box', 'db'] }),
    ],
    ports: [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
  };
  return c;
}

test('NetworkSettings of a running container: endpoints, top-level default bridge values, ports', () => {
  const s = networkSettingsJson(running()) as Record<string, unknown> & { Networks: Record<string, Record<string, unknown>> };
  assert.equal(s.SandboxKey, '/run/berth/netns/x');
  assert.deepEqual([s.IPAddress, s.Gateway, s.IPPrefixLen, s.MacAddress, s.EndpointID], ['172.31.0.2', '172.31.0.1', 16, '02:42:ac:1f:00:02', 'e1']);
  assert.deepEqual(s.Ports, { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '443/tcp': null });
  assert.deepEqual(Object.keys(s.Networks), ['bridge', 'app']);
  assert.deepEqual(
    [s.Networks.app.IPAddress, s.Networks.app.IPPrefixLen, s.Networks.app.Aliases, s.Networks.app.DNSNames, s.Networks.app.IPAMConfig, s.Networks.app.NetworkID],
    ['10.1.0.5', 24, ['db'], ['box', 'db'], { IPv4Address: '10.1.0.5' }, 'n2'],
  );
});

test('a stopped container keeps its networks, without addresses or ports', () => {
  const c = running();
  c.network = undefined;
  const s = networkSettingsJson(c) as Record<string, unknown> & { Networks: Record<string, Record<string, unknown>> };
  assert.deepEqual([s.IPAddress, s.SandboxKey, s.Ports], ['', '', {}]);
  assert.deepEqual([s.Networks.app.IPAddress, s.Networks.app.NetworkID, s.Networks.app.Aliases], ['', 'n2', ['db']]);
  assert.deepEqual(containerSummaryNetworkJson(c).Ports, []);
});

test('HostConfig echoes the request; ps lists published then exposed ports', () => {
  const c = running();
  assert.deepEqual(hostConfigNetworkJson(c), {
    NetworkMode: 'bridge',
    PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '81/tcp': [{ HostIp: '', HostPort: '8000-8010' }] },
    PublishAllPorts: false, Dns: ['10.0.0.2'], DnsOptions: [], DnsSearch: [], ExtraHosts: ['a:1.2.3.4'],
  });
  const summary = containerSummaryNetworkJson(c);
  assert.deepEqual(summary.Ports, [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { PrivatePort: 443, Type: 'tcp' }]);
  assert.deepEqual(summary.HostConfig, { NetworkMode: 'bridge' });
});

test('network JSON: containers only in inspect, null IPAM options when there are none', () => {
  const n: Network = {
    id: 'n2', name: 'app', driver: 'bridge', scope: 'local', created: '2025-01-01T00:00:00Z', internal: false, attachable: false,
    enableIPv6: false, ipam: { driver: 'default', options: {}, config: [{ subnet: '10.1.0.0/24', gateway: '10.1.0.1' }] },
    options: {}, labels: { a: 'b' }, bridge: 'br-n2',
    containers: { c1: { name: 'box', endpointId: 'e2', macAddress: 'm', ipv4Address: '10.1.0.5/24', ipv6Address: '' } },
  };
  const inspect = networkJson(n, true);
  assert.deepEqual(inspect.IPAM, { Driver: 'default', Options: null, Config: [{ Subnet: '10.1.0.0/24', Gateway: '10.1.0.1' }] });
  assert.deepEqual(inspect.Containers, { c1: { Name: 'box', EndpointID: 'e2', MacAddress: 'm', IPv4Address: '10.1.0.5/24', IPv6Address: '' } });
  assert.deepEqual(networkJson(n, false).Containers, {});
  assert.equal(inspect.EnableIPv4, true);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from './flags.js';
import { networkCreateFields, networkFlags } from './network-flags.js';
import { UsageError } from './errors.js';

const fieldsOf = (argv: string[]) => networkCreateFields(parseFlags(networkFlags, argv).flags);

test('-p forms: container port, host:container, ip:host:container, ip::container, [ipv6], ranges, protocols', () => {
  const { config, host } = fieldsOf([
    '-p', '80', '-p', '8080:81', '-p', '127.0.0.1:8082:82/udp', '-p', '127.0.0.1::83', '-p', '[::1]:8084:84',
    '-p', '9000-9001:90-91', '-p', '7000-7010:70', '--expose', '100-101/udp',
  ]);
  assert.deepEqual(host.PortBindings, {
    '80/tcp': [{ HostIp: '', HostPort: '' }],
    '81/tcp': [{ HostIp: '', HostPort: '8080' }],
    '82/udp': [{ HostIp: '127.0.0.1', HostPort: '8082' }],
    '83/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
    '84/tcp': [{ HostIp: '::1', HostPort: '8084' }],
    '90/tcp': [{ HostIp: '', HostPort: '9000' }],
    '91/tcp': [{ HostIp: '', HostPort: '9001' }],
    '70/tcp': [{ HostIp: '', HostPort: '7000-7010' }],
  });
  assert.deepEqual(Object.keys(config.ExposedPorts as object).sort(), ['100/udp', '101/udp', '70/tcp', '80/tcp', '81/tcp', '82/udp', '83/tcp', '84/tcp', '90/tcp', '91/tcp']);
});

test('nothing asked, nothing sent; networks, aliases, --ip, DNS and hosts when asked', () => {
  assert.deepEqual(fieldsOf([]), { config: {}, host: {} });
  const { config, host } = fieldsOf(['--network', 'app', '--network-alias', 'db', '--ip', '10.1.0.5', '-P', '--dns', '10.0.0.2',
    '--dns-search', 'example.com', '--dns-option', 'ndots:2', '--add-host', 'a:1.2.3.4']);
  assert.deepEqual(config.NetworkingConfig, { EndpointsConfig: { app: { Aliases: ['db'], IPAMConfig: { IPv4Address: '10.1.0.5' } } } });
  assert.deepEqual(host, {
    NetworkMode: 'app', PublishAllPorts: true, Dns: ['10.0.0.2'], DnsSearch: ['example.com'], DnsOptions: ['ndots:2'], ExtraHosts: ['a:1.2.3.4'],
  });
});

test('bad specs are usage errors', () => {
  for (const argv of [['-p', '8080:'], ['-p', '70000'], ['-p', '80/icmp'], ['-p', '9000-9002:90-91'], ['--network-alias', 'x']]) {
    assert.throws(() => fieldsOf(argv), UsageError, argv.join(' '));
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExtraHost, parseResolvConf, renderEmbeddedResolvConf, renderHosts, renderResolvConf } from './files.js';

const host = parseResolvConf('# comment\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver fd00::1\nsearch corp.example lab.example\noptions ndots:2 timeout:1\n');

test('parses resolv.conf', () => {
  assert.deepEqual(host, { nameservers: ['127.0.0.53', '10.0.0.2', 'fd00::1'], search: ['corp.example', 'lab.example'], options: ['ndots:2', 'timeout:1'] });
});

test('default-bridge resolv.conf drops loopback and IPv6 resolvers, falls back to public ones', () => {
  const text = renderResolvConf(host, { dns: [], dnsSearch: [], dnsOptions: [] });
  assert.match(text, /^nameserver 10\.0\.0\.2$/m);
  assert.doesNotMatch(text, /127\.0\.0\.53|fd00/);
  assert.match(text, /^search corp\.example lab\.example$/m);
  const onlyLocal = renderResolvConf(parseResolvConf('nameserver 127.0.0.1\n'), { dns: [], dnsSearch: ['x.example'], dnsOptions: ['ndots:0'] });
  assert.deepEqual(parseResolvConf(onlyLocal), { nameservers: ['8.8.8.8', '8.8.4.4'], search: ['x.example'], options: ['ndots:0'] });
  assert.deepEqual(parseResolvConf(renderResolvConf(host, { dns: ['1.1.1.1'], dnsSearch: ['.'], dnsOptions: [] })).nameservers, ['1.1.1.1']);
});

test('user-network resolv.conf names the embedded server only', () => {
  const conf = parseResolvConf(renderEmbeddedResolvConf('10.89.0.1', ['10.0.0.2'], host, { dns: [], dnsSearch: [], dnsOptions: [] }));
  assert.deepEqual(conf.nameservers, ['10.89.0.1']);
  assert.deepEqual(conf.search, ['corp.example', 'lab.example']);
});

test('hosts file: localhost, extra hosts, own address with hostname and aliases', () => {
  const text = renderHosts({
    hostname: 'web1', domainname: 'example.org', addresses: ['172.17.0.2'], aliases: ['web'],
    extraHosts: [parseExtraHost('db:10.0.0.9', '172.17.0.1'), parseExtraHost('gw=host-gateway', '172.17.0.1'), parseExtraHost('v6:[::1]', '')],
  });
  const lines = text.trim().split('\n');
  assert.equal(lines[0], '127.0.0.1\tlocalhost');
  assert.ok(lines.includes('10.0.0.9\tdb'));
  assert.ok(lines.includes('172.17.0.1\tgw'));
  assert.ok(lines.includes('::1\tv6'));
  assert.equal(lines.at(-1), '172.17.0.2\tweb1.example.org web1 web');
  assert.throws(() => parseExtraHost('nohost', ''), /invalid extra host/);
});

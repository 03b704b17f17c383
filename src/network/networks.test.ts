// User-defined networks: create/list/remove, embedded DNS, connect/disconnect, internal networks; real CNI
// plugins in fresh network namespaces.
import { reexecIsolated } from './isolate.js';
reexecIsolated();

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isBerthError } from '../errors.js';
import { aRecord, decode, encode, query, QTYPE, RCODE } from './dns-wire.js';
import { parseResolvConf } from './files.js';
import { run, runChecked } from '../util/run.js';
import { createLab, iptablesRules, leases, links, type Lab, type TestContainer } from './lab.js';

let h: Lab;
let upstream: Socket;
let dir: string;

before(async () => {
  // The "host's resolver" on 127.0.0.1: knows outside.example only.
  upstream = createSocket('udp4');
  upstream.on('message', (msg, rinfo) => {
    const q = decode(msg);
    const known = q.questions[0]?.name === 'outside.example';
    const answers = known && q.questions[0].type === QTYPE.A ? [aRecord('outside.example', '192.0.2.99', 60)] : [];
    upstream.send(encode({ ...q, qr: true, ra: true, rcode: known ? RCODE.NOERROR : RCODE.NXDOMAIN, answers }), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => upstream.bind(53, '127.0.0.1', resolve));
  dir = await mkdtemp(path.join(tmpdir(), 'berth-resolv-'));
  await writeFile(path.join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\nsearch lab.example\n');
  h = await createLab({ bridgeName: 'bt1', hostResolvConf: path.join(dir, 'resolv.conf') });
});

after(async () => {
  await h?.close();
  upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

const ip = (c: TestContainer, network: string) => c.net.endpoints.find((e) => e.networkName === network)!.ipAddress;

test('create, inspect, list and refuse overlapping subnets and duplicate names', async () => {
  assert.deepEqual((await h.svc.inspect('bridge')).ipam.config, [{ subnet: '172.17.0.0/16', gateway: '172.17.0.1' }]);
  const { id } = await h.svc.create({ name: 'front', labels: { tier: 'front' }, ipam: { config: [{ subnet: '10.89.0.0/24' }] } });
  const front = await h.svc.inspect(id.slice(0, 10));
  assert.equal(front.name, 'front');
  assert.equal(front.bridge, `br-${id.slice(0, 12)}`);
  assert.deepEqual(front.ipam.config, [{ subnet: '10.89.0.0/24', gateway: '10.89.0.1' }]);
  assert.match(await runChecked('ip', ['-o', '-4', 'addr', 'show', 'dev', front.bridge!]), /10\.89\.0\.1\/24/);

  await h.svc.create({ name: 'back' });
  assert.deepEqual((await h.svc.inspect('back')).ipam.config, [{ subnet: '172.18.0.0/16', gateway: '172.18.0.1' }], 'next free pool');

  await assert.rejects(
    h.svc.create({ name: 'clash', ipam: { config: [{ subnet: '10.89.0.128/25' }] } }),
    (e) => isBerthError(e, 'conflict') && /10\.89\.0\.128\/25 overlaps 10\.89\.0\.0\/24 of network front/.test(e.message),
  );
  await assert.rejects(h.svc.create({ name: 'front' }), (e) => isBerthError(e, 'conflict') && e.message === 'network with name front already exists');
  await assert.rejects(h.svc.create({ name: 'gw', ipam: { config: [{ subnet: '10.90.0.0/24', gateway: '10.91.0.1' }] } }), (e) => isBerthError(e, 'invalid_argument'));
  await assert.rejects(h.svc.create({ name: 'ov', driver: 'overlay' }), (e) => isBerthError(e, 'not_found'));
  await assert.rejects(h.svc.inspect('nope'), (e) => isBerthError(e, 'not_found') && e.message === 'network nope not found');
  assert.deepEqual((await h.svc.list()).map((n) => n.name).sort(), ['back', 'bridge', 'front', 'host', 'none']);
  assert.deepEqual((await h.svc.list({ label: ['tier=front'] })).map((n) => n.name), ['front']);
  assert.deepEqual((await h.svc.list({ type: ['builtin'] })).map((n) => n.name).sort(), ['bridge', 'host', 'none']);
});

test('containers on a user network resolve each other by name, alias and <name>.<network>; other names go upstream', async () => {
  const c1 = await h.start('c1', { networks: [{ network: 'front', aliases: ['web'] }] });
  const c2 = await h.start('c2', { networks: [{ network: 'front' }] });
  const other = await h.start('other', { networks: [{ network: 'back' }] });
  try {
    assert.deepEqual(parseResolvConf(c2.net.files.resolvConf), { nameservers: ['10.89.0.1'], search: ['lab.example'], options: [] });
    assert.deepEqual(c1.net.endpoints[0].dnsNames, ['c1', 'web', c1.id.slice(0, 12)]);
    assert.match(c1.net.files.hosts, new RegExp(`^${ip(c1, 'front').replace(/\./g, '\\.')}\\tc1 web$`, 'm'));
    const dns = h.agent(c2.ns);
    assert.deepEqual(await dns.resolve('10.89.0.1', 'resolve4', 'c1'), [ip(c1, 'front')]);
    assert.deepEqual(await dns.resolve('10.89.0.1', 'resolve4', 'WEB'), [ip(c1, 'front')]);
    assert.deepEqual(await dns.resolve('10.89.0.1', 'resolve4', 'c1.front'), [ip(c1, 'front')]);
    assert.deepEqual(await dns.resolve('10.89.0.1', 'resolve4', c1.id.slice(0, 12)), [ip(c1, 'front')]);
    assert.equal(await dns.resolve('10.89.0.1', 'resolve6', 'c1'), 'error: ENODATA', 'known name, no IPv6');
    assert.deepEqual(await dns.resolve('10.89.0.1', 'reverse', ip(c1, 'front')), ['c1.front']);
    assert.deepEqual(await dns.resolve('10.89.0.1', 'resolve4', 'outside.example'), ['192.0.2.99']);
    assert.equal(await dns.resolve('10.89.0.1', 'resolve4', 'missing.example'), 'error: ENOTFOUND');
    await h.agent(c1.ns).serve(80, 'c1 here');
    assert.equal(await dns.get(`http://${ip(c1, 'front')}/`), 'c1 here');
    // Another network's container does not see c1's names.
    assert.equal(await h.agent(other.ns).resolve('172.18.0.1', 'resolve4', 'c1'), 'error: ENOTFOUND');
    assert.equal(await h.agent(other.ns).resolve('10.89.0.1', 'resolve4', 'c1'), 'error: ENOTFOUND', 'not even through front\'s server');
    // Nor reaches c1: traffic between bridges is dropped.
    assert.match(await h.agent(other.ns).get(`http://${ip(c1, 'front')}/`), /^error: /);

    // TCP, from the host (not a container): the network's own names.
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const sock = connect({ host: '10.89.0.1', port: 53 }, () => {
        const q = query(99, 'web', QTYPE.A);
        sock.write(Buffer.concat([Buffer.from([0, q.length]), q]));
      });
      let buf = Buffer.alloc(0);
      sock.on('data', (b: Buffer) => {
        buf = Buffer.concat([buf, b]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          sock.end();
          resolve(buf.subarray(2));
        }
      });
      sock.on('error', reject);
    });
    assert.deepEqual([...decode(answer).answers[0].data].join('.'), ip(c1, 'front'));

    await assert.rejects(h.svc.remove('front'), (e) => isBerthError(e, 'forbidden') && /has active endpoints.*c1/.test(e.message));

    // connect and disconnect on a running container; the bridge keeps its MAC address (ARP caches stay right)
    const frontBridge = (await h.svc.inspect('front')).bridge!;
    const mac = async () => (JSON.parse(await runChecked('ip', ['-j', 'link', 'show', 'dev', frontBridge])) as { address: string }[])[0].address;
    const macBefore = await mac();
    const joined = await h.svc.connect(other.id, { network: 'front', aliases: ['late'] });
    const eth1 = joined.endpoints.find((e) => e.networkName === 'front')!;
    assert.equal(eth1.ifName, 'eth1');
    assert.equal(await mac(), macBefore);
    const addrs = await runChecked('nsenter', [`--net=${other.ns}`, 'ip', '-o', '-4', 'addr', 'show', 'dev', 'eth1']);
    assert.match(addrs, new RegExp(`inet ${eth1.ipAddress.replace(/\./g, '\\.')}/24`));
    assert.deepEqual(await dns.resolve('10.89.0.1', 'resolve4', 'late'), [eth1.ipAddress]);
    assert.equal(await h.agent(other.ns).get(`http://${ip(c1, 'front')}/`), 'c1 here');
    assert.deepEqual(await h.agent(other.ns).resolve('172.18.0.1', 'resolve4', 'c1'), [ip(c1, 'front')], 'its networks now include front');
    await assert.rejects(h.svc.connect(other.id, { network: 'front' }), (e) => isBerthError(e, 'conflict'));

    const left = await h.svc.disconnect(other.id, 'front');
    assert.deepEqual(left.endpoints.map((e) => e.networkName), ['back']);
    const linkCheck = await run('nsenter', [`--net=${other.ns}`, 'ip', 'link', 'show', 'eth1']);
    assert.notEqual(linkCheck.code, 0, 'eth1 is gone');
    assert.equal(await dns.resolve('10.89.0.1', 'resolve4', 'late'), 'error: ENOTFOUND');
    assert.equal(Object.keys((await h.svc.inspect('front')).containers).length, 2);
    await assert.rejects(h.svc.disconnect(other.id, 'front'), (e) => isBerthError(e, 'forbidden'));
  } finally {
    await h.stop(other);
    await h.stop(c2);
    await h.stop(c1);
  }
});

test('--ip, and internal networks: no default route, no forwarding of outside names', async () => {
  await h.svc.create({ name: 'sealed', internal: true, ipam: { config: [{ subnet: '10.77.0.0/24', ipRange: '10.77.0.128/25' }] } });
  const c = await h.start('vault', { networks: [{ network: 'sealed', ipv4Address: '10.77.0.50' }] });
  try {
    assert.equal(ip(c, 'sealed'), '10.77.0.50');
    await assert.rejects(h.start('dup', { networks: [{ network: 'sealed', ipv4Address: '10.77.0.50' }] }), (e) => isBerthError(e, 'conflict'));
    await assert.rejects(h.start('onbridge', { networks: [{ network: 'bridge', ipv4Address: '172.17.0.50' }] }), (e) => isBerthError(e, 'invalid_argument'));
    const auto = await h.start('auto', { networks: [{ network: 'sealed' }] });
    assert.ok(Number(ip(auto, 'sealed').split('.')[3]) >= 128, 'from the ip range');
    await h.stop(auto);
    const routes = await runChecked('nsenter', [`--net=${c.ns}`, 'ip', '-4', 'route']);
    assert.doesNotMatch(routes, /default/);
    const dns = h.agent(c.ns);
    assert.deepEqual(await dns.resolve('10.77.0.1', 'resolve4', 'vault'), ['10.77.0.50']);
    assert.equal(await dns.resolve('10.77.0.1', 'resolve4', 'outside.example'), 'error: ENOTFOUND');
  } finally {
    await h.stop(c);
  }
});

test('the default bridge has no embedded DNS: resolv.conf lists reachable host resolvers or public ones', async () => {
  const c = await h.start('plain', { extraHosts: ['gw:host-gateway'] });
  try {
    assert.deepEqual(parseResolvConf(c.net.files.resolvConf).nameservers, ['8.8.8.8', '8.8.4.4']);
    assert.match(c.net.files.hosts, /^172\.17\.0\.1\tgw$/m);
    assert.deepEqual(c.net.endpoints[0].dnsNames, []);
  } finally {
    await h.stop(c);
  }
});

test('removing and pruning networks deletes bridges, isolation rules and lease directories', async () => {
  const bridges = (await h.svc.list({ type: ['custom'] })).map((n) => n.bridge!);
  assert.equal(bridges.length, 3);
  await h.svc.remove('front');
  assert.deepEqual((await h.svc.prune({ label: ['none=such'] })), []);
  assert.deepEqual((await h.svc.prune()).sort(), ['back', 'sealed']);
  assert.deepEqual((await h.svc.list()).map((n) => n.name).sort(), ['bridge', 'host', 'none']);
  for (const b of bridges) assert.notEqual((await run('ip', ['link', 'show', b])).code, 0, `${b} deleted`);
  assert.doesNotMatch(await iptablesRules(), /br-/);
  assert.deepEqual(await links({ type: 'veth' }), []);
  assert.deepEqual(await leases(h.execRoot), []);
  await assert.rejects(new Promise((resolve, reject) => connect({ host: '10.89.0.1', port: 53 }, () => resolve(undefined)).on('error', reject)));
});

// Published ports, none, host and full teardown, with the real CNI plugins, in fresh network namespaces.
import { reexecIsolated } from './isolate.js';
reexecIsolated();

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { isBerthError } from '../errors.js';
import { newId } from '../util/ids.js';
import { createNetns } from './netns.js';
import { runChecked } from '../util/run.js';
import { createLab, httpGet, iptablesRules, leases, links, type Lab } from './lab.js';

const hostAddress = '198.51.100.1';
const config = { bridgeName: 'bt0', defaultSubnet: '10.123.0.1/24', hostResolvConf: '/dev/null', ephemeralPorts: { start: 41000, end: 41999 } };
let h: Lab;
let baseline: string;

before(async () => {
  // A "host address" besides loopback, as a real host would have on its uplink.
  await runChecked('ip', ['link', 'add', 'uplink0', 'type', 'bridge']);
  await runChecked('ip', ['addr', 'add', `${hostAddress}/24`, 'dev', 'uplink0']);
  await runChecked('ip', ['link', 'set', 'uplink0', 'up']);
  h = await createLab(config);
  // The plugins create their shared top-level chains once (like Docker's DOCKER chains); per-container rules
  // come and go. Take the baseline once those exist.
  await h.stop(await h.start('warmup', { portBindings: [{ hostIp: '', hostPort: 18999, containerPort: 80, protocol: 'tcp' }] }));
  baseline = await iptablesRules();
});

after(async () => {
  await h?.close();
});

test('default bridge network and predefined networks', async () => {
  const names = (await h.svc.list()).map((n) => n.name).sort();
  assert.deepEqual(names, ['bridge', 'host', 'none']);
  const bridge = await h.svc.inspect('bridge');
  assert.equal(bridge.bridge, 'bt0');
  assert.deepEqual(bridge.ipam.config, [{ subnet: '10.123.0.0/24', gateway: '10.123.0.1' }]);
  assert.match(await runChecked('ip', ['-o', '-4', 'addr', 'show', 'dev', 'bt0']), /10\.123\.0\.1\/24/);
  await assert.rejects(h.svc.remove('bridge'), (e) => isBerthError(e, 'forbidden'));
});

test('a published port is reachable from loopback, a host address and another container; -P and ranges pick free ports', async () => {
  const web = await h.start('web', {
    portBindings: [
      { hostIp: '', hostPort: 18080, containerPort: 80, protocol: 'tcp' },
      { hostIp: '127.0.0.1', hostPort: 18090, hostPortEnd: 18092, containerPort: 81, protocol: 'tcp' },
    ],
    publishAll: true,
    exposedPorts: ['80/tcp', '8080/tcp'],
  });
  const client = await h.start('client');
  try {
    const [eth0] = web.net.endpoints;
    assert.equal(eth0.ifName, 'eth0');
    assert.match(eth0.ipAddress, /^10\.123\.0\.\d+$/);
    assert.equal(eth0.gateway, '10.123.0.1');
    assert.match(eth0.macAddress, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const ports = web.net.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}`);
    assert.deepEqual(ports.slice(0, 2), ['0.0.0.0:18080->80', '127.0.0.1:18090->81']);
    assert.equal(ports.length, 3, 'exposed 80 is already bound, 8080 gets an ephemeral port');
    assert.ok(web.net.ports[2].hostPort >= 41000 && web.net.ports[2].hostPort <= 41999);
    assert.match(web.net.files.hosts, new RegExp(`^${eth0.ipAddress.replace(/\./g, '\\.')}\\tweb$`, 'm'));

    await h.agent(web.ns).serve(80, 'hello from web');
    await h.agent(web.ns).serve(81, 'hello on 81');
    await h.agent(web.ns).serve(8080, 'hello on 8080');
    assert.equal(await httpGet('http://127.0.0.1:18080/'), 'hello from web');
    assert.equal(await httpGet(`http://${hostAddress}:18080/`), 'hello from web');
    assert.equal(await httpGet('http://127.0.0.1:18090/'), 'hello on 81');
    assert.equal(await httpGet(`http://127.0.0.1:${web.net.ports[2].hostPort}/`), 'hello on 8080');
    assert.equal(await h.agent(client.ns).get(`http://${hostAddress}:18080/`), 'hello from web');
    assert.equal(await h.agent(client.ns).get('http://10.123.0.1:18080/'), 'hello from web');
    assert.equal(await h.agent(web.ns).get('http://10.123.0.1:18080/'), 'hello from web', 'hairpin to itself');

  } finally {
    await h.stop(client);
    await h.stop(web);
  }
  assert.equal(await httpGet('http://127.0.0.1:18080/'), 'error: ECONNREFUSED');
});

test('ports already taken are refused with nothing half-created', async () => {
  const holder = await h.start('holder', { portBindings: [{ hostIp: '', hostPort: 18100, containerPort: 80, protocol: 'tcp' }] });
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(18101, '0.0.0.0', resolve));
  try {
    const rules = await iptablesRules();
    const before = { veths: await links({ type: 'veth' }), leases: await leases(h.execRoot), attached: h.svc.attachedContainers() };
    for (const [port, why] of [[18100, 'published by another container'], [18101, 'bound by a host process']] as const) {
      await assert.rejects(
        h.start('late', {
          portBindings: [
            { hostIp: '', hostPort: 18102, containerPort: 80, protocol: 'tcp' },
            { hostIp: '127.0.0.1', hostPort: port, containerPort: 81, protocol: 'tcp' },
          ],
        }),
        (e) => isBerthError(e, 'conflict') && e.message === `Bind for 127.0.0.1:${port} failed: port is already allocated`,
        why,
      );
    }
    assert.deepEqual(await iptablesRules(), rules);
    assert.deepEqual(
      { veths: await links({ type: 'veth' }), leases: await leases(h.execRoot), attached: h.svc.attachedContainers() },
      before,
    );
    assert.deepEqual(await readdir(path.join(h.execRoot, 'netns')), [holder.id]);
    // 18102 of the refused requests was not kept; a range skips the ports taken above.
    const ok = await h.start('ok', {
      portBindings: [
        { hostIp: '', hostPort: 18102, containerPort: 80, protocol: 'udp' },
        { hostIp: '127.0.0.1', hostPort: 18100, hostPortEnd: 18102, containerPort: 80, protocol: 'tcp' },
      ],
    });
    assert.deepEqual(ok.net.ports.map((p) => `${p.hostIp}:${p.hostPort}/${p.protocol}`), ['0.0.0.0:18102/udp', '127.0.0.1:18102/tcp']);
    await h.stop(ok);
  } finally {
    listener.close();
    await h.stop(holder);
  }
});

test('--network none has only loopback, up', async () => {
  const c = await h.start('isolated', { networks: [{ network: 'none' }], portBindings: [{ hostIp: '', hostPort: 18200, containerPort: 80, protocol: 'tcp' }] });
  try {
    assert.deepEqual(c.net.endpoints.map((e) => [e.networkName, e.ipAddress]), [['none', '']]);
    assert.deepEqual(c.net.ports, []);
    const linksIn = JSON.parse(await runChecked('nsenter', [`--net=${c.ns}`, 'ip', '-j', 'addr'])) as { ifname: string; operstate: string; addr_info: { local: string }[] }[];
    assert.deepEqual(linksIn.map((l) => l.ifname), ['lo']);
    assert.ok(linksIn[0].addr_info.some((a) => a.local === '127.0.0.1'));
    assert.equal((await h.svc.inspect('none')).containers[c.id].name, 'isolated');
    assert.doesNotMatch(c.net.files.hosts, /isolated$/m, 'no address line without an address');
  } finally {
    await h.stop(c);
  }
});

test('--network host stays in the host namespace and shares its files', async () => {
  const id = 'f'.repeat(64);
  const net = await h.svc.setupContainer(id, null, {
    containerName: 'hosty', networks: [{ network: 'host' }], portBindings: [], publishAll: false, exposedPorts: [], hostname: 'ignored',
    dns: [], dnsSearch: [], dnsOptions: [], extraHosts: ['extra:10.9.9.9'],
  });
  assert.equal(net.netnsPath, null);
  assert.match(net.files.hosts, /^10\.9\.9\.9\textra$/m);
  assert.ok(id in (await h.svc.inspect('host')).containers);
  await assert.rejects(h.svc.connect(id, { network: 'bridge' }), (e) => isBerthError(e, 'forbidden'));
  await h.svc.teardownContainer(id);
  await h.svc.teardownContainer(id);
  assert.deepEqual((await h.svc.inspect('host')).containers, {});
});

test('after a restart, teardown releases veths, bridge ports, iptables rules and leases', async () => {
  const a = await h.start('a', { portBindings: [{ hostIp: '', hostPort: 18300, containerPort: 80, protocol: 'tcp' }] });
  const b = await h.start('b');
  await h.restart();
  assert.deepEqual(h.svc.attachedContainers().sort(), [a.id, b.id].sort());
  assert.deepEqual(h.svc.container(a.id)?.ports.map((p) => p.hostPort), [18300]);
  await assert.rejects(h.start('c', { portBindings: [{ hostIp: '', hostPort: 18300, containerPort: 80, protocol: 'tcp' }] }), /already allocated/);
  assert.equal((await links({ type: 'veth' })).length, 2);
  await h.stop(a);
  await h.stop(b);
  await h.stop(a); // idempotent
  assert.deepEqual(await links({ type: 'veth' }), []);
  assert.deepEqual(await links({ master: 'bt0' }), []);
  assert.deepEqual(await leases(h.execRoot), []);
  assert.deepEqual(await readdir(path.join(h.execRoot, 'netns')), []);
  assert.equal(await iptablesRules(), baseline);
});

test('berthd killed in the middle of a setup: after a restart, teardown releases everything', async () => {
  const id = newId();
  const ns = await createNetns(h.svc.netnsPath(id));
  const modules = (f: string) => JSON.stringify(new URL(f, import.meta.url).href);
  const daemon = `
    import { createNetworkService } from ${modules('./service.js')};
    import { defaultOptions } from ${modules('./lab.js')};
    import { silentLogger } from ${modules('../util/logger.js')};
    const svc = await createNetworkService({ dataRoot: ${JSON.stringify(h.dataRoot)}, execRoot: ${JSON.stringify(h.execRoot)}, logger: silentLogger, config: ${JSON.stringify(config)} });
    await svc.start();
    await svc.setupContainer(${JSON.stringify(id)}, ${JSON.stringify(ns)}, { ...defaultOptions('victim'), portBindings: [{ hostIp: '', hostPort: 18400, containerPort: 80, protocol: 'tcp' }] });
    setInterval(() => {}, 60_000);`;
  // Its own process group, killed whole like systemd kills berthd's cgroup: the running plugin dies too.
  const child = spawn(process.execPath, ['--input-type=module', '-e', daemon], { detached: true, stdio: 'inherit' });
  const record = path.join(h.execRoot, 'network', 'containers', `${id}.json`);
  const bridgeDone = async () => {
    const r = await readFile(record, 'utf8').then((t) => JSON.parse(t) as { endpoints: { done: number }[] }, () => undefined);
    return (r?.endpoints[0]?.done ?? 0) >= 1;
  };
  while (!(await bridgeDone())) await sleep(5);
  process.kill(-child.pid!, 'SIGKILL');
  await once(child, 'exit');
  assert.equal((await links({ type: 'veth' })).length, 1, 'the bridge plugin had created the veth');

  await h.restart();
  assert.deepEqual(h.svc.attachedContainers(), [id]);
  await h.svc.teardownContainer(id);
  assert.deepEqual(await links({ type: 'veth' }), []);
  assert.deepEqual(await leases(h.execRoot), []);
  assert.deepEqual(await readdir(path.join(h.execRoot, 'netns')), []);
  assert.equal(await iptablesRules(), baseline);
});

// Docker networking through berthd and the real docker CLI: published ports, user-defined networks with DNS,
// none/host, connect/disconnect, bad input, a berthd kill -9, and nothing left behind once all is removed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { startDaemon, importBusybox, eventually, type CommandResult, type Daemon } from './harness.js';

let d: Daemon;
/** iptables once the plugins' own chains exist (after a first published container came and went). */
let rulesAtRest: string;

const ok = (r: CommandResult) => {
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
};
const fails = (r: CommandResult, message: RegExp) => {
  assert.notEqual(r.code, 0, `expected a failure, got: ${r.stdout}`);
  assert.match(r.stderr, message);
};

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** Runs a detached busybox httpd answering "hello from <name>" on ports 80 and 443, and waits until it answers. */
async function serve(name: string, ...opts: string[]): Promise<void> {
  ok(await d.docker(['run', '-d', '--name', name, ...opts, 'busybox', 'sh', '-c',
    `mkdir -p /www && echo "hello from ${name}" > /www/index.html && httpd -p 443 -h /www && exec httpd -f -p 80 -h /www`]));
  for (let i = 0; (await d.docker(['exec', name, 'wget', '-qO-', 'http://127.0.0.1/'])).code !== 0; i++) {
    assert.ok(i < 50, `httpd of ${name} answers`);
    await sleep(100);
  }
}

/** GET from the daemon's namespace: what "the host" is to berthd's containers. (Containers use busybox wget,
 *  without -T: Debian's busybox-static crashes with it.) */
const fetchHost = async (url: string) => ok(await d.nsenter(['wget', '-q', '-T', '5', '-t', '3', '--retry-connrefused', '-O-', url]));

const interfaces = (ipLink: string) => ipLink.split('\n').map((l) => /^\d+: ([^:@]+)/.exec(l)?.[1]).filter((n): n is string => !!n).sort();

async function iptablesRules(): Promise<string> {
  const out = ok(await d.nsenter(['iptables-save']));
  return out.split('\n').filter((l) => !l.startsWith('#')).map((l) => l.replace(/ \[\d+:\d+\]$/, '')).join('\n');
}

before(async () => {
  d = await startDaemon();
  await importBusybox(d);
  ok(await d.docker(['run', '--rm', '-p', '18999:80', 'busybox', 'true']));
  // Its networking is released in the background: the veth goes last.
  await eventually(async () => assert.deepEqual(interfaces(ok(await d.nsenter(['ip', 'link', 'show', 'type', 'veth']))), []));
  rulesAtRest = await iptablesRules();
});
after(async () => d?.stop());

test('a published port is reachable through 127.0.0.1, the host address and from another container; port, ps, inspect', async () => {
  // -P publishes the exposed 443 (80 has its bindings) on a free port.
  await serve('web', '-p', '8080:80', '-p', '127.0.0.1:8081:80/tcp', '--expose', '443', '-P');
  const random = /^0\.0\.0\.0:(\d+)$/.exec(ok(await d.docker(['port', 'web', '443'])))?.[1];
  assert.ok(random, 'port 443 is published');
  for (const port of ['8080', '8081', random]) assert.equal(await fetchHost(`http://127.0.0.1:${port}/`), 'hello from web');
  const [gateway, ip, ports, hostConfig] = ok(await d.docker(['inspect', '-f',
    '{{(index .NetworkSettings.Networks "bridge").Gateway}}|{{.NetworkSettings.IPAddress}}|{{json .NetworkSettings.Ports}}|{{.HostConfig.NetworkMode}} {{.HostConfig.PublishAllPorts}} {{json .HostConfig.PortBindings}}',
    'web'])).split('|');
  assert.equal(gateway, '172.31.0.1', 'the default bip');
  assert.match(ip, /^172\.31\.\d+\.\d+$/);
  assert.equal(ports, `{"443/tcp":[{"HostIp":"0.0.0.0","HostPort":"${random}"}],"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"127.0.0.1","HostPort":"8081"}]}`);
  assert.equal(hostConfig, 'bridge true {"80/tcp":[{"HostIp":"","HostPort":"8080"},{"HostIp":"127.0.0.1","HostPort":"8081"}]}');
  const fromContainer = ok(await d.docker(['run', '--rm', 'busybox', 'sh', '-c', `wget -qO- http://${gateway}:8080/ && wget -qO- http://${ip}:80/`]));
  assert.equal(fromContainer, 'hello from web\nhello from web');
  assert.deepEqual(ok(await d.docker(['port', 'web'])).split('\n'), ['80/tcp -> 0.0.0.0:8080', '80/tcp -> 127.0.0.1:8081', `443/tcp -> 0.0.0.0:${random}`]);
  assert.match(ok(await d.docker(['ps', '--filter', 'publish=80', '--filter', 'expose=443', '--format', '{{.Names}} {{.Ports}}'])), /^web .*0\.0\.0\.0:8080->80\/tcp/);

  // The same host port again: a clear error, and the failed container holds nothing.
  const taken = await d.docker(['run', '-d', '--name', 'clash', '-p', '8080:80', 'busybox', 'true']);
  fails(taken, /Bind for 0\.0\.0\.0:8080 failed: port is already allocated/);
  assert.equal(ok(await d.docker(['inspect', '-f', '{{.State.Status}} {{json .NetworkSettings.Networks.bridge.IPAddress}}', 'clash'])), 'created ""');
  ok(await d.docker(['rm', '-f', 'web', 'clash']));
  const gone = await d.nsenter(['wget', '-q', '-T', '1', '-t', '1', '-O-', 'http://127.0.0.1:8080/']);
  assert.notEqual(gone.code, 0, 'the port is no longer forwarded');
});

test('containers on a user-defined network reach each other by name and alias; --ip, --dns, --add-host, inspect, events', async () => {
  const since = Math.floor(Date.now() / 1000);
  ok(await d.docker(['network', 'create', '--subnet', '10.123.0.0/24', '--label', 'app=e2e', 'appnet']));
  await serve('db', '--network', 'appnet', '--network-alias', 'database', '--ip', '10.123.0.50');
  assert.equal(ok(await d.docker(['inspect', '-f', '{{.NetworkSettings.Networks.appnet.IPAddress}} {{.NetworkSettings.Networks.appnet.Aliases}}', 'db'])),
    '10.123.0.50 [database]');
  const client = ok(await d.docker(['run', '--rm', '--network', 'appnet', '--add-host', 'extra.example:10.9.9.9', 'busybox', 'sh', '-c',
    `ping -c1 -W2 db >/dev/null && echo ping-ok; wget -qO- http://database/; wget -qO- http://db.appnet/;` +
    ' grep extra.example /etc/hosts; grep nameserver /etc/resolv.conf']));
  assert.deepEqual(client.split('\n'), ['ping-ok', 'hello from db', 'hello from db', '10.9.9.9\textra.example', 'nameserver 10.123.0.1']);
  const defaultBridge = ok(await d.docker(['run', '--rm', '--dns', '10.1.2.3', 'busybox', 'sh', '-c', 'grep nameserver /etc/resolv.conf; ping -c1 -W1 db 2>&1 || true']));
  assert.match(defaultBridge, /^nameserver 10\.1\.2\.3\n/);
  assert.match(defaultBridge, /bad address 'db'/, 'no name resolution on the default bridge');
  const inspect = JSON.parse(ok(await d.docker(['network', 'inspect', 'appnet'])))[0];
  assert.equal(inspect.Labels.app, 'e2e');
  assert.deepEqual(inspect.IPAM.Config, [{ Subnet: '10.123.0.0/24', Gateway: '10.123.0.1' }]);
  assert.deepEqual(Object.values(inspect.Containers).map((c) => (c as { Name: string; IPv4Address: string })).map((c) => [c.Name, c.IPv4Address]),
    [['db', '10.123.0.50/24']]);
  assert.match(ok(await d.docker(['network', 'ls', '--filter', 'label=app=e2e', '--format', '{{.Name}} {{.Driver}}'])), /^appnet bridge$/);
  assert.equal(ok(await d.docker(['ps', '--filter', 'network=appnet', '--format', '{{.Names}} {{.Networks}}'])), 'db appnet');

  fails(await d.docker(['network', 'rm', 'appnet']), /error while removing network: network appnet has active endpoints/);
  ok(await d.docker(['rm', '-f', 'db']));
  ok(await d.docker(['network', 'rm', 'appnet']));
  const events = ok(await d.docker(['events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1),
    '--filter', 'type=network', '--format', '{{.Action}} {{.Actor.Attributes.name}}']));
  for (const e of ['create appnet', 'connect appnet', 'disconnect appnet', 'destroy appnet']) assert.ok(events.split('\n').includes(e), `${e} in:\n${events}`);
});

test('--network none has only loopback; --network host sees the daemon namespace; container:<name> shares one', async () => {
  assert.deepEqual(interfaces(ok(await d.docker(['run', '--rm', '--network', 'none', 'busybox', 'ip', 'link']))), ['lo']);
  const daemonLinks = interfaces(ok(await d.nsenter(['ip', 'link'])));
  assert.ok(daemonLinks.includes('berth0'), daemonLinks.join(' '));
  assert.deepEqual(interfaces(ok(await d.docker(['run', '--rm', '--network', 'host', 'busybox', 'ip', 'link']))), daemonLinks);
  await serve('peer');
  const shared = ok(await d.docker(['run', '--rm', '--network', 'container:peer', 'busybox', 'sh', '-c', 'wget -qO- http://127.0.0.1:80/; hostname']));
  assert.equal(shared, `hello from peer\n${ok(await d.docker(['inspect', '-f', '{{.Config.Hostname}}', 'peer']))}`);
  fails(await d.docker(['run', '--rm', '--network', 'container:peer', '--hostname', 'x', 'busybox', 'true']), /conflicting options: hostname and the network mode/);
  ok(await d.docker(['rm', '-f', 'peer']));
});

test('connect and disconnect take effect on a running container', async () => {
  ok(await d.docker(['network', 'create', 'side']));
  await serve('target', '--network', 'side');
  // Names unknown to the networks go to --dns: the bridge gateway refuses them at once.
  ok(await d.docker(['run', '-d', '--name', 'roamer', '--dns', '172.31.0.1', 'busybox', 'sleep', '1000']));
  fails(await d.docker(['exec', 'roamer', 'ping', '-c1', '-W1', 'target']), /bad address 'target'/);
  ok(await d.docker(['network', 'connect', '--alias', 'wanderer', 'side', 'roamer']));
  assert.deepEqual(interfaces(ok(await d.docker(['exec', 'roamer', 'ip', 'link']))), ['eth0', 'eth1', 'lo']);
  assert.equal(ok(await d.docker(['exec', 'roamer', 'sh', '-c', `wget -qO- http://target/`])), 'hello from target');
  ok(await d.docker(['exec', 'target', 'ping', '-c1', '-W2', 'wanderer']));
  assert.equal(ok(await d.docker(['inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', 'roamer'])), 'bridge side');
  ok(await d.docker(['network', 'disconnect', 'side', 'roamer']));
  assert.deepEqual(interfaces(ok(await d.docker(['exec', 'roamer', 'ip', 'link']))), ['eth0', 'lo']);
  fails(await d.docker(['exec', 'roamer', 'ping', '-c1', '-W1', 'target']), /bad address 'target'/);
  // A stopped container: the change applies at its next start.
  ok(await d.docker(['stop', '-t', '0', 'roamer']));
  ok(await d.docker(['network', 'connect', 'side', 'roamer']));
  ok(await d.docker(['start', 'roamer']));
  assert.equal(ok(await d.docker(['exec', 'roamer', 'sh', '-c', `wget -qO- http://target/`])), 'hello from target');
  ok(await d.docker(['rm', '-f', 'roamer', 'target']));
  ok(await d.docker(['network', 'rm', 'side']));
});

test('bad input: overlapping subnets, unknown networks, predefined networks, --ip on the default bridge', async () => {
  ok(await d.docker(['network', 'create', '--subnet', '10.200.0.0/16', 'first']));
  fails(await d.docker(['network', 'create', '--subnet', '10.200.5.0/24', 'second']), /Pool overlaps with other one on this address space/);
  fails(await d.docker(['network', 'create', 'first']), /network with name first already exists/);
  fails(await d.docker(['network', 'create', '--subnet', 'nonsense', 'third']), /invalid/i);
  assert.deepEqual(ok(await d.docker(['network', 'ls', '--format', '{{.Name}}'])).split('\n').sort(), ['bridge', 'first', 'host', 'none']);
  fails(await d.docker(['run', '--rm', '--network', 'nosuch', 'busybox', 'true']), /network nosuch not found/);
  fails(await d.docker(['network', 'rm', 'bridge']), /bridge is a pre-defined network and cannot be removed/);
  fails(await d.docker(['run', '--rm', '--ip', '172.31.0.99', 'busybox', 'true']), /user specified IP address is supported on user defined networks only/);
  fails(await d.docker(['network', 'connect', 'nosuch', 'nobody']), /No such container: nobody|network nosuch not found/);
  assert.equal(ok(await d.docker(['ps', '-aq'])), '', 'no container was left half-created');
  assert.deepEqual(ok(await d.docker(['network', 'prune', '-f'])).split('\n'), ['Deleted Networks:', 'first']);
});

test('berthd killed with -9: published ports and DNS work after the restart, and rm cleans up', async () => {
  ok(await d.docker(['network', 'create', 'durable']));
  await serve('survivor', '--network', 'durable', '-p', '8090:80');
  assert.equal(await fetchHost('http://127.0.0.1:8090/'), 'hello from survivor');
  await d.kill9();
  assert.equal(await fetchHost('http://127.0.0.1:8090/'), 'hello from survivor', 'forwarding does not depend on berthd');
  await d.start();
  assert.equal(await fetchHost('http://127.0.0.1:8090/'), 'hello from survivor');
  assert.equal(ok(await d.docker(['run', '--rm', '--network', 'durable', 'busybox', 'sh', '-c', `wget -qO- http://survivor/`])), 'hello from survivor');
  assert.equal(ok(await d.docker(['port', 'survivor'])), '80/tcp -> 0.0.0.0:8090');
  ok(await d.docker(['rm', '-f', 'survivor']));
  ok(await d.docker(['network', 'rm', 'durable']));
});

test('nothing is left once everything is removed: veths, bridge ports, iptables rules, leases, namespaces', async () => {
  assert.equal(ok(await d.docker(['ps', '-aq'])), '');
  // Networking is released in the background once a container is gone.
  await eventually(async () => {
    assert.deepEqual(interfaces(ok(await d.nsenter(['ip', 'link', 'show', 'type', 'veth']))), []);
    assert.deepEqual(interfaces(ok(await d.nsenter(['ip', 'link', 'show', 'master', 'berth0']))), []);
    assert.deepEqual(interfaces(ok(await d.nsenter(['ip', 'link', 'show', 'type', 'bridge']))), ['berth0']);
    assert.equal(await iptablesRules(), rulesAtRest);
    const ipam = path.join(d.root, 'exec', 'network', 'ipam');
    for (const net of await readdir(ipam).catch(() => [])) {
      assert.deepEqual((await readdir(path.join(ipam, net))).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f)), [], `leases of ${net}`);
    }
    assert.deepEqual(await readdir(path.join(d.root, 'exec', 'netns')), []);
  });
});

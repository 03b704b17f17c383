// The berth CLI's network commands and run flags against a real berthd: network create/ls/inspect/connect/
// disconnect/rm/prune, run -p/--network/--network-alias/--ip/--dns/--add-host, and port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startDaemon, importBusybox, runCommand, type CommandResult, type Daemon } from './harness.js';

const main = fileURLToPath(new URL('../cli/main.js', import.meta.url));
let d: Daemon;

const berth = (args: string[], input?: string) => runCommand(process.execPath, [main, '-H', d.host, ...args], { input });
const ok = (r: CommandResult) => {
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
};

before(async () => {
  d = await startDaemon();
  await importBusybox(d);
});
after(async () => d?.stop());

test('berth network create/ls/inspect/connect/disconnect/rm/prune and run flags, port', async () => {
  const id = ok(await berth(['network', 'create', '--subnet', '10.77.0.0/24', '--gateway', '10.77.0.254', '--label', 'k=v', 'cli-net']));
  assert.match(id, /^[0-9a-f]{64}$/);
  const ls = ok(await berth(['network', 'ls'])).split('\n');
  assert.match(ls[0], /^NETWORK ID +NAME +DRIVER +SCOPE$/);
  assert.ok(ls.some((l) => new RegExp(`^${id.slice(0, 12)} +cli-net +bridge +local$`).test(l)), ls.join('\n'));
  assert.equal(ok(await berth(['network', 'ls', '-q', '--filter', 'label=k=v'])), id.slice(0, 12));
  assert.equal(ok(await berth(['network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}', 'cli-net'])), '10.77.0.0/24 10.77.0.254');

  ok(await berth(['run', '-d', '--name', 'srv', '--network', 'cli-net', '--network-alias', 'api', '--ip', '10.77.0.10', '-p', '127.0.0.1:8181:80',
    'busybox', 'sh', '-c', 'mkdir /www && echo served > /www/index.html && exec httpd -f -p 80 -h /www']));
  assert.equal(ok(await berth(['port', 'srv'])), '80/tcp -> 127.0.0.1:8181');
  assert.equal(ok(await berth(['port', 'srv', '80'])), '127.0.0.1:8181');
  const noPort = await berth(['port', 'srv', '81']);
  assert.equal(noPort.code, 1);
  assert.match(noPort.stderr, /No public port '81\/tcp' published for srv/);
  const out = ok(await berth(['run', '--rm', '--network', 'cli-net', '--dns', '10.9.9.9', '--add-host', 'h.example:10.1.1.1', 'busybox', 'sh', '-c',
    'for i in 1 2 3 4 5; do wget -qO- http://api/ && break; sleep 0.2; done; grep h.example /etc/hosts; grep ExtServers /etc/resolv.conf']));
  assert.deepEqual(out.split('\n'), ['served', '10.1.1.1\th.example', '# ExtServers: [10.9.9.9]']);

  ok(await berth(['run', '-d', '--name', 'joiner', 'busybox', 'sleep', '1000']));
  ok(await berth(['network', 'connect', '--alias', 'j', '--ip', '10.77.0.20', 'cli-net', 'joiner']));
  assert.equal(ok(await berth(['inspect', '-f', '{{.NetworkSettings.Networks.cli-net.IPAddress}}', 'joiner'])), '10.77.0.20');
  assert.equal(ok(await berth(['exec', 'srv', 'ping', '-c1', '-W2', 'j'])).split('\n')[0], 'PING j (10.77.0.20): 56 data bytes');
  ok(await berth(['network', 'disconnect', 'cli-net', 'joiner']));
  const inUse = await berth(['network', 'rm', 'cli-net']);
  assert.equal(inUse.code, 1);
  assert.match(inUse.stderr, /Error response from daemon: error while removing network: network cli-net has active endpoints \(name:"srv"/);
  ok(await berth(['rm', '-f', 'srv', 'joiner']));
  assert.equal(ok(await berth(['network', 'rm', 'cli-net'])), 'cli-net');
  ok(await berth(['network', 'rm', '-f', 'cli-net']));
  ok(await berth(['network', 'create', 'leftover']));
  assert.equal(ok(await berth(['network', 'prune'], 'n\n')), 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N]');
  assert.match(ok(await berth(['network', 'prune'], 'y\n')), /\[y\/N\] Deleted Networks:\nleftover$/);
  assert.deepEqual(ok(await berth(['network', 'ls', '--format', '{{.Name}}'])).split('\n'), ['bridge', 'host', 'none']);
});

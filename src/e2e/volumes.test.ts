// Volumes, binds, tmpfs and read-only roots through the docker CLI against berthd.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useBusyboxDaemon, ok, fails } from './harness.js';
import { busyboxRootfsTar } from '../demo/busybox-rootfs.js';

const daemon = useBusyboxDaemon();
let hostDir: string;
before(async () => {
  hostDir = await mkdtemp(path.join(tmpdir(), 'berth-bind-'));
});
after(async () => {
  if (hostDir) await rm(hostDir, { recursive: true, force: true });
});

const volumeNames = async () => ok(await daemon().docker(['volume', 'ls', '-q'])).split('\n').filter(Boolean);

test('a named volume keeps its data across containers and cannot be removed while in use', async () => {
  const d = daemon();
  const since = Math.floor(Date.now() / 1000);
  ok(await d.docker(['volume', 'create', '--label', 'team=a', 'data1']));
  assert.equal(ok(await d.docker(['volume', 'inspect', '-f', '{{.Driver}} {{.Labels.team}} {{.Scope}}', 'data1'])), 'local a local');
  ok(await d.docker(['run', '--rm', '-v', 'data1:/data', 'busybox', 'sh', '-c', 'echo kept > /data/file']));
  assert.equal(ok(await d.docker(['run', '--rm', '--mount', 'type=volume,source=data1,target=/mnt', 'busybox', 'cat', '/mnt/file'])), 'kept');
  const id = ok(await d.docker(['run', '-d', '-v', 'data1:/data', 'busybox', 'sleep', '1000']));
  const mounts = JSON.parse(ok(await d.docker(['inspect', '-f', '{{json .Mounts}}', id])));
  assert.deepEqual(mounts.map((m: Record<string, unknown>) => [m.Type, m.Name, m.Destination, m.RW, m.Mode]), [['volume', 'data1', '/data', true, 'z']]);
  fails(await d.docker(['volume', 'rm', 'data1']), /volume is in use/);
  fails(await d.docker(['volume', 'rm', '-f', 'data1']), /volume is in use/);
  ok(await d.docker(['rm', '-f', '-v', id]));
  assert.ok((await volumeNames()).includes('data1'), 'rm -v leaves named volumes');
  assert.deepEqual(ok(await d.docker(['volume', 'ls', '-q', '--filter', 'label=team=a'])).split('\n'), ['data1']);
  ok(await d.docker(['volume', 'rm', 'data1']));
  const events = ok(await d.docker(['events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1),
    '--filter', 'type=volume', '--filter', 'volume=data1', '--format', '{{.Action}}']));
  assert.deepEqual([...new Set(events.split('\n'))], ['create', 'mount', 'unmount', 'destroy']);
});

test('a new volume is filled from the image; nocopy and existing content are left alone', async () => {
  const d = daemon();
  ok(await d.docker(['run', '--rm', '-v', 'etc1:/etc', 'busybox', 'true']));
  assert.equal(ok(await d.docker(['run', '--rm', '-v', 'etc1:/mnt', 'busybox', 'ls', '/mnt'])).split('\n').sort().join(' '),
    'group hostname hosts passwd resolv.conf');
  assert.match(ok(await d.docker(['run', '--rm', '-v', 'etc1:/mnt', 'busybox', 'cat', '/mnt/passwd'])), /^root:x:0:0:/);
  ok(await d.docker(['run', '--rm', '-v', 'etc2:/etc:nocopy', 'busybox', 'true']));
  assert.equal(ok(await d.docker(['run', '--rm', '-v', 'etc2:/mnt', 'busybox', 'ls', '/mnt'])).split('\n').sort().join(' '), 'hostname hosts resolv.conf');
  // Already has content: a second container mounting it elsewhere copies nothing.
  ok(await d.docker(['run', '--rm', '-v', 'etc1:/usr', 'busybox', 'true']));
  assert.equal(ok(await d.docker(['run', '--rm', '-v', 'etc1:/mnt', 'busybox', 'ls', '/mnt'])).split('\n').length, 5);
  ok(await d.docker(['volume', 'rm', 'etc1', 'etc2']));
});

test('anonymous volumes (image VOLUME, -v /path) are removed by rm -v and --rm, kept by plain rm', async () => {
  const d = daemon();
  // An image declaring VOLUME /etc: its anonymous volume starts with the image's /etc.
  const chunks: Buffer[] = [];
  for await (const c of await busyboxRootfsTar()) chunks.push(c as Buffer);
  ok(await d.docker(['import', '--change', 'VOLUME /etc', '--change', 'CMD ["sh"]', '-', 'withvol'], { input: Buffer.concat(chunks) }));
  const before = await volumeNames();
  const id = ok(await d.docker(['create', 'withvol', 'ls', '/etc']));
  const anon = JSON.parse(ok(await d.docker(['inspect', '-f', '{{json .Mounts}}', id])));
  assert.equal(anon.length, 1);
  assert.equal(anon[0].Destination, '/etc');
  assert.match(anon[0].Name, /^[0-9a-f]{64}$/);
  ok(await d.docker(['start', id]));
  assert.equal(ok(await d.docker(['wait', id])), '0');
  assert.match(ok(await d.docker(['logs', id])), /passwd/);
  assert.equal(ok(await d.docker(['volume', 'inspect', '-f', '{{index .Labels "com.docker.volume.anonymous"}}', anon[0].Name])), '');
  ok(await d.docker(['rm', '-v', id]));
  assert.deepEqual(await volumeNames(), before, 'rm -v removed the anonymous volume');

  const kept = ok(await d.docker(['run', '-d', '-v', '/scratch', 'busybox', 'true']));
  ok(await d.docker(['wait', kept]));
  const name = JSON.parse(ok(await d.docker(['inspect', '-f', '{{json .Mounts}}', kept])))[0].Name;
  ok(await d.docker(['rm', kept]));
  assert.ok((await volumeNames()).includes(name), 'plain rm keeps anonymous volumes');
  ok(await d.docker(['volume', 'rm', name]));

  ok(await d.docker(['run', '--rm', '-v', '/scratch', '-v', 'named1:/named', 'busybox', 'true']));
  assert.deepEqual((await volumeNames()).sort(), [...before, 'named1'].sort(), '--rm removed the anonymous volume only');
  ok(await d.docker(['volume', 'rm', 'named1']));
});

test('bind mounts read-write and read-only', async () => {
  const d = daemon();
  await writeFile(path.join(hostDir, 'from-host'), 'host data\n');
  assert.equal(ok(await d.docker(['run', '--rm', '-v', `${hostDir}:/h`, 'busybox', 'sh', '-c', 'cat /h/from-host; echo back > /h/from-ctr'])), 'host data');
  assert.equal(await readFile(path.join(hostDir, 'from-ctr'), 'utf8'), 'back\n');
  const ro = await d.docker(['run', '--rm', '-v', `${hostDir}:/h:ro`, 'busybox', 'sh', '-c', 'cat /h/from-host && touch /h/nope']);
  assert.notEqual(ro.code, 0);
  assert.match(ro.stdout, /host data/);
  assert.match(ro.stderr, /Read-only file system/);
  const roMount = await d.docker(['run', '--rm', '--mount', `type=bind,source=${hostDir},target=/h,readonly`, 'busybox', 'touch', '/h/nope']);
  assert.match(roMount.stderr, /Read-only file system/);
  assert.ok(!(await readdir(hostDir)).includes('nope'));
  fails(await d.docker(['run', '--rm', '--mount', `type=bind,source=${hostDir}/missing,target=/h`, 'busybox', 'true']),
    /bind source path does not exist/);
  // -v creates a missing source directory, as Docker does.
  ok(await d.docker(['run', '--rm', '-v', `${hostDir}/made:/h`, 'busybox', 'true']));
  assert.ok((await readdir(hostDir)).includes('made'));
  fails(await d.docker(['create', '-v', `${hostDir}:/h`, '-v', `${hostDir}/made:/h`, 'busybox']), /Duplicate mount point: \/h/);
});

test('tmpfs mounts are memory-backed and sized', async () => {
  const d = daemon();
  const out = ok(await d.docker(['run', '--rm', '--tmpfs', '/run:size=1m', '--mount', 'type=tmpfs,destination=/cache,tmpfs-size=2097152',
    'busybox', 'sh', '-c', 'grep -E " /(run|cache) " /proc/mounts; dd if=/dev/zero of=/run/fill bs=1k count=2048 2>&1 | grep -o "No space left on device"']));
  assert.match(out, /^tmpfs \/run tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k/m);
  assert.match(out, /^tmpfs \/cache tmpfs rw,nosuid,nodev,noexec,relatime,size=2048k/m);
  assert.match(out, /No space left on device/);
});

test('--read-only refuses writes to the root but not to tmpfs and volumes', async () => {
  const d = daemon();
  const r = await d.docker(['run', '--rm', '--read-only', '--tmpfs', '/tmp', '-v', 'rovol:/data', 'busybox', 'sh', '-c',
    'echo a > /tmp/a && echo b > /data/b && cat /tmp/a /data/b; touch /etc/c']);
  assert.equal(r.stdout, 'a\nb\n');
  assert.match(r.stderr, /Read-only file system/);
  ok(await d.docker(['volume', 'rm', 'rovol']));
});

test('--volumes-from shares another container\'s volumes, read-only when asked', async () => {
  const d = daemon();
  const src = ok(await d.docker(['run', '-d', '-v', 'shared1:/shared', '-v', '/anon', 'busybox', 'sh', '-c', 'echo hi > /shared/f; echo a > /anon/f; sleep 1000']));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(ok(await d.docker(['run', '--rm', '--volumes-from', src, 'busybox', 'cat', '/shared/f', '/anon/f'])), 'hi\na');
  const ro = await d.docker(['run', '--rm', '--volumes-from', `${src}:ro`, 'busybox', 'touch', '/shared/g']);
  assert.match(ro.stderr, /Read-only file system/);
  const anon = JSON.parse(ok(await d.docker(['inspect', '-f', '{{json .Mounts}}', src]))).find((m: { Destination: string }) => m.Destination === '/anon').Name;
  // The anonymous volume stays while the source container still uses it, even after a consumer's --rm.
  assert.ok((await volumeNames()).includes(anon));
  ok(await d.docker(['rm', '-f', '-v', src]));
  assert.ok(!(await volumeNames()).includes(anon));
  ok(await d.docker(['volume', 'rm', 'shared1']));
});

test('volume references survive kill -9 of berthd', async () => {
  const d = daemon();
  const id = ok(await d.docker(['run', '-d', '-v', 'durable:/d', '-v', '/anon2', 'busybox', 'sh', '-c', 'echo x > /d/f; sleep 1000']));
  const anon = JSON.parse(ok(await d.docker(['inspect', '-f', '{{json .Mounts}}', id]))).find((m: { Destination: string }) => m.Destination === '/anon2').Name;
  await d.kill9();
  await d.start();
  fails(await d.docker(['volume', 'rm', 'durable']), /volume is in use/);
  assert.equal(ok(await d.docker(['exec', id, 'cat', '/d/f'])), 'x');
  ok(await d.docker(['rm', '-f', '-v', id]));
  const names = await volumeNames();
  assert.ok(!names.includes(anon), 'the anonymous volume went with rm -v');
  ok(await d.docker(['volume', 'rm', 'durable']));
});

test('volume prune removes unused anonymous volumes, --all named ones too', async () => {
  const d = daemon();
  ok(await d.docker(['volume', 'create', 'keepme']));
  const used = ok(await d.docker(['create', '-v', 'inuse:/x', 'busybox']));
  const anon = ok(await d.docker(['volume', 'create', '--label', 'com.docker.volume.anonymous=', '--label', 'k=v']));
  const pruned = ok(await d.docker(['volume', 'prune', '-f']));
  assert.match(pruned, new RegExp(anon));
  assert.doesNotMatch(pruned, /keepme|inuse/);
  const all = ok(await d.docker(['volume', 'prune', '-f', '--all']));
  assert.match(all, /keepme/);
  assert.doesNotMatch(all, /inuse/);
  ok(await d.docker(['rm', used]));
  ok(await d.docker(['volume', 'rm', 'inuse']));
  fails(await d.docker(['volume', 'inspect', 'keepme']), /no such volume/);
});

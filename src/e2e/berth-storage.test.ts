// The berth CLI's volume, mount, cp, export, diff, df and prune commands against a real berthd.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, useBusyboxDaemon, type CommandResult } from './harness.js';

const main = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const daemon = useBusyboxDaemon();
let work: string;

function berth(args: string[], input?: string | Buffer): Promise<CommandResult> {
  const env = { ...process.env };
  delete env.DOCKER_HOST;
  delete env.BERTH_HOST;
  return runCommand(process.execPath, [main, '-H', daemon().host, ...args], { input, env });
}

async function ok(args: string[], input?: string | Buffer): Promise<string> {
  const r = await berth(args, input);
  assert.equal(r.code, 0, `berth ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'berth-cli-storage-'));
  await mkdir(path.join(work, 'src/dir'), { recursive: true });
  await writeFile(path.join(work, 'src/dir/a'), 'a\n');
  await writeFile(path.join(work, 'src/file'), 'file\n');
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('berth volume create/ls/inspect/rm and run with -v, --mount, --tmpfs, --read-only, --volumes-from', async () => {
  assert.equal(await ok(['volume', 'create', '--label', 'k=v', 'vol1']), 'vol1');
  assert.equal(await ok(['volume', 'ls']), 'DRIVER    VOLUME NAME\nlocal     vol1');
  assert.equal(await ok(['volume', 'inspect', '-f', '{{.Name}} {{.Labels.k}}', 'vol1']), 'vol1 v');
  await ok(['run', '--rm', '-v', 'vol1:/data', 'busybox', 'sh', '-c', 'echo saved > /data/f']);
  const out = await ok(['run', '--rm', '--read-only', '--mount', 'type=volume,src=vol1,dst=/v,readonly', '--tmpfs', '/run:size=1m',
    '-v', `${work}:/host:ro`, 'busybox', 'sh', '-c', 'cat /v/f /host/src/file; grep " /run " /proc/mounts; touch /x 2>&1; touch /run/ok && echo tmpfs']);
  assert.match(out, /^saved\nfile\ntmpfs \/run tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k 0 0\ntouch: \/x: Read-only file system\ntmpfs$/);
  const src = await ok(['create', '-v', 'vol1:/data', '-v', '/anon', 'busybox']);
  assert.equal(await ok(['run', '--rm', '--volumes-from', src, 'busybox', 'cat', '/data/f']), 'saved');
  const inUse = await berth(['volume', 'rm', 'vol1']);
  assert.equal(inUse.code, 1);
  assert.match(inUse.stderr, /Error response from daemon: remove vol1: volume is in use/);
  const before = (await ok(['volume', 'ls', '-q'])).split('\n');
  await ok(['rm', '-v', src]);
  assert.deepEqual((await ok(['volume', 'ls', '-q'])).split('\n'), before.filter((v) => v === 'vol1'), 'rm -v removed the anonymous volume');
  assert.equal(await ok(['volume', 'rm', 'vol1']), 'vol1');
});

test('berth cp, export and diff', async () => {
  await ok(['run', '-d', '--name', 'files', 'busybox', 'sh', '-c', 'rm /etc/group; sleep 1000']);
  await ok(['cp', path.join(work, 'src/dir'), 'files:/tmp/']);
  await ok(['cp', path.join(work, 'src/dir'), 'files:/tmp/renamed']);
  await ok(['cp', path.join(work, 'src/file'), 'files:/tmp/renamed/file2']);
  assert.equal(await ok(['exec', 'files', 'sh', '-c', 'ls /tmp/dir /tmp/renamed | tr "\\n" " "']), '/tmp/dir: a  /tmp/renamed: a file2');
  await ok(['cp', 'files:/tmp/renamed/.', path.join(work, 'out')]);
  assert.deepEqual((await readdir(path.join(work, 'out'))).sort(), ['a', 'file2']);
  await ok(['cp', 'files:/tmp/dir', path.join(work, 'out')]);
  assert.equal(await readFile(path.join(work, 'out/dir/a'), 'utf8'), 'a\n');
  await ok(['cp', 'files:/etc/passwd', path.join(work, 'out/pw')]);
  assert.match(await readFile(path.join(work, 'out/pw'), 'utf8'), /^root:x:0:0:/);
  const streamed = await ok(['cp', 'files:/tmp/dir/a', '-']);
  assert.ok(streamed.startsWith('a\0') && streamed.includes('ustar'), 'a tar of the file "a" on stdout');
  const missing = await berth(['cp', path.join(work, 'src/file'), 'files:/nowhere/']);
  assert.notEqual(missing.code, 0);
  const tar = path.join(work, 'files.tar');
  await ok(['export', '-o', tar, 'files']);
  const names = (await ok(['run', '--rm', '-v', `${tar}:/files.tar:ro`, 'busybox', 'tar', 'tf', '/files.tar'])).split('\n');
  assert.ok(names.includes('tmp/renamed/file2') && names.includes('bin/busybox') && !names.includes('etc/group'));
  assert.deepEqual((await ok(['diff', 'files'])).split('\n').sort(),
    ['A /tmp/dir', 'A /tmp/dir/a', 'A /tmp/renamed', 'A /tmp/renamed/a', 'A /tmp/renamed/file2', 'C /etc', 'C /tmp', 'D /etc/group']);
  await ok(['rm', '-f', 'files']);
});

test('berth system df, container/image/volume prune and system prune', async () => {
  await ok(['run', '--name', 'junk', '-v', '/anon', 'busybox', 'sh', '-c', 'head -c 50000 /dev/urandom > /j; echo x > /anon/f']);
  const df = await ok(['system', 'df', '--format', '{{.Type}}: {{.TotalCount}} {{.Active}} {{.Reclaimable}}']);
  assert.match(df, /^Images: 1 1 0B \(0%\)\nContainers: 1 0 50kB \(100%\)\nLocal Volumes: 1 1 0B \(0%\)\nBuild Cache: 0 0 0B$/);
  const containers = await ok(['container', 'prune', '-f']);
  assert.match(containers, /^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: 50kB$/);
  const volumes = await ok(['volume', 'prune', '-f']);
  assert.match(volumes, /^Deleted Volumes:\n[0-9a-f]{64}\n\nTotal reclaimed space: 2B$/);
  await ok(['tag', 'busybox', 'spare']);
  await ok(['rmi', 'busybox']);
  assert.equal(await ok(['image', 'prune', '-f']), 'Total reclaimed space: 0B');
  await ok(['create', '--name', 'stopped', 'spare']);
  const system = await ok(['system', 'prune', '-f', '-a']);
  assert.match(system, /^Deleted Containers:\n[0-9a-f]{64}\n\nDeleted Images:\nuntagged: spare:latest\ndeleted: sha256:[0-9a-f]{64}\n/);
  assert.match(system, /Total reclaimed space: [1-9][\d.]*MB$/);
  assert.equal(await ok(['images', '-q']), '');
});

// docker cp (the archive API), export and diff through the docker CLI: Docker's path rules, running and stopped
// containers, volumes, read-only roots, and symlinks or archive entries that try to reach the host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binaryCapability, buildTar, type EntrySpec } from '../archive/test-helpers.js';
import { native } from '../util/native.js';
import { useBusyboxDaemon, ok, fails, runCommand } from './harness.js';

const daemon = useBusyboxDaemon();
let work: string;
/** A host directory holding a secret; containers get symlinks to its path. */
let sentinel: string;
before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'berth-cp-'));
  sentinel = await mkdtemp(path.join(tmpdir(), 'berth-sentinel-'));
  await writeFile(path.join(sentinel, 'secret'), 'HOST SECRET\n');
  await mkdir(path.join(work, 'src/dir/sub'), { recursive: true });
  await writeFile(path.join(work, 'src/dir/a'), 'a\n');
  await writeFile(path.join(work, 'src/dir/sub/b'), 'b\n');
  await writeFile(path.join(work, 'src/file'), 'file\n');
});
after(async () => {
  for (const dir of [work, sentinel]) if (dir) await rm(dir, { recursive: true, force: true });
});

const src = (p: string) => path.join(work, 'src', p);
const out = (p: string) => path.join(work, 'out', p);
const list = async (dir: string) => (await readdir(dir, { recursive: true })).sort().join(' ');
const sentinelUntouched = async () => assert.deepEqual(await readdir(sentinel), ['secret'], 'nothing was written on the host');

/** A tar with the given entries (files unless told), as `docker cp -` sends it unchanged. */
const tarOf = (entries: (Omit<EntrySpec, 'type'> & Partial<Pick<EntrySpec, 'type'>>)[]): Promise<Buffer> =>
  buildTar(entries.map((e) => ({ type: 'file', ...e })));

/** The same rules for a running container (reached through /proc/<pid>/root) and a stopped one (mounted aside). */
for (const state of ['running', 'stopped'] as const) {
  test(`cp to and from a ${state} container follows Docker's path rules`, async () => {
  const d = daemon();
    const c = `rules-${state}`;
    ok(await d.docker(['create', '--name', c, 'busybox', 'sleep', '1000']));
    if (state === 'running') ok(await d.docker(['start', c]));
    await mkdir(out(state), { recursive: true });

    ok(await d.docker(['cp', src('dir'), `${c}:/tmp/`])); // into an existing directory: /tmp/dir
    ok(await d.docker(['cp', src('dir'), `${c}:/tmp/renamed`])); // a new name: the directory is renamed
    ok(await d.docker(['cp', src('file'), `${c}:/tmp/renamed/file2`]));
    ok(await d.docker(['cp', `${src('dir')}/.`, `${c}:/root`])); // "/.": the contents
    fails(await d.docker(['cp', src('file'), `${c}:/tmp/missing/`]), /no such directory|not a directory|Could not find/);

    ok(await d.docker(['cp', `${c}:/tmp/renamed`, out(state)]));
    assert.equal(await list(out(`${state}/renamed`)), 'a file2 sub sub/b');
    ok(await d.docker(['cp', `${c}:/root/.`, out(`${state}/contents`)]));
    assert.equal(await list(out(`${state}/contents`)), 'a sub sub/b');
    ok(await d.docker(['cp', `${c}:/tmp/dir/sub/b`, out(`${state}/b-copy`)]));
    assert.equal(await readFile(out(`${state}/b-copy`), 'utf8'), 'b\n');
    fails(await d.docker(['cp', `${c}:/tmp/dir/a/`, out(state)]), /not a directory/);
    fails(await d.docker(['cp', `${c}:/nowhere`, out(state)]), /Could not find the file \/nowhere in container/);

    const tarText = ok(await d.docker(['cp', `${c}:/tmp/dir`, '-']));
    assert.match(tarText, /^dir\//);
    ok(await d.docker(['rm', '-f', c]));
  });

  test(`symlinks in a ${state} container and hostile archives never reach the host`, async () => {
  const d = daemon();
    const c = `escape-${state}`;
    const setup = `ln -s ${sentinel} /esc && ln -s / /rootlink && ln -s /etc /etclink && mkdir -p ${sentinel} && echo container > ${sentinel}/mine`;
    if (state === 'stopped') ok(await d.docker(['run', '--name', c, 'busybox', 'sh', '-c', setup]));
    else {
      ok(await d.docker(['run', '-d', '--name', c, 'busybox', 'sh', '-c', `${setup} && sleep 1000`]));
      for (let i = 0; i < 50 && (await d.docker(['exec', c, 'test', '-e', `${sentinel}/mine`])).code !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    }
    const leak = await d.docker(['cp', `${c}:/esc/secret`, '-']);
    assert.doesNotMatch(leak.stdout, /HOST SECRET/);
    fails(leak, /Could not find the file/);
    assert.doesNotMatch((await d.docker(['cp', `${c}:/rootlink${sentinel}/secret`, '-'])).stdout, /HOST SECRET/);
    assert.match(ok(await d.docker(['cp', `${c}:/esc/mine`, '-'])), /container/);
    const passwd = ok(await d.docker(['cp', `${c}:/etclink/passwd`, '-']));
    assert.match(passwd, /nobody:x:65534:65534:nobody:\/home:\/bin\/false/);

    ok(await d.docker(['cp', src('file'), `${c}:/esc/planted`]));
    ok(await d.docker(['cp', src('file'), `${c}:/rootlink${sentinel}/planted2`]));
    await sentinelUntouched();
    assert.match(ok(await d.docker(['cp', `${c}:${sentinel}/planted`, '-'])), /file/);

    const climbing = await tarOf([{ name: `../../../../../..${sentinel}/dotdot`, data: 'x' }]);
    fails(await d.docker(['cp', '-', `${c}:/tmp`], { input: climbing }), /outside of/);
    const sneaky = await tarOf([
      { name: `${sentinel}/absolute`, data: 'abs' },
      { name: 'link', type: 'symlink', linkname: sentinel },
      { name: 'link/through-link', data: 'through' },
    ]);
    ok(await d.docker(['cp', '-', `${c}:/tmp`], { input: sneaky }));
    await sentinelUntouched();
    assert.match(ok(await d.docker(['cp', `${c}:/tmp${sentinel}/absolute`, '-'])), /abs/);
    assert.match(ok(await d.docker(['cp', `${c}:${sentinel}/through-link`, '-'])), /through/);
    ok(await d.docker(['rm', '-f', c]));
  });
}

test('cp keeps a binary security.capability xattr byte for byte, into a container and out of it', async () => {
  const d = daemon();
  const file = path.join(work, 'capfile');
  await writeFile(file, 'cap\n');
  native.lsetxattr(file, 'security.capability', binaryCapability);
  ok(await d.docker(['create', '--name', 'caps', 'busybox', 'true']));
  ok(await d.docker(['cp', file, 'caps:/capfile']));
  await mkdir(out('caps'), { recursive: true });
  ok(await d.docker(['cp', 'caps:/capfile', out('caps/')]));
  const got = native.lgetxattr(out('caps/capfile'), 'security.capability');
  assert.ok(got?.equals(binaryCapability), `got ${got?.toString('hex')}`);
  assert.equal(await readFile(out('caps/capfile'), 'utf8'), 'cap\n');
  ok(await d.docker(['rm', 'caps']));
});

test('cp reaches the volumes of a stopped container and leaves no mount behind', async () => {
  const d = daemon();
  ok(await d.docker(['create', '--name', 'withvol', '-v', 'cpvol:/vol', 'busybox', 'true']));
  ok(await d.docker(['cp', src('file'), 'withvol:/vol/']));
  assert.equal(ok(await d.docker(['run', '--rm', '-v', 'cpvol:/v', 'busybox', 'cat', '/v/file'])), 'file');
  assert.match(ok(await d.docker(['cp', 'withvol:/vol/file', '-'])), /file/);
  const mounts = ok(await d.nsenter(['cat', '/proc/self/mountinfo']));
  assert.ok(!mounts.includes(path.join(d.root, 'exec', 'archive')), 'no scratch root stays mounted');
  ok(await d.docker(['rm', 'withvol']));
  ok(await d.docker(['volume', 'rm', 'cpvol']));
});

test('cp refuses read-only roots and volumes, but writes to a tmpfs of a read-only container', async () => {
  const d = daemon();
  ok(await d.docker(['run', '-d', '--name', 'ro', '--read-only', '--tmpfs', '/run', '-v', 'rovol:/data:ro', 'busybox', 'sleep', '1000']));
  fails(await d.docker(['cp', src('file'), 'ro:/etc/']), /container rootfs is marked read-only/);
  fails(await d.docker(['cp', src('file'), 'ro:/data/']), /mounted volume is marked read-only/);
  ok(await d.docker(['cp', src('file'), 'ro:/run/']));
  assert.equal(ok(await d.docker(['exec', 'ro', 'cat', '/run/file'])), 'file');
  ok(await d.docker(['stop', '-t', '0', 'ro']));
  fails(await d.docker(['cp', src('file'), 'ro:/etc/']), /container rootfs is marked read-only/);
  ok(await d.docker(['rm', '-v', 'ro']));
  ok(await d.docker(['volume', 'rm', 'rovol']));
});

test('export lists the container filesystem; diff shows A, C and D', async () => {
  const d = daemon();
  ok(await d.docker(['run', '--name', 'changed', 'busybox', 'sh', '-c', 'touch /newfile && rm /etc/group && echo x >> /etc/passwd && mkdir /d']));
  assert.deepEqual(ok(await d.docker(['diff', 'changed'])).split('\n').sort(),
    ['A /d', 'A /newfile', 'C /etc', 'C /etc/passwd', 'D /etc/group']);
  const file = path.join(work, 'export.tar');
  ok(await d.docker(['export', '-o', file, 'changed']));
  const names = ok(await runCommand('tar', ['tf', file])).split('\n');
  for (const n of ['bin/busybox', 'bin/sh', 'etc/passwd', 'newfile', 'd/']) assert.ok(names.includes(n), `${n} is exported`);
  assert.ok(!names.includes('etc/group'), 'a deleted file is not exported');
  ok(await d.docker(['rm', 'changed']));
});

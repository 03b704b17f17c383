import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, symlink, link, chmod, chown, utimes, rm, readdir, stat, lstat, readFile } from 'node:fs/promises';
import { constants as fsc } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, PassThrough } from 'node:stream';
import { native } from '../util/native.js';
import { readTar } from '../archive/tar-stream.js';
import type { TarType } from '../archive/tar-header.js';
import { binaryCapability, buildTar, streamTar, type EntrySpec } from '../archive/test-helpers.js';
import { isBerthError, isErrno } from '../errors.js';
import { statPath } from './path-stat.js';
import { archivePath, exportRootfs } from './container-archive.js';
import { extractArchive } from './tar-extract.js';

let tmp: string;
let root: string;
let outside: string;
const mtime = new Date('2021-03-04T05:06:07Z');

interface Entry {
  name: string;
  type?: string;
  linkname?: string;
  mode?: number;
  uid?: number;
  data?: string;
}

async function list(tarStream: Readable): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const { header: h, body } of readTar(tarStream)) {
    let data = '';
    for await (const chunk of body) data += chunk.toString();
    out.push({ name: h.name, type: h.type, linkname: h.linkname || undefined, mode: h.mode, uid: h.uid, data });
  }
  return out;
}

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'berth-archive-'));
  root = path.join(tmp, 'rootfs');
  outside = path.join(tmp, 'outside');
  await mkdir(outside);
  await writeFile(path.join(outside, 'sentinel'), 'host secret');
  await mkdir(path.join(root, 'etc'), { recursive: true });
  await writeFile(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1234:4321::/home/app:/bin/sh\n');
  await writeFile(path.join(root, 'etc/group'), 'root:x:0:\napp:x:4321:\n');
  await mkdir(path.join(root, 'dir/sub'), { recursive: true });
  await writeFile(path.join(root, 'dir/a'), 'hello');
  await link(path.join(root, 'dir/a'), path.join(root, 'dir/hl'));
  await writeFile(path.join(root, 'dir/sub/b'), 'bee');
  await writeFile(path.join(root, 'dir/secret'), 'nobody reads');
  await chmod(path.join(root, 'dir/secret'), 0);
  await writeFile(path.join(root, 'dir/suid'), '#!/bin/sh\n');
  await chmod(path.join(root, 'dir/suid'), 0o4755);
  await chown(path.join(root, 'dir/sub/b'), 1234, 4321);
  await symlink('a', path.join(root, 'dir/link'));
  native.mknod(path.join(root, 'dir/fifo'), fsc.S_IFIFO | 0o644, 0, 0);
  await utimes(path.join(root, 'dir/a'), mtime, mtime);
  await symlink('/', path.join(root, 'rootlink'));
  await symlink('/etc', path.join(root, 'etclink'));
  await symlink('/dir', path.join(root, 'dirlink'));
  await symlink('../../../../../../../../etc', path.join(root, 'dir/sub/climb'));
  await symlink(outside, path.join(root, 'hostdir'));
});

after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function assertOutsideUntouched(): Promise<void> {
  assert.deepEqual(await readdir(outside), ['sentinel']);
  assert.equal(await readFile(path.join(outside, 'sentinel'), 'utf8'), 'host secret');
}

test('statPath encodes Go file modes, names and resolved link targets', async () => {
  const dir = await statPath(root, '/dir');
  assert.equal(dir.name, 'dir');
  assert.equal(dir.mode, 2 ** 31 + 0o755);
  assert.equal(dir.linkTarget, '');
  assert.match(dir.mtime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  const a = await statPath(root, '/dir/a');
  assert.deepEqual({ ...a, mode: a.mode & 0o777 }, { name: 'a', size: 5, mode: 0o644, mtime: '2021-03-04T05:06:07Z', linkTarget: '' });
  assert.equal((await statPath(root, '/dir/suid')).mode, 2 ** 23 + 0o755);
  assert.equal((await statPath(root, '/dir/fifo')).mode, 2 ** 25 + 0o644);
  const link = await statPath(root, '/dirlink');
  assert.equal(link.mode, 2 ** 27 + 0o777);
  assert.equal(link.linkTarget, '/dir');
  assert.equal((await statPath(root, '/etclink')).linkTarget, '/etc');
  assert.equal((await statPath(root, '/dir/sub/climb')).linkTarget, '/etc');
  assert.equal((await statPath(root, '/dirlink/')).mode, 2 ** 31 + 0o755);
  assert.equal((await statPath(root, '/dir/.')).name, '.');
  assert.equal((await statPath(root, '/')).name, '/');
});

test('statPath errors as Docker: not found, not a directory', async () => {
  await assert.rejects(statPath(root, '/nope', { containerName: 'web' }), (e) =>
    isBerthError(e, 'not_found') && e.message === 'Could not find the file /nope in container web');
  await assert.rejects(statPath(root, '/dir/a/x'), (e) => isBerthError(e, 'invalid_argument'));
  // The host's /etc/shadow exists; the container's does not.
  await assert.rejects(statPath(root, '/etclink/shadow'), (e) => isBerthError(e, 'not_found'));
  await assert.rejects(statPath(root, '/rootlink/etc/hostname'), (e) => isBerthError(e, 'not_found'));
});

test('archive of /dir and /dir/ starts with dir/, with links, modes and owners', async () => {
  for (const p of ['/dir', '/dir/', '/dirlink/']) {
    const { stat, tar: t } = await archivePath(root, p);
    const top = p === '/dirlink/' ? 'dirlink' : 'dir';
    assert.equal(stat.name, top);
    const entries = await list(t);
    assert.deepEqual(entries.map((e) => e.name), [
      `${top}/`, `${top}/a`, `${top}/fifo`, `${top}/hl`, `${top}/link`, `${top}/secret`, `${top}/sub/`,
      `${top}/sub/b`, `${top}/sub/climb`, `${top}/suid`,
    ]);
    const byName = new Map(entries.map((e) => [e.name.replace(`${top}/`, ''), e]));
    assert.equal(byName.get('a')!.data, 'hello');
    assert.equal(byName.get('hl')!.type, 'link');
    assert.equal(byName.get('hl')!.linkname, `${top}/a`);
    assert.equal(byName.get('link')!.type, 'symlink');
    assert.equal(byName.get('link')!.linkname, 'a');
    assert.equal(byName.get('fifo')!.type, 'fifo');
    assert.equal(byName.get('secret')!.mode, 0);
    assert.equal(byName.get('suid')!.mode, 0o4755);
    assert.equal(byName.get('sub/b')!.uid, 1234);
  }
});

test('archive of /dir/. gives the contents, of / gives /-rooted names', async () => {
  const dot = await list((await archivePath(root, '/dir/.')).tar);
  assert.deepEqual(dot.slice(0, 3).map((e) => e.name), ['./', './a', './fifo']);
  const all = (await list((await archivePath(root, '/')).tar)).map((e) => e.name);
  assert.equal(all[0], '/');
  assert.ok(all.includes('/dir/sub/b') && all.includes('/etc/passwd') && all.includes('/rootlink'));
});

test('a symlink as last element is archived as a link unless the path ends with / or /.', async () => {
  const link = await list((await archivePath(root, '/dirlink')).tar);
  assert.deepEqual(link, [{ name: 'dirlink', type: 'symlink', linkname: '/dir', mode: 0o777, uid: 0, data: '' }]);
  const followed = await list((await archivePath(root, '/dirlink/.')).tar);
  assert.ok(followed.some((e) => e.name === './sub/b' && e.data === 'bee'));
});

test('symlinks to / and /etc never reach the host when archiving', async () => {
  const etc = await list((await archivePath(root, '/etclink/')).tar);
  assert.deepEqual(etc.map((e) => e.name), ['etclink/', 'etclink/group', 'etclink/passwd']);
  const pw = await list((await archivePath(root, '/rootlink/etc/passwd')).tar);
  assert.match(pw[0].data!, /^root:x:0:0:root:\/root/);
  const climbed = await list((await archivePath(root, '/dir/sub/climb/')).tar);
  assert.deepEqual(climbed.map((e) => e.name), ['climb/', 'climb/group', 'climb/passwd']);
  // An absolute link to a host directory resolves inside the root, where it does not exist.
  await assert.rejects(archivePath(root, '/hostdir/sentinel'), (e) => isBerthError(e, 'not_found'));
});

test('export lists the whole tree without a ./ entry', async () => {
  const names = (await list(exportRootfs(root))).map((e) => e.name);
  assert.equal(names[0], 'dir/');
  assert.ok(names.includes('etc/passwd') && names.includes('rootlink') && !names.includes('./'));
});

test('archive then extract preserves content, modes, owners, times, links and fifos', async () => {
  const copy = path.join(tmp, 'copy');
  await mkdir(path.join(copy, 'target'), { recursive: true });
  await extractArchive(copy, '/target', (await archivePath(root, '/dir')).tar);
  const d = path.join(copy, 'target/dir');
  assert.equal(await readFile(path.join(d, 'a'), 'utf8'), 'hello');
  const [a, hl, secret, suid, b, fifo] = await Promise.all(
    ['a', 'hl', 'secret', 'suid', 'sub/b', 'fifo'].map((n) => lstat(path.join(d, n))),
  );
  assert.equal(a.ino, hl.ino);
  assert.equal(a.mtime.getTime(), mtime.getTime());
  assert.equal(secret.mode & 0o7777, 0);
  assert.equal(suid.mode & 0o7777, 0o4755);
  assert.deepEqual([b.uid, b.gid], [1234, 4321]);
  assert.ok(fifo.isFIFO());
  assert.equal((await lstat(path.join(d, 'link'))).isSymbolicLink(), true);
  assert.equal((await stat(d)).mode & 0o777, 0o755);
});

/** Entries as tar specs: files unless told, mode 0644 unless told. */
const specsOf = (entries: Entry[]): EntrySpec[] =>
  entries.map(({ type = 'file', mode = 0o644, ...e }) => ({ ...e, type: type as TarType, mode }));

/** A tar built entry by entry, for hostile archives. */
const hostileTar = (entries: Entry[]): Readable => Readable.from(streamTar(specsOf(entries)), { objectMode: false });

test('extract writes absolute names below the destination and follows links only inside the root', async () => {
  const r = path.join(tmp, 'hostile1');
  await mkdir(path.join(r, 'dest'), { recursive: true });
  await mkdir(path.join(r, 'etc'));
  await symlink('/', path.join(r, 'dest/pre-root'));
  await symlink(outside, path.join(r, 'dest/pre-host'));
  const unique = `berth-test-${process.pid}-${Date.now()}`;
  await extractArchive(r, '/dest', hostileTar([
    { name: '/abs', data: 'abs' },
    { name: 'esc', type: 'symlink', linkname: '/' },
    { name: `esc/etc/${unique}`, data: 'through a link made by the archive' },
    { name: 'up', type: 'symlink', linkname: '../../../../../../..' },
    { name: `up/${path.relative('/', outside)}/pwn`, data: 'climb' },
    { name: `pre-root/etc/${unique}-2`, data: 'through a link already there' },
    { name: 'pre-host/sentinel', data: 'overwrite?' },
    { name: 'hardlink', type: 'link', linkname: 'pre-host' },
  ]));
  assert.equal(await readFile(path.join(r, 'dest/abs'), 'utf8'), 'abs');
  assert.equal(await readFile(path.join(r, `etc/${unique}`), 'utf8'), 'through a link made by the archive');
  assert.equal(await readFile(path.join(r, `etc/${unique}-2`), 'utf8'), 'through a link already there');
  assert.equal(await readFile(path.join(r, outside, 'pwn'), 'utf8'), 'climb');
  assert.equal(await readFile(path.join(r, outside, 'sentinel'), 'utf8'), 'overwrite?');
  assert.ok((await lstat(path.join(r, 'dest/hardlink'))).isSymbolicLink());
  for (const name of [unique, `${unique}-2`]) {
    const leaked = await lstat(path.join('/etc', name)).then(() => true, () => false);
    if (leaked) await rm(path.join('/etc', name));
    assert.equal(leaked, false, `host /etc/${name} was written`);
  }
  await assertOutsideUntouched();
});

test('extract refuses entries and hard links that climb out of the destination', async () => {
  const r = path.join(tmp, 'hostile2');
  await mkdir(path.join(r, 'a/dest'), { recursive: true });
  for (const bad of [
    [{ name: '../../../../../../escape', data: 'x' }],
    [{ name: 'ok/../../escape', data: 'x' }],
    [{ name: 'hl', type: 'link', linkname: '../../../outside/sentinel' }],
  ]) {
    await assert.rejects(extractArchive(r, '/a/dest', hostileTar(bad)), (e) => isBerthError(e, 'invalid_argument'));
  }
  assert.deepEqual(await readdir(path.join(r, 'a')), ['dest']);
  assert.deepEqual(await readdir(path.join(r, 'a/dest')), []);
  await assertOutsideUntouched();
});

test('extract destination must exist and be a directory; symlinked destinations resolve in the root', async () => {
  const r = path.join(tmp, 'dests');
  await mkdir(path.join(r, 'etc'), { recursive: true });
  await writeFile(path.join(r, 'file'), '');
  await symlink('/etc', path.join(r, 'etclink'));
  await symlink(outside, path.join(r, 'hostlink'));
  const one = () => hostileTar([{ name: 'f', data: '1' }]);
  await assert.rejects(extractArchive(r, '/missing', one(), { containerName: 'c1' }), (e) =>
    isBerthError(e, 'not_found') && e.message === 'Could not find the file /missing in container c1');
  await assert.rejects(extractArchive(r, '/file', one()), (e) =>
    isBerthError(e, 'invalid_argument') && e.message === 'extraction point is not a directory');
  await assert.rejects(extractArchive(r, '/hostlink', one()), (e) => isBerthError(e, 'not_found'));
  const seen: string[] = [];
  await extractArchive(r, '/etclink', one(), { checkDestination: (p) => void seen.push(p) });
  assert.deepEqual(seen, ['/etc']);
  assert.equal(await readFile(path.join(r, 'etc/f'), 'utf8'), '1');
  await assertOutsideUntouched();
});

test('noOverwriteDirNonDir and copyUIDGID', async () => {
  const r = path.join(tmp, 'opts');
  await mkdir(path.join(r, 'd/sub'), { recursive: true });
  await mkdir(path.join(r, 'etc'));
  await writeFile(path.join(r, 'etc/passwd'), 'app:x:1234:4321::/home/app:/bin/sh\n');
  await writeFile(path.join(r, 'd/file'), '');
  const opts = { noOverwriteDirNonDir: true };
  await assert.rejects(extractArchive(r, '/d', hostileTar([{ name: 'sub', data: 'x' }]), opts), (e) => isBerthError(e, 'invalid_argument'));
  await assert.rejects(extractArchive(r, '/d', hostileTar([{ name: 'file', type: 'directory' }]), opts), (e) => isBerthError(e, 'invalid_argument'));
  await extractArchive(r, '/d', hostileTar([{ name: 'sub', data: 'replaced' }]));
  assert.equal(await readFile(path.join(r, 'd/sub'), 'utf8'), 'replaced');
  await extractArchive(r, '/d', hostileTar([{ name: 'owned', uid: 77, data: 'x' }]), { copyUIDGID: true, user: 'app' });
  const st = await lstat(path.join(r, 'd/owned'));
  assert.deepEqual([st.uid, st.gid], [1234, 4321]);
  await extractArchive(r, '/d', hostileTar([{ name: 'kept', uid: 77, data: 'x' }]));
  assert.equal((await lstat(path.join(r, 'd/kept'))).uid, 77);
});

test('a reader going away or an abort stops the archive and releases its files', async () => {
  await writeFile(path.join(root, 'big'), Buffer.alloc(8 * 1024 * 1024));
  try {
    const fds = async () => (await readdir('/proc/self/fd')).length;
    const before = await fds();
    const { tar: t } = await archivePath(root, '/big');
    for await (const chunk of t) {
      assert.ok((chunk as Buffer).length > 0);
      break; // destroys the stream
    }
    const ac = new AbortController();
    const { tar: t2 } = await archivePath(root, '/', { signal: ac.signal });
    ac.abort();
    await assert.rejects(list(t2));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await fds(), before);
  } finally {
    await rm(path.join(root, 'big'));
  }
});

test('a refused or truncated upload leaves the request stream to the caller and writes nothing more', async () => {
  const r = path.join(tmp, 'upload');
  await mkdir(path.join(r, 'dest'), { recursive: true });
  const bytes = (entries: Entry[]) => buildTar(specsOf(entries));
  // A request body still open (as an HTTP request is until the response).
  const body = new PassThrough();
  body.write(await bytes([{ name: 'first', data: '1' }, { name: '../../escape', data: 'x' }, { name: 'after', data: '2' }]));
  await assert.rejects(extractArchive(r, '/dest', body), (e) => isBerthError(e, 'invalid_argument'));
  assert.equal(body.destroyed, false);
  body.end();
  assert.deepEqual(await readdir(path.join(r, 'dest')), ['first']);
  const cut = Readable.from([(await bytes([{ name: 'whole', data: 'y'.repeat(3000) }])).subarray(0, 1024)]);
  await assert.rejects(extractArchive(r, '/dest', cut));
});

test('a binary security.capability xattr survives archive and extract byte for byte', async (t) => {
  const cap = binaryCapability;
  const src = path.join(root, 'capdir');
  await mkdir(src);
  try {
    await writeFile(path.join(src, 'ping'), 'binary');
    try {
      native.lsetxattr(path.join(src, 'ping'), 'security.capability', cap);
    } catch (err) {
      if (!isErrno(err, 'ENOTSUP')) throw err;
      t.skip('no security xattrs on this filesystem');
      return;
    }
    const entries = [];
    for await (const e of readTar((await archivePath(root, '/capdir')).tar)) entries.push(e.header);
    assert.deepEqual(entries.map((h) => [h.name, Object.keys(h.xattrs)]), [['capdir/', []], ['capdir/ping', ['security.capability']]]);
    assert.ok(entries[1].xattrs['security.capability'].equals(cap));

    const copy = path.join(tmp, 'capcopy');
    await mkdir(copy);
    await extractArchive(copy, '/', (await archivePath(root, '/capdir')).tar);
    const got = native.lgetxattr(path.join(copy, 'capdir/ping'), 'security.capability');
    assert.ok(got?.equals(cap), `got ${got?.toString('hex')}`);
    assert.equal(await readFile(path.join(copy, 'capdir/ping'), 'utf8'), 'binary');
  } finally {
    await rm(src, { recursive: true, force: true });
  }
});

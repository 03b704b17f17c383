import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, readFile, readdir, rm, chown, chmod, lstat, symlink, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isBerthError } from '../errors.js';
import { silentLogger } from '../util/logger.js';
import { native, MNT_DETACH } from '../util/native.js';
import { readMountInfo } from '../fs/mountinfo.js';
import { createVolumeService } from './volume-service.js';
import { ANONYMOUS_LABEL } from './types.js';

let tmp: string;
const service = (name: string) => createVolumeService({ dataRoot: path.join(tmp, name), logger: silentLogger });

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'berth-volumes-'));
});

after(async () => {
  // Whatever a failed test left mounted under tmp goes before the directory does.
  for (const m of (await readMountInfo()).reverse()) {
    if (m.mountPoint.startsWith(tmp + '/')) native.umount(m.mountPoint, MNT_DETACH);
  }
  await rm(tmp, { recursive: true, force: true });
});

test('create, inspect, list with filters, remove', async () => {
  const vs = service('basic');
  const v = await vs.create({ name: 'data', labels: { app: 'web', tier: 'db' } });
  assert.equal(v.mountpoint, path.join(tmp, 'basic/volumes/data/_data'));
  assert.deepEqual({ ...v, createdAt: '' }, {
    name: 'data', driver: 'local', mountpoint: v.mountpoint, createdAt: '', labels: { app: 'web', tier: 'db' },
    options: {}, scope: 'local', anonymous: false,
  });
  assert.match(v.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok((await stat(v.mountpoint)).isDirectory());
  // Same name again: the existing volume, labels unchanged.
  assert.deepEqual(await vs.create({ name: 'data', labels: { other: '1' } }), v);
  const anon = await vs.create({ anonymous: true });
  assert.match(anon.name, /^[0-9a-f]{64}$/);
  assert.deepEqual(anon.labels, { [ANONYMOUS_LABEL]: '' });
  await vs.create({ name: 'logs' });

  const names = async (f: Record<string, string[]>) => (await vs.list(f)).map((x) => x.name);
  assert.deepEqual(await names({}), [anon.name, 'data', 'logs'].sort());
  // (a 't': no anonymous volume's hex name can match)
  assert.deepEqual(await names({ name: ['^dat'] }), ['data']);
  assert.deepEqual(await names({ label: ['app=web', 'tier'] }), ['data']);
  assert.deepEqual(await names({ label: ['app=db'] }), []);
  await vs.acquire('logs', 'c1');
  assert.deepEqual(await names({ dangling: ['false'] }), ['logs']);
  assert.deepEqual(await names({ dangling: ['true'], driver: ['local'] }), [anon.name, 'data'].sort());
  await assert.rejects(vs.list({ colour: ['x'] }), (e) => isBerthError(e, 'invalid_argument') && e.message === "invalid filter 'colour'");
  await assert.rejects(vs.list({ dangling: ['maybe'] }), (e) => isBerthError(e, 'invalid_argument'));

  await vs.remove('data');
  await assert.rejects(vs.inspect('data'), (e) => isBerthError(e, 'not_found') && e.message === 'get data: no such volume');
  await assert.rejects(vs.remove('data'), (e) => isBerthError(e, 'not_found'));
  await vs.remove('data', { force: true });
  assert.deepEqual(await readdir(path.join(tmp, 'basic/volumes')), [anon.name, 'logs'].sort());
});

test('invalid names, drivers and options are refused as Docker does', async () => {
  const vs = service('invalid');
  const rejects = (p: Promise<unknown>, code: string, message: string) =>
    assert.rejects(p, (e) => isBerthError(e) && e.code === code && e.message === message);
  await rejects(vs.create({ name: 'a' }), 'invalid_argument',
    'create a: volume name is too short, names should be at least two alphanumeric characters');
  await rejects(vs.create({ name: 'foo/bar' }), 'invalid_argument',
    'create foo/bar: "foo/bar" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path');
  await rejects(vs.create({ name: 'x1', driver: 'nfs' }), 'not_found', 'error looking up volume plugin nfs: plugin "nfs" not found');
  await rejects(vs.create({ name: 'x1', options: { colour: 'red' } }), 'invalid_argument', 'create x1: invalid option: "colour"');
  await rejects(vs.create({ name: 'x1', options: { type: 'tmpfs' } }), 'invalid_argument', 'create x1: missing required option: "device"');
  await rejects(vs.create({ name: 'x1', options: { o: 'size=1m', device: 'tmpfs' } }), 'invalid_argument', 'create x1: missing required option: "type"');
});

test('a volume in use cannot be removed, even forced; references survive a restart', async () => {
  const vs = service('inuse');
  await vs.create({ name: 'db' });
  await vs.acquire('db', 'c1');
  await vs.acquire('db', 'c2');
  await vs.acquire('db', 'c1');
  await assert.rejects(vs.remove('db'), (e) => isBerthError(e, 'conflict') && e.message === 'remove db: volume is in use - [c1, c2]');
  await assert.rejects(vs.remove('db', { force: true }), (e) => isBerthError(e, 'conflict'));
  await assert.rejects(vs.acquire('nope', 'c1'), (e) => isBerthError(e, 'not_found'));

  const restarted = service('inuse');
  assert.deepEqual(await restarted.references('db'), ['c1', 'c2']);
  await restarted.release('db', 'c1');
  assert.deepEqual(await restarted.releaseAll('c2'), ['db']);
  assert.deepEqual(await restarted.references('db'), []);
  await restarted.remove('db');
});

test('prune removes unused anonymous volumes by default, named ones with all=true, and reports the space', async () => {
  const vs = service('prune');
  const a1 = await vs.create({ anonymous: true });
  const a2 = await vs.create({ anonymous: true, labels: { keep: 'yes' } });
  const used = await vs.create({ anonymous: true });
  await vs.create({ name: 'named' });
  await vs.acquire(used.name, 'c1');
  await writeFile(path.join(a1.mountpoint, 'blob'), Buffer.alloc(1000));
  await writeFile(path.join(a2.mountpoint, 'blob'), Buffer.alloc(10));

  assert.deepEqual(await vs.prune({ 'label!': ['keep'] }), { volumesDeleted: [a1.name], spaceReclaimed: 1000 });
  assert.deepEqual(await vs.prune({}), { volumesDeleted: [a2.name], spaceReclaimed: 10 });
  await assert.rejects(vs.prune({ dangling: ['true'] }), (e) => isBerthError(e, 'invalid_argument'));
  assert.deepEqual(await vs.prune({ all: ['true'] }), { volumesDeleted: ['named'], spaceReclaimed: 0 });
  assert.deepEqual((await vs.list()).map((v) => v.name), [used.name]);
  assert.deepEqual(await vs.usage(), [{ name: used.name, size: 0, refCount: 1 }]);
});

test('populateFromImage copies image content into a new empty volume once', async () => {
  const vs = service('populate');
  const rootfs = path.join(tmp, 'image-rootfs');
  await mkdir(path.join(rootfs, 'var/lib/db/sub'), { recursive: true });
  await writeFile(path.join(rootfs, 'var/lib/db/sub/seed'), 'seed');
  await chown(path.join(rootfs, 'var/lib/db'), 999, 999);
  await chmod(path.join(rootfs, 'var/lib/db'), 0o700);
  await symlink('/var/lib/db', path.join(rootfs, 'dblink'));
  await mkdir(path.join(tmp, 'host-secret'));
  await writeFile(path.join(tmp, 'host-secret/key'), 'do not copy');
  await symlink(path.join(tmp, 'host-secret'), path.join(rootfs, 'escape'));

  const v = await vs.create({ name: 'db' });
  assert.equal(await vs.populateFromImage('db', rootfs, '/dblink'), true);
  assert.equal(await readFile(path.join(v.mountpoint, 'sub/seed'), 'utf8'), 'seed');
  const top = await lstat(v.mountpoint);
  assert.deepEqual([top.uid, top.gid, top.mode & 0o777], [999, 999, 0o700]);
  // Not empty any more: a second container does not copy again.
  await writeFile(path.join(v.mountpoint, 'sub/seed'), 'changed by the app');
  assert.equal(await vs.populateFromImage('db', rootfs, '/var/lib/db'), false);
  assert.equal(await readFile(path.join(v.mountpoint, 'sub/seed'), 'utf8'), 'changed by the app');

  const other = await vs.create({ name: 'other' });
  assert.equal(await vs.populateFromImage('other', rootfs, '/missing'), false);
  // A link in the image pointing at a host path resolves inside the image root, where nothing is.
  assert.equal(await vs.populateFromImage('other', rootfs, '/escape'), false);
  assert.deepEqual(await readdir(other.mountpoint), []);
});

test('a tmpfs volume is mounted while held, sized, and emptied when the last holder goes', async () => {
  const vs = service('tmpfs');
  const v = await vs.create({ name: 'fast', options: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m,mode=1777' } });
  assert.equal(await vs.mount('fast', 'c1'), v.mountpoint);
  await vs.mount('fast', 'c2');
  const info = (await readMountInfo()).filter((m) => m.mountPoint === v.mountpoint);
  assert.equal(info.length, 1);
  assert.equal(info[0].fsType, 'tmpfs');
  assert.equal((await lstat(v.mountpoint)).mode & 0o7777, 0o1777);
  await writeFile(path.join(v.mountpoint, 'f'), 'x');
  await assert.rejects(writeFile(path.join(v.mountpoint, 'big'), Buffer.alloc(2 * 1024 * 1024)), /ENOSPC/);
  await vs.unmount('fast', 'c1');
  assert.equal(await readFile(path.join(v.mountpoint, 'f'), 'utf8'), 'x');
  // A restarted service still knows c2 holds it.
  await service('tmpfs').unmount('fast', 'c2');
  assert.equal((await readMountInfo()).some((m) => m.mountPoint === v.mountpoint), false);
  assert.deepEqual(await readdir(v.mountpoint), []);
  await vs.remove('fast');
});

test('half-created and half-removed volumes are swept on start', async () => {
  const root = path.join(tmp, 'sweep');
  await mkdir(path.join(root, 'volumes/.staging-abc/_data'), { recursive: true });
  await mkdir(path.join(root, 'volumes/.trash-def/_data'), { recursive: true });
  const vs = service('sweep');
  await vs.create({ name: 'kept' });
  assert.deepEqual(await readdir(path.join(root, 'volumes')), ['kept']);
});

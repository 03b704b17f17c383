import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isBerthError } from '../errors.js';
import { native, MNT_DETACH } from '../util/native.js';
import { parseBind, parseMountConfig, parseTmpfs } from './mount-spec.js';
import { toOciMounts, rootfsPropagationFor, prepareBindSources } from './oci-mounts.js';
import type { BerthMount } from './types.js';

const MS_PRIVATE = 0x40000;
const MS_SHARED = 0x100000;

test('OCI mounts: binds, volumes (with subpath) and tmpfs with Docker defaults, parents first', async () => {
  const tmp = await mkdtemp(path.join(tmpdir(), 'berth-oci-'));
  try {
    const data = path.join(tmp, 'vol/_data');
    await mkdir(path.join(data, 'sub'), { recursive: true });
    const mounts: BerthMount[] = [
      parseMountConfig({ Type: 'volume', Source: 'v', Target: '/srv/app/sub', VolumeOptions: { Subpath: 'sub' } }, () => true),
      parseBind('v:/srv:ro'),
      parseBind('/host/dir:/mnt/h:ro'),
      parseMountConfig({ Type: 'bind', Source: '/x', Target: '/nr', BindOptions: { NonRecursive: true, Propagation: 'rslave' } }, () => true),
      parseTmpfs('/run', 'exec,size=64m'),
      parseMountConfig({ Type: 'tmpfs', Target: '/t', ReadOnly: true, TmpfsOptions: { Mode: 0o700 } }, () => true),
    ];
    assert.deepEqual(await toOciMounts(mounts, { v: data }), [
      { destination: '/srv', type: 'bind', source: data, options: ['rbind', 'ro'] },
      { destination: '/nr', type: 'bind', source: '/x', options: ['bind', 'rslave'] },
      { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'rprivate', 'exec', 'size=64m'] },
      { destination: '/t', type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', 'rprivate', 'ro', 'mode=700'] },
      { destination: '/mnt/h', type: 'bind', source: '/host/dir', options: ['rbind', 'ro', 'rprivate'] },
      { destination: '/srv/app/sub', type: 'bind', source: path.join(data, 'sub'), options: ['rbind'] },
    ]);
    await assert.rejects(toOciMounts([parseMountConfig({ Type: 'volume', Source: 'v', Target: '/a', VolumeOptions: { Subpath: 'missing' } }, () => true)], { v: data }),
      (e) => isBerthError(e, 'invalid_argument'));
    await assert.rejects(toOciMounts([parseBind('other:/a')], { v: data }), (e) => isBerthError(e, 'internal'));
    assert.equal(rootfsPropagationFor(mounts), 'rslave');
    assert.equal(rootfsPropagationFor([...mounts, parseBind('/a:/b:shared')]), 'shared');
    assert.equal(rootfsPropagationFor([parseBind('/a:/b')]), undefined);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test('prepareBindSources creates -v sources and checks propagation against the host mount', async () => {
  const tmp = await mkdtemp(path.join(tmpdir(), 'berth-binds-'));
  const mnt = path.join(tmp, 'mnt');
  await mkdir(mnt);
  native.mount('tmpfs', mnt, 'tmpfs', 0, 'size=1m');
  try {
    native.mount(null, mnt, null, MS_PRIVATE, null);
    await writeFile(path.join(mnt, 'file'), '');
    await prepareBindSources([parseBind(`${mnt}/new/dir:/a`), parseBind(`${mnt}/file:/b`)]);
    assert.ok((await stat(path.join(mnt, 'new/dir'))).isDirectory());
    await assert.rejects(prepareBindSources([parseBind(`${mnt}/new:/a:rshared`)]), (e) =>
      isBerthError(e, 'invalid_argument') && e.message === `path ${mnt}/new is mounted on ${mnt} but it is not a shared mount`);
    await assert.rejects(prepareBindSources([parseBind(`${mnt}/new:/a:rslave`)]), (e) =>
      isBerthError(e, 'invalid_argument') && e.message.endsWith('but it is not a shared or slave mount'));
    native.mount(null, mnt, null, MS_SHARED, null);
    await prepareBindSources([parseBind(`${mnt}/new:/a:rshared`), parseBind(`${mnt}/new:/c:slave`)]);
    // --mount binds are not created.
    const missing = parseMountConfig({ Type: 'bind', Source: `${mnt}/absent`, Target: '/a', BindOptions: { CreateMountpoint: false } }, () => true);
    await prepareBindSources([missing]);
    await assert.rejects(stat(`${mnt}/absent`));
  } finally {
    native.umount(mnt, MNT_DETACH);
    await rm(tmp, { recursive: true, force: true });
  }
});

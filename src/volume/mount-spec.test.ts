import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../errors.js';
import { parseBind, parseMountConfig, parseTmpfs, parseVolumesFrom, resolveContainerMounts, validMountMode } from './mount-spec.js';
import { parseMountFlag } from './mount-flag.js';
import { mergeTmpfsOptions, parseMountOptions, parseRamSize } from './mount-options.js';
import type { BerthMount } from './types.js';

const exists = (p: string) => p === '/srv/data' || p === '/etc/hosts';
const rejects400 = (fn: () => unknown, message: string) =>
  assert.throws(fn, (e) => isBerthError(e, 'invalid_argument') && e.message === message);

test('-v binds, named and anonymous volumes with modes', () => {
  assert.deepEqual(parseBind('/srv/data:/data:ro,rshared'), {
    type: 'bind', target: '/data', readonly: true, mode: 'ro,rshared', source: '/srv/data',
    propagation: 'rshared', recursive: true, readonlyRecursive: false, createSource: true,
  });
  assert.equal((parseBind('/a/../srv//x/:/b/') as { source: string }).source, '/srv/x');
  const named = parseBind('cache:/var/cache:nocopy');
  assert.deepEqual({ ...named }, {
    type: 'volume', target: '/var/cache', readonly: false, mode: 'nocopy', name: 'cache', anonymous: false,
    driver: 'local', driverOptions: {}, labels: {}, copyData: false, subpath: '',
  });
  const anon = parseBind('/scratch');
  assert.equal(anon.type, 'volume');
  assert.ok(anon.type === 'volume' && anon.anonymous && /^[0-9a-f]{64}$/.test(anon.name) && anon.copyData);
  assert.equal(parseBind('data:/d:z').readonly, false);
});

test('-v errors carry Docker messages', () => {
  rejects400(() => parseBind(':/x'), "invalid volume specification: ':/x'");
  rejects400(() => parseBind('/x:rw'), "invalid volume specification: '/x:rw'");
  rejects400(() => parseBind('a:b:c:d'), "invalid volume specification: 'a:b:c:d'");
  rejects400(() => parseBind('/a:/b:rx'), 'invalid mode: rx');
  rejects400(() => parseBind('/a:/b:ro,rw'), 'invalid mode: ro,rw');
  rejects400(() => parseBind('vol:rel'),
    `invalid volume specification: 'vol:rel': invalid mount config for type "volume": invalid mount path: 'rel' mount path must be absolute`);
  rejects400(() => parseBind('/host:/'),
    `invalid volume specification: '/host:/': invalid mount config for type "bind": invalid specification: destination can't be '/'`);
  rejects400(() => parseBind('/a:/b:nocopy'),
    `invalid volume specification: '/a:/b:nocopy': invalid mount config for type "bind": field VolumeOptions must not be specified`);
  rejects400(() => parseBind('vol:/b:rshared'),
    `invalid volume specification: 'vol:/b:rshared': invalid mount config for type "volume": field BindOptions must not be specified`);
  assert.equal(validMountMode('ro,Z,rslave,nocopy,cached'), true);
});

test('HostConfig.Mounts: bind source must exist, per-type field checks', () => {
  rejects400(() => parseMountConfig({ Type: 'bind', Source: '/x', Target: '/y' }, exists),
    'invalid mount config for type "bind": bind source path does not exist: /x');
  assert.equal(parseMountConfig({ Type: 'bind', Source: '/x', Target: '/y', BindOptions: { CreateMountpoint: true } }, exists).type, 'bind');
  rejects400(() => parseMountConfig({ Type: 'volume', Target: '/y', ReadOnly: true }, exists),
    'invalid mount config for type "volume": must not set ReadOnly mode when using anonymous volumes');
  rejects400(() => parseMountConfig({ Type: 'tmpfs', Source: 'x', Target: '/y' }, exists),
    'invalid mount config for type "tmpfs": field Source must not be specified');
  rejects400(() => parseMountConfig({ Type: 'nfs', Target: '/y' }, exists), 'invalid mount config for type "nfs": mount type unknown');
  rejects400(() => parseMountConfig({ Type: 'bind', Source: '/srv/data' }, exists),
    'invalid mount config for type "bind": field Target must not be empty');
  rejects400(() => parseMountConfig({ Type: 'bind', Source: '/srv/data', Target: '/y', BindOptions: { Propagation: 'weird' } }, exists),
    'invalid mount config for type "bind": invalid propagation mode: weird');
  rejects400(() => parseMountConfig({ Type: 'volume', Source: 'v', Target: '/y', VolumeOptions: { Subpath: '../x' } }, exists),
    'invalid mount config for type "volume": subpath must be a relative path within the volume');
  const tmpfs = parseMountConfig({ Type: 'tmpfs', Target: '/t', ReadOnly: true, TmpfsOptions: { SizeBytes: 64 * 2 ** 20, Mode: 0o1777 } }, exists);
  assert.deepEqual(tmpfs, { type: 'tmpfs', target: '/t', readonly: true, mode: '', options: ['ro', 'mode=1777', 'size=64m'] });
  const vol = parseMountConfig({
    Type: 'volume', Source: 'db', Target: '/db',
    VolumeOptions: { NoCopy: true, Labels: { a: 'b' }, DriverConfig: { Name: 'local', Options: { type: 'tmpfs', device: 'tmpfs' } } },
  }, exists);
  assert.ok(vol.type === 'volume' && !vol.copyData && vol.labels.a === 'b' && vol.driverOptions.type === 'tmpfs');
});

test('--mount flag parsing as the docker CLI does it', () => {
  assert.deepEqual(parseMountFlag('type=bind,src=./data,dst=/data,readonly,bind-propagation=rslave', '/home/u'), {
    Type: 'bind', Source: '/home/u/data', Target: '/data', ReadOnly: true, BindOptions: { Propagation: 'rslave' },
  });
  assert.deepEqual(parseMountFlag('source=v,target=/v,volume-nocopy,volume-label=x=y,"volume-opt=o=size=1m,uid=1000",volume-opt=type=tmpfs'), {
    Type: 'volume', Source: 'v', Target: '/v',
    VolumeOptions: { NoCopy: true, Labels: { x: 'y' }, DriverConfig: { Options: { o: 'size=1m,uid=1000', type: 'tmpfs' } } },
  });
  assert.deepEqual(parseMountFlag('type=tmpfs,destination=/t,tmpfs-size=1.5g,tmpfs-mode=700'), {
    Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1.5 * 2 ** 30, Mode: 0o700 },
  });
  rejects400(() => parseMountFlag('type=bind,target=/x,bogus'), "invalid field 'bogus' must be a key=value pair");
  rejects400(() => parseMountFlag('type=bind,target=/x,colour=red'), "unexpected key 'colour' in 'colour=red'");
  rejects400(() => parseMountFlag('type=bind,source=/x'), 'target is required');
  rejects400(() => parseMountFlag('type=tmpfs,target=/x,tmpfs-size=lots'), 'invalid value for tmpfs-size: lots');
  rejects400(() => parseMountFlag('type=bind,target=/x,volume-nocopy'), "cannot mix 'volume-*' options with mount type 'bind'");
  rejects400(() => parseMountFlag('target=/x,readonly=maybe'), 'invalid value for readonly: maybe');
});

test('tmpfs options: Docker merge rules and validation', () => {
  assert.deepEqual(mergeTmpfsOptions(['noexec', 'nosuid', 'nodev', 'rprivate', 'exec', 'size=1m', 'size=2m', 'rshared']),
    ['nosuid', 'nodev', 'exec', 'size=2m', 'rshared']);
  rejects400(() => mergeTmpfsOptions(['colour=red']), 'invalid tmpfs option ["colour" "red"]');
  rejects400(() => parseTmpfs('/run', 'rw,size'), 'invalid tmpfs option ["size"]');
  rejects400(() => parseTmpfs('run', ''), "invalid mount path: 'run' mount path must be absolute");
  assert.deepEqual(parseTmpfs('/run/', 'rw,noexec,size=64m,ro'), { type: 'tmpfs', target: '/run', readonly: true, mode: '', options: ['rw', 'noexec', 'size=64m', 'ro'] });
  assert.deepEqual(parseMountOptions('ro,nosuid,size=10m,mode=700,exec'), { flags: 0x3, data: 'size=10m,mode=700' });
  assert.equal(parseRamSize('512KiB'), 512 * 1024);
  assert.equal(parseRamSize('1024'), 1024);
  rejects400(() => parseRamSize('12x'), "invalid size: '12x'");
});

test('volumes-from modes', () => {
  assert.deepEqual(parseVolumesFrom('data'), { container: 'data', mode: 'rw' });
  assert.deepEqual(parseVolumesFrom('data:ro'), { container: 'data', mode: 'ro' });
  rejects400(() => parseVolumesFrom('data:rshared'), 'invalid mode: rshared');
  rejects400(() => parseVolumesFrom('data:nocopy'), 'invalid mode: nocopy');
  rejects400(() => parseVolumesFrom(''), 'volumes-from specification cannot be an empty string');
});

test('resolveContainerMounts: precedence, duplicates, anonymous volumes where nothing is mounted', () => {
  const inherited: BerthMount[] = [
    { type: 'volume', target: '/shared', readonly: false, mode: '', name: 'sh', anonymous: false, driver: 'local', driverOptions: {}, labels: {}, copyData: true, subpath: '' },
    { type: 'bind', target: '/cfg', readonly: false, mode: '', source: '/etc/hosts', propagation: 'rprivate', recursive: true, readonlyRecursive: false, createSource: false },
  ];
  const mounts = resolveContainerMounts({
    volumesFrom: [{ mounts: inherited, mode: 'ro' }],
    binds: ['/srv/data:/cfg', 'logs:/logs'],
    mounts: [{ Type: 'tmpfs', Target: '/scratch' }],
    tmpfs: { '/run': 'size=1m' },
    volumes: ['/logs', '/var/lib/app', '/run'],
    volumeDriver: 'local',
  }, exists);
  const byTarget = Object.fromEntries(mounts.map((m) => [m.target, m]));
  assert.deepEqual(Object.keys(byTarget).sort(), ['/cfg', '/logs', '/run', '/scratch', '/shared', '/var/lib/app']);
  assert.ok(byTarget['/shared'].type === 'volume' && byTarget['/shared'].readonly && !byTarget['/shared'].copyData);
  assert.ok(byTarget['/cfg'].type === 'bind' && byTarget['/cfg'].source === '/srv/data' && !byTarget['/cfg'].readonly);
  assert.ok(byTarget['/logs'].type === 'volume' && byTarget['/logs'].name === 'logs');
  assert.ok(byTarget['/var/lib/app'].type === 'volume' && byTarget['/var/lib/app'].anonymous);
  assert.equal(byTarget['/run'].type, 'tmpfs');
  rejects400(() => resolveContainerMounts({ binds: ['a:/x', '/srv/data:/x/'] }, exists), 'Duplicate mount point: /x');
  rejects400(() => resolveContainerMounts({ binds: ['a:/x'], tmpfs: { '/x': '' } }, exists), 'Duplicate mount point: /x');
  rejects400(() => resolveContainerMounts({ binds: ['a:/x'], mounts: [{ Type: 'volume', Source: 'b', Target: '/x' }] }, exists), 'Duplicate mount point: /x');
});

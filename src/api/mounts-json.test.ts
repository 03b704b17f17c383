import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fields } from './json-fields.js';
import { hostMountOptions, mountPointsJson } from './mounts-json.js';
import { containerRecord } from './test-helpers.js';

test('HostConfig mount fields as the docker CLI sends them', () => {
  const host = {
    Binds: ['data:/data', '/srv:/srv:ro'],
    Mounts: [
      { Type: 'tmpfs', Target: '/cache', TmpfsOptions: { SizeBytes: 1048576, Options: [['exec']] } },
      { Type: 'volume', Source: 'v', Target: '/v', VolumeOptions: { NoCopy: true, DriverConfig: { Name: 'local', Options: { type: 'tmpfs' } } } },
    ],
    Tmpfs: { '/run': 'size=1m' },
    VolumesFrom: ['other:ro'],
    VolumeDriver: '',
  };
  assert.deepEqual(hostMountOptions(fields(host, 'HostConfig'), host), {
    binds: ['data:/data', '/srv:/srv:ro'],
    mounts: [
      { Type: 'tmpfs', Target: '/cache', ReadOnly: false, TmpfsOptions: { SizeBytes: 1048576, Options: [['exec']] } },
      { Type: 'volume', Source: 'v', Target: '/v', ReadOnly: false, VolumeOptions: { NoCopy: true, DriverConfig: { Name: 'local', Options: { type: 'tmpfs' } } } },
    ],
    tmpfs: { '/run': 'size=1m' },
    volumesFrom: ['other:ro'],
  });
  assert.throws(() => hostMountOptions(undefined, { Mounts: {} }), /HostConfig.Mounts must be an array/);
  assert.throws(() => hostMountOptions(undefined, { Mounts: [{ Type: 1 }] }), /Mounts\[0\].Type must be a string/);
});

test('inspect mount points: volumes with their source, binds with propagation, --tmpfs left out', () => {
  const c = containerRecord();
  c.spec.host.binds = ['data:/data'];
  c.spec.host.tmpfs = { '/run': '' };
  c.mounts = [
    { type: 'volume', target: '/data', readonly: false, mode: '', name: 'data', anonymous: false, driver: 'local', driverOptions: {}, labels: {}, copyData: true, subpath: '' },
    { type: 'bind', target: '/srv', readonly: true, mode: 'ro', source: '/srv', propagation: 'rprivate', recursive: true, readonlyRecursive: false, createSource: true },
    { type: 'tmpfs', target: '/run', readonly: false, mode: '', options: [] },
    { type: 'tmpfs', target: '/cache', readonly: false, mode: '', options: ['size=1m'] },
  ];
  assert.deepEqual(mountPointsJson(c, { data: '/var/lib/berth/volumes/data/_data' }), [
    { Type: 'volume', Name: 'data', Source: '/var/lib/berth/volumes/data/_data', Destination: '/data', Mode: 'z', RW: true, Driver: 'local', Propagation: '' },
    { Type: 'bind', Source: '/srv', Destination: '/srv', Mode: 'ro', RW: false, Propagation: 'rprivate' },
    { Type: 'tmpfs', Source: '', Destination: '/cache', Mode: '', RW: true, Propagation: '' },
  ]);
});

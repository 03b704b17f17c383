import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageInfo } from '../engine/types.js';
import { familiar, imageInspectJson, imageSummaryJson } from './image-json.js';

const img: ImageInfo = {
  id: `sha256:${'1'.repeat(64)}`, repoTags: ['docker.io/library/busybox:latest', 'localhost:5000/a/b:1'],
  repoDigests: [`docker.io/library/busybox@sha256:${'2'.repeat(64)}`], parent: '', comment: 'Imported from -',
  created: '2025-01-02T03:04:05.123456789Z', author: '', architecture: 'amd64', os: 'linux', size: 1234,
  config: { Cmd: ['sh'], Env: ['PATH=/bin'] }, rootfs: { type: 'layers', diff_ids: [`sha256:${'3'.repeat(64)}`] }, labels: {},
};

test('names are shown in Docker familiar form', () => {
  assert.equal(familiar('docker.io/library/busybox:latest'), 'busybox:latest');
  assert.equal(familiar('busybox:latest'), 'busybox:latest');
  assert.equal(familiar('docker.io/me/tool:1'), 'me/tool:1');
  assert.equal(familiar('<none>:<none>'), '<none>:<none>');
});

test('inspect and summary shapes', () => {
  const i = imageInspectJson(img) as Record<string, unknown>;
  assert.deepEqual(i.RepoTags, ['busybox:latest', 'localhost:5000/a/b:1']);
  assert.deepEqual(i.RepoDigests, [`busybox@sha256:${'2'.repeat(64)}`]);
  assert.deepEqual(i.RootFS, { Type: 'layers', Layers: img.rootfs.diff_ids });
  assert.deepEqual(i.GraphDriver, { Name: 'overlay2', Data: {} });
  assert.deepEqual(i.Config, { User: '', Env: ['PATH=/bin'], Cmd: ['sh'], WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: null });
  assert.equal(i.Created, img.created);
  const s = imageSummaryJson(img);
  assert.equal(s.Created, Math.floor(Date.parse(img.created) / 1000));
  assert.equal(s.SharedSize, -1);
  assert.equal(s.Containers, -1);
});

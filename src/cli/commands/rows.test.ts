import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSummary, ImageSummary } from '../../client/index.js';
import { imageRefs, imageRow } from './images.js';
import { containerRow } from './ps.js';
import { eventLine } from './system.js';
import { formatList } from '../format.js';

const id = 'f'.repeat(64);
const container: ContainerSummary = {
  Id: id, Names: ['/web', '/other/link'], Image: 'busybox@sha256:' + 'a'.repeat(64), ImageID: 'sha256:' + 'b'.repeat(64),
  Command: 'sh -c while true; do sleep 1; done', Created: 1_000, Ports: [{ PrivatePort: 80, Type: 'tcp' }, { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }],
  Labels: { b: '2', a: '1' }, State: 'running', Status: 'Up 5 seconds', SizeRw: 1200, SizeRootFs: 4_300_000,
  Mounts: [{ Type: 'volume', Name: 'averyveryverylongvolumename', Source: '/x', Destination: '/data' }],
  NetworkSettings: { Networks: { bridge: {}, app: {} } },
};

test('ps rows look like docker\'s (truncated and not)', () => {
  const r = containerRow(container, true, 1_061_000);
  assert.equal(r.ID, 'f'.repeat(12));
  assert.equal(r.Image, 'busybox');
  assert.equal(r.Command, '"sh -c while true; d…"');
  assert.equal(r.RunningFor, 'About a minute ago');
  assert.equal(r.Names, 'web');
  assert.equal(r.Ports, '80/tcp, 0.0.0.0:8080->80/tcp');
  assert.equal(r.Labels, 'a=1,b=2');
  assert.equal(r.Label('b'), '2');
  assert.equal(r.Mounts, 'averyveryveryl…');
  assert.equal(r.Networks, 'app,bridge');
  assert.equal(r.LocalVolumes, '1');
  assert.equal(r.Size, '1.2kB (virtual 4.3MB)');
  const full = containerRow(container, false, 1_061_000);
  assert.equal(full.ID, id);
  assert.equal(full.Names, 'web,other/link');
  assert.equal(full.Image, container.Image);
  // An image given by ID shows as its short ID.
  assert.equal(containerRow({ ...container, Image: container.ImageID }, true).Image, 'b'.repeat(12));
  // {{json .}} has the fields, not the Label method.
  assert.deepEqual(Object.keys(JSON.parse(formatList([r], 'json', { table: '', headers: {} }))), [
    'Command', 'CreatedAt', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Names', 'Networks', 'Platform', 'Ports', 'RunningFor', 'Size', 'State', 'Status',
  ]);
});

const image: ImageSummary = {
  Id: 'sha256:' + 'c'.repeat(64), ParentId: '', RepoTags: ['busybox:latest', 'busybox:1', 'localhost:5000/me/app:v1'],
  RepoDigests: ['busybox@sha256:' + 'd'.repeat(64), 'other@sha256:' + 'e'.repeat(64)], Created: 0, Size: 4_261_550,
  SharedSize: -1, Labels: null, Containers: -1,
};

test('images: a row per repository and tag, digests on request, <none> when untagged', () => {
  const refs = (img: ImageSummary, d: boolean) => imageRefs(img, d).map((r) => `${r.repository} ${r.tag} ${r.digest.slice(0, 9)}`);
  assert.deepEqual(refs(image, false), ['busybox latest <none>', 'busybox 1 <none>', 'localhost:5000/me/app v1 <none>', 'other <none> <none>']);
  assert.deepEqual(refs(image, true), ['busybox latest sha256:dd', 'busybox 1 sha256:dd', 'localhost:5000/me/app v1 <none>', 'other <none> sha256:ee']);
  assert.deepEqual(refs({ ...image, RepoTags: [], RepoDigests: [] }, true), ['<none> <none> <none>']);
  assert.deepEqual(refs({ ...image, RepoTags: ['<none>:<none>'], RepoDigests: ['<none>@<none>'] }, false), ['<none> <none> <none>']);
  const row = imageRow(image, imageRefs(image, false)[0], true);
  assert.deepEqual([row.Repository, row.Tag, row.ID, row.CreatedSince, row.Size, row.SharedSize, row.Containers], [
    'busybox', 'latest', 'c'.repeat(12), 'N/A', '4.26MB', 'N/A', 'N/A',
  ]);
});

test('events print like docker\'s default format', () => {
  const line = eventLine({
    Type: 'container', Action: 'start', Actor: { ID: 'abc', Attributes: { name: 'web', image: 'busybox' } },
    time: 1_700_000_000, timeNano: 1_700_000_000_123_456_768,
  });
  assert.match(line, /^\S+T\S+\.123456768(Z|[+-]\d\d:\d\d) container start abc \(image=busybox, name=web\)\n$/);
  assert.match(eventLine({ Type: 'image', Action: 'tag', Actor: { ID: 'x' }, time: 1, timeNano: 0 }), /\.000000000\S* image tag x\n$/);
});

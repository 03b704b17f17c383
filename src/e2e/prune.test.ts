// docker system df and the prune commands through the docker CLI: what df reports as reclaimable is what
// container, image and volume prune then reclaim, and the data root shrinks at least by that much.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import path from 'node:path';
import { useBusyboxDaemon, ok } from './harness.js';
import { busyboxRootfsTar } from '../demo/busybox-rootfs.js';
import { directorySize } from '../fs/index.js';

const daemon = useBusyboxDaemon();

interface Df {
  LayersSize: number;
  Images: { RepoTags: string[]; Size: number; SharedSize: number; Containers: number }[];
  Containers: { Names: string[]; State: string; SizeRw: number }[];
  Volumes: { Name: string; UsageData: { Size: number; RefCount: number } }[];
}

function systemDf(): Promise<Df> {
  return new Promise((resolve, reject) => {
    request({ socketPath: daemon().socket, path: '/v1.50/system/df' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
    }).on('error', reject).end();
  });
}

/** The docker CLI's reclaimable figures (cli/command/formatter/disk_usage.go). */
const reclaimable = (df: Df) => ({
  containers: df.Containers.filter((c) => c.State !== 'running' && c.State !== 'paused').reduce((n, c) => n + c.SizeRw, 0),
  images: df.LayersSize - df.Images.filter((i) => i.Containers > 0).reduce((n, i) => n + i.Size - i.SharedSize, 0),
  volumes: df.Volumes.filter((v) => v.UsageData.RefCount === 0).reduce((n, v) => n + v.UsageData.Size, 0),
});

/** `docker system df`'s RECLAIMABLE column without the percentage, per type. */
async function dfColumn(): Promise<Record<string, string>> {
  const rows = ok(await daemon().docker(['system', 'df', '--format', '{{.Type}}={{.Reclaimable}}'])).split('\n');
  return Object.fromEntries(rows.map((r) => r.split('=')).map(([type, value]) => [type, value.replace(/ \(.*\)$/, '')]));
}

const totalLine = (output: string) => /Total reclaimed space: (\S+)/.exec(output)?.[1];
const dataSize = () => directorySize(path.join(daemon().root, 'data'));

/** The exact byte counts of the prune events since `since`, by type. */
async function prunedBytes(since: number, type: string): Promise<number[]> {
  const out = ok(await daemon().docker(['events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1),
    '--filter', `type=${type}`, '--filter', 'event=prune', '--format', '{{.Actor.Attributes.reclaimed}}']));
  return out.split('\n').filter(Boolean).map(Number);
}

test('system df reports what container, image and volume prune then reclaim', async () => {
  const d = daemon();
  const since = Math.floor(Date.now() / 1000);
  // "other": busybox plus 64 KiB of its own, in use by a running container until the end.
  ok(await d.docker(['run', '--name', 'mk', 'busybox', 'sh', '-c', 'head -c 65536 /dev/urandom > /blob']));
  const otherTar = path.join(d.root, 'other.tar');
  ok(await d.docker(['export', '-o', otherTar, 'mk']));
  ok(await d.docker(['import', '--change', 'CMD ["sh"]', otherTar, 'other']));
  ok(await d.docker(['run', '--name', 'mk2', 'busybox', 'sh', '-c', 'head -c 32768 /dev/urandom > /blob2']));
  const danglingTar = path.join(d.root, 'dangling.tar');
  ok(await d.docker(['export', '-o', danglingTar, 'mk2']));
  ok(await d.docker(['import', danglingTar]));
  // "twin" shares busybox's only layer.
  const chunks: Buffer[] = [];
  for await (const c of await busyboxRootfsTar()) chunks.push(c as Buffer);
  ok(await d.docker(['import', '--change', 'CMD ["true"]', '-', 'twin'], { input: Buffer.concat(chunks) }));
  ok(await d.docker(['run', '-d', '--name', 'keeper', 'other', 'sleep', '1000']));
  ok(await d.docker(['run', '--name', 'junk', 'busybox', 'sh', '-c', 'head -c 100000 /dev/urandom > /j']));
  ok(await d.docker(['run', '--name', 'anonc', '-v', '/anon', 'busybox', 'sh', '-c', 'head -c 20000 /dev/urandom > /anon/f']));
  ok(await d.docker(['run', '--rm', '-v', 'named:/v', 'busybox', 'sh', '-c', 'head -c 40000 /dev/urandom > /v/f']));

  const df1 = await systemDf();
  const twin = df1.Images.find((i) => i.RepoTags.includes('twin:latest'))!;
  const busybox = df1.Images.find((i) => i.RepoTags.includes('busybox:latest'))!;
  assert.equal(twin.Size, busybox.Size);
  assert.equal(twin.SharedSize, twin.Size, 'the shared layer counts as shared');
  assert.equal(df1.Images.find((i) => i.RepoTags.includes('other:latest'))!.Containers, 1);
  const want1 = reclaimable(df1);
  assert.ok(want1.containers >= 100000 + 65536 + 32768, `containers hold their writes (${want1.containers})`);
  const cli1 = await dfColumn();

  let disk = await dataSize();
  const containers = ok(await d.docker(['container', 'prune', '-f']));
  assert.match(containers, /Deleted Containers:/);
  assert.equal(totalLine(containers), cli1.Containers);
  assert.deepEqual(await prunedBytes(since, 'container'), [want1.containers]);
  assert.ok(disk - (await dataSize()) >= want1.containers, 'the data root shrank by at least what was reported');
  assert.deepEqual(ok(await d.docker(['ps', '-a', '--format', '{{.Names}}'])), 'keeper');

  // Images: nothing uses busybox and twin any more; "other" stays in use.
  const df2 = await systemDf();
  const want2 = reclaimable(df2);
  const cli2 = await dfColumn();
  disk = await dataSize();
  const dangling = ok(await d.docker(['image', 'prune', '-f']));
  assert.notEqual(totalLine(dangling), '0B');
  assert.match(dangling, /Deleted Images:\ndeleted: sha256:/);
  assert.equal(ok(await d.docker(['images', '-q', '--filter', 'dangling=true'])), '');
  const all = ok(await d.docker(['image', 'prune', '-a', '-f']));
  assert.match(all, /untagged: busybox:latest/);
  assert.match(all, /untagged: twin:latest/);
  assert.doesNotMatch(all, /other/);
  const images = await prunedBytes(since, 'image');
  assert.equal(images.length, 2);
  assert.equal(images[0] + images[1], want2.images, 'dangling then unused images freed what df reported');
  assert.ok(images[0] > 32768 && images[1] > 65536, `each prune freed its layers (${images})`);
  assert.ok(disk - (await dataSize()) >= want2.images);

  // Volumes: the anonymous one (its container is gone) and the named one.
  disk = await dataSize();
  const volumes = ok(await d.docker(['volume', 'prune', '-a', '-f']));
  assert.match(volumes, /named/);
  assert.equal(totalLine(volumes), cli2['Local Volumes']);
  assert.deepEqual(await prunedBytes(since, 'volume'), [want2.volumes]);
  assert.equal(want2.volumes, 60000);
  assert.ok(disk - (await dataSize()) >= want2.volumes);

  const df3 = await systemDf();
  assert.deepEqual(reclaimable(df3), { containers: 0, images: 0, volumes: 0 });
  ok(await d.docker(['rm', '-f', 'keeper']));
});

test('system prune removes stopped containers, dangling images and, with --volumes, unused anonymous volumes', async () => {
  const d = daemon();
  ok(await d.docker(['run', '--name', 'stopped', '-v', '/scratch', 'other', 'true']));
  const volume = JSON.parse(ok(await d.docker(['inspect', '-f', '{{json .Mounts}}', 'stopped'])))[0].Name;
  ok(await d.docker(['volume', 'create', 'kept']));
  const out = ok(await d.docker(['system', 'prune', '-f', '--volumes']));
  assert.match(out, /Deleted Containers:/);
  assert.match(out, new RegExp(`Deleted Volumes:\\n${volume}`));
  assert.match(out, /Total reclaimed space:/);
  assert.equal(ok(await d.docker(['ps', '-aq'])), '');
  assert.deepEqual(ok(await d.docker(['volume', 'ls', '-q'])), 'kept', 'named volumes stay without --all');
  assert.equal(ok(await d.docker(['images', '--format', '{{.Repository}}'])), 'other', 'tagged images stay without -a');
  const until = await d.docker(['container', 'prune', '-f', '--filter', 'until=1h']);
  assert.match(ok(until), /Total reclaimed space: 0B/);
  ok(await d.docker(['volume', 'rm', 'kept']));
});

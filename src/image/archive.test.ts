import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createReadStream } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { mountAll, unmountAll } from '../snapshot/mount.js';
import { isBerthError } from '../errors.js';
import { MediaType } from './types.js';
import { busyboxRootfs, newEnv, run, tarOf, withEnv, type TestEnv } from './test-fixtures.js';

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const hex = (d: string) => d.slice(7);

async function tarBytes(dir: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of tarOf(dir)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Two layers: busybox, then one that deletes /etc/hostname and adds /etc/motd. */
async function twoLayers(dir: string): Promise<Buffer[]> {
  const base = await tarBytes(await busyboxRootfs(dir));
  const top = path.join(dir, 'top');
  await mkdir(path.join(top, 'etc'), { recursive: true });
  await writeFile(path.join(top, 'etc', '.wh.hostname'), '');
  await writeFile(path.join(top, 'etc', 'motd'), 'second layer\n');
  return [base, await tarBytes(top)];
}

const imageConfig = (diffIds: string[]) => ({
  architecture: 'amd64',
  os: 'linux',
  created: '2024-05-01T10:00:00Z',
  config: { Cmd: ['sh'], Env: ['PATH=/bin'] },
  rootfs: { type: 'layers', diff_ids: diffIds },
  history: [
    { created: '2024-05-01T09:00:00Z', created_by: 'ADD rootfs /' },
    { created: '2024-05-01T09:30:00Z', created_by: 'ENV PATH=/bin', empty_layer: true },
    { created: '2024-05-01T10:00:00Z', created_by: 'RUN rm /etc/hostname' },
  ],
});

/** Writes an archive the way docker 28 (containerd image store) does: a multi-platform index with one platform present. */
async function docker28Archive(dir: string, layers: Buffer[]): Promise<string> {
  const out = path.join(dir, 'docker28');
  await mkdir(path.join(out, 'blobs', 'sha256'), { recursive: true });
  const put = async (b: Buffer) => {
    await writeFile(path.join(out, 'blobs', 'sha256', hex(sha(b))), b);
    return sha(b);
  };
  const gz = layers.map((l) => gzipSync(l));
  for (const l of gz) await put(l);
  const config = Buffer.from(JSON.stringify(imageConfig(layers.map(sha))));
  await put(config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: sha(config), size: config.length },
    layers: gz.map((l) => ({ mediaType: MediaType.ociLayerGzip, digest: sha(l), size: l.length })),
  }));
  await put(manifest);
  const missing = (s: string) => ({ mediaType: MediaType.ociManifest, digest: sha(s), size: 100 });
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [
      { ...missing('arm64'), platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
      { mediaType: MediaType.ociManifest, digest: sha(manifest), size: manifest.length, platform: { architecture: 'amd64', os: 'linux' } },
      { ...missing('attestation'), platform: { architecture: 'unknown', os: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
    ],
  }));
  await put(index);
  await writeFile(path.join(out, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [{
      mediaType: MediaType.ociIndex,
      digest: sha(index),
      size: index.length,
      annotations: { 'io.containerd.image.name': 'docker.io/library/busybox:latest', 'org.opencontainers.image.ref.name': 'latest' },
    }],
  }));
  await writeFile(path.join(out, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(path.join(out, 'manifest.json'), JSON.stringify([
    { Config: `blobs/sha256/${hex(sha(config))}`, RepoTags: ['busybox:latest'], Layers: gz.map((l) => `blobs/sha256/${hex(sha(l))}`) },
  ]));
  return out;
}

/** Checks the image's rootfs through a real overlay mount: the second layer's whiteout and file are there. */
async function checkRootfs(env: TestEnv, ref: string): Promise<void> {
  const { id } = await env.service.inspect(ref);
  const mnt = path.join(env.dir, `mnt-${Math.random().toString(36).slice(2)}`);
  await mkdir(mnt);
  mountAll(await env.service.prepareRootfs(id, `c-${mnt}`), mnt);
  try {
    assert.equal(await run('chroot', [mnt, '/bin/sh', '-c', 'cat /etc/motd; ls /etc']), 'second layer\nmotd\n');
  } finally {
    unmountAll(mnt);
    await env.service.removeRootfs(`c-${mnt}`);
  }
}

test('an archive written by docker 28 (OCI index, multi-platform, gzip layers) loads', () =>
  withEnv(async (env) => {
    const layers = await twoLayers(env.dir);
    const archive = await docker28Archive(env.dir, layers);
    assert.deepEqual(await env.service.load(tarOf(archive)), ['busybox:latest']);
    const info = await env.service.inspect('busybox');
    assert.equal(info.id, sha(JSON.stringify(imageConfig(layers.map(sha)))));
    assert.deepEqual(info.repoTags, ['busybox:latest']);
    assert.deepEqual(info.repoDigests, []);
    assert.deepEqual(info.rootfs.diff_ids, layers.map(sha));
    const history = await env.service.history('busybox');
    assert.deepEqual(history.map((h) => [h.createdBy, h.size > 0]), [
      ['RUN rm /etc/hostname', true],
      ['ENV PATH=/bin', false],
      ['ADD rootfs /', true],
    ]);
    assert.equal(history[0].id, info.id);
    assert.equal(history[1].id, '<missing>');
    assert.equal(history[0].created, Date.parse('2024-05-01T10:00:00Z') / 1000);
    await checkRootfs(env, 'busybox');
    assert.deepEqual(env.events, ['load busybox:latest']);
  }));

test('save writes a docker-archive with OCI layout that loads back into a fresh store', () =>
  withEnv(async (env) => {
    const archive = await docker28Archive(env.dir, await twoLayers(env.dir));
    await env.service.load(tarOf(archive));
    await env.service.tag('busybox', 'localhost:5000/copy:v1');
    const untagged = await env.service.importRootfs(tarOf(await busyboxRootfs(env.dir)), { changes: [] });
    const saved = path.join(env.dir, 'saved.tar');
    await env.service.save(['busybox:latest', 'localhost:5000/copy:v1', untagged.id.slice(7, 19)], createWriteStream(saved));

    const listing = (await run('tar', ['-tf', saved])).trim().split('\n').sort();
    const info = await env.service.inspect('busybox');
    for (const name of ['index.json', 'manifest.json', 'oci-layout', 'repositories', `blobs/sha256/${hex(info.id)}`]) {
      assert.ok(listing.includes(name), `${name} in ${listing.join(' ')}`);
    }
    // Layers are stored uncompressed, named by their diffID.
    for (const d of info.rootfs.diff_ids) assert.ok(listing.includes(`blobs/sha256/${hex(d)}`));
    const x = path.join(env.dir, 'x');
    await mkdir(x);
    await run('tar', ['-xf', saved, '-C', x]);
    const manifestJson = JSON.parse(await readFile(path.join(x, 'manifest.json'), 'utf8'));
    assert.deepEqual(manifestJson.find((m: { Config: string }) => m.Config.endsWith(hex(info.id))), {
      Config: `blobs/sha256/${hex(info.id)}`,
      RepoTags: ['busybox:latest', 'localhost:5000/copy:v1'],
      Layers: info.rootfs.diff_ids.map((d) => `blobs/sha256/${hex(d)}`),
    });
    const index = JSON.parse(await readFile(path.join(x, 'index.json'), 'utf8'));
    assert.deepEqual(index.manifests.map((m: { annotations?: Record<string, string> }) => m.annotations?.['io.containerd.image.name']).sort(), [
      'docker.io/library/busybox:latest',
      'localhost:5000/copy:v1',
      undefined,
    ]);
    for (const m of index.manifests) {
      const bytes = await readFile(path.join(x, 'blobs', 'sha256', hex(m.digest)));
      assert.equal(sha(bytes), m.digest);
      assert.equal(JSON.parse(bytes.toString()).mediaType, MediaType.ociManifest);
    }
    assert.deepEqual(JSON.parse(await readFile(path.join(x, 'repositories'), 'utf8')), {
      busybox: { latest: hex(info.rootfs.diff_ids[1]) },
      'localhost:5000/copy': { v1: hex(info.rootfs.diff_ids[1]) },
    });

    const fresh = await newEnv(env.dir, 'b');
    const loaded = await fresh.service.load(createReadStream(saved));
    assert.deepEqual(loaded.sort(), ['busybox:latest', 'localhost:5000/copy:v1', untagged.id].sort());
    const again = await fresh.service.inspect('localhost:5000/copy:v1');
    assert.equal(again.id, info.id);
    assert.deepEqual(again.repoTags, ['busybox:latest', 'localhost:5000/copy:v1']);
    assert.equal(again.size, info.size);
    assert.equal((await fresh.service.inspect(untagged.id)).repoTags.length, 0);
    await checkRootfs(fresh, 'localhost:5000/copy:v1');

    // Saving the repository name alone takes all its tags.
    const repoOnly = path.join(env.dir, 'repo.tar');
    await env.service.save(['localhost:5000/copy'], createWriteStream(repoOnly));
    const third = await newEnv(env.dir, 'c');
    assert.deepEqual(await third.service.load(createReadStream(repoOnly)), ['localhost:5000/copy:v1']);
    await assert.rejects(env.service.save(['nothere:1'], createWriteStream(path.join(env.dir, 'n.tar'))), (e) => isBerthError(e, 'not_found'));
  }));

test('a legacy docker-archive (pre-25: <id>/layer.tar, symlinked duplicate layers) loads', () =>
  withEnv(async (env) => {
    const [base, top] = await twoLayers(env.dir);
    const out = path.join(env.dir, 'legacy');
    for (const id of ['aaa', 'bbb', 'ccc']) await mkdir(path.join(out, id), { recursive: true });
    await writeFile(path.join(out, 'aaa', 'layer.tar'), base);
    await writeFile(path.join(out, 'bbb', 'layer.tar'), top);
    await symlink('../aaa/layer.tar', path.join(out, 'ccc', 'layer.tar'));
    // The base layer again on top (a legal, if odd, image): its own chain ID.
    const cfg = Buffer.from(JSON.stringify({ ...imageConfig([sha(base), sha(top), sha(base)]), history: undefined }));
    await writeFile(path.join(out, `${hex(sha(cfg))}.json`), cfg);
    await writeFile(path.join(out, 'manifest.json'), JSON.stringify([
      { Config: `${hex(sha(cfg))}.json`, RepoTags: ['legacy:1'], Layers: ['aaa/layer.tar', 'bbb/layer.tar', 'ccc/layer.tar'] },
    ]));
    await writeFile(path.join(out, 'repositories'), JSON.stringify({ legacy: { 1: 'ccc' } }));
    assert.deepEqual(await env.service.load(tarOf(out, true)), ['legacy:1']);
    const resolved = await env.service.resolve('legacy:1');
    assert.equal(resolved.id, sha(cfg));
    assert.equal(new Set(resolved.chainIds).size, 3);
    assert.equal((await env.service.history('legacy:1')).length, 3);
  }));

test('hostile archives are refused without touching anything outside', () =>
  withEnv(async (env) => {
    const out = path.join(env.dir, 'hostile');
    await mkdir(out);
    await symlink('/etc/passwd', path.join(out, 'layer.tar'));
    await writeFile(path.join(out, 'c.json'), JSON.stringify(imageConfig([])));
    await writeFile(path.join(out, 'manifest.json'), JSON.stringify([{ Config: 'c.json', RepoTags: ['evil:1'], Layers: ['layer.tar'] }]));
    await assert.rejects(env.service.load(tarOf(out)), /points outside the archive/);
    await writeFile(path.join(out, 'manifest.json'), JSON.stringify([{ Config: '../../../../etc/hostname', Layers: [] }]));
    await assert.rejects(env.service.load(tarOf(out)), (e) => isBerthError(e, 'invalid_argument'));
    assert.deepEqual(await env.service.list({ all: false, filters: {} }), []);
    assert.deepEqual(await readdir(path.join(env.dir, 'a', 'image', 'tmp')), []);
  }));

test('an OCI archive named only by org.opencontainers.image.ref.name tags gets no names but loads', () =>
  withEnv(async (env) => {
    const archive = await docker28Archive(env.dir, await twoLayers(env.dir));
    const index = JSON.parse(await readFile(path.join(archive, 'index.json'), 'utf8'));
    index.manifests[0].annotations = { 'org.opencontainers.image.ref.name': 'latest' };
    await writeFile(path.join(archive, 'index.json'), JSON.stringify(index));
    await writeFile(path.join(archive, 'manifest.json'), '[]');
    const loaded = await env.service.load(tarOf(archive));
    assert.equal(loaded.length, 1);
    assert.match(loaded[0], /^sha256:/);
  }));

test('skopeo (containers/image) reads what save writes, and what it writes loads back', () =>
  withEnv(async (env) => {
    const img = await env.service.importRootfs(tarOf(await busyboxRootfs(env.dir), true), { ref: 'demo/app:1', changes: ['CMD ["sh"]'] });
    const saved = path.join(env.dir, 'saved.tar');
    await env.service.save(['demo/app:1'], createWriteStream(saved));
    const inspected = JSON.parse(await run('skopeo', ['inspect', `docker-archive:${saved}`]));
    assert.deepEqual(inspected.Layers, img.rootfs.diff_ids);
    await run('skopeo', ['copy', '-q', `docker-archive:${saved}`, `oci-archive:${env.dir}/oci.tar:foo/bar:v2`]);
    await run('skopeo', ['copy', '-q', `oci-archive:${saved}`, `docker-archive:${env.dir}/legacy.tar:other:v3`]);
    const fresh = await newEnv(env.dir, 'b');
    assert.deepEqual(await fresh.service.load(createReadStream(path.join(env.dir, 'oci.tar'))), ['foo/bar:v2']);
    assert.deepEqual(await fresh.service.load(createReadStream(path.join(env.dir, 'legacy.tar'))), ['other:v3']);
    for (const ref of ['foo/bar:v2', 'other:v3']) {
      const info = await fresh.service.inspect(ref);
      assert.deepEqual(info.rootfs.diff_ids, img.rootfs.diff_ids);
      assert.deepEqual(info.config.Cmd, ['sh']);
    }
  }));

// The distribution client against the real docker-registry (anonymous), in a private network namespace.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { collect } from '../archive/test-helpers.js';
import { sha256 } from '../content/digest.js';
import { isBerthError } from '../errors.js';
import { silentLogger } from '../util/logger.js';
import { createRegistryClient } from './client.js';
import { createRegistryHosts } from './hosts.js';
import { inOwnNetns, runInOwnNetns } from './testing/netns.js';
import { writeOciLayout, skopeoPush, type BuiltTag } from './testing/oci-layout.js';
import { startProxy } from './testing/proxy.js';
import { startRegistry, type TestRegistry } from './testing/registry-server.js';
import type { RegistryClient } from './types.js';

if (!inOwnNetns()) {
  test('distribution client (in a private network namespace)', (t) => runInOwnNetns(t, fileURLToPath(import.meta.url)));
} else {
  let dir: string;
  let reg: TestRegistry;
  let built: Record<string, BuiltTag>;
  let client: RegistryClient;
  const layout = () => path.join(dir, 'layout');
  const blobOf = (digest: string) => readFile(path.join(layout(), 'blobs/sha256', digest.slice(7)));

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'berth-registry-'));
    reg = await startRegistry(path.join(dir, 'reg'));
    built = await writeOciLayout(layout(), {
      v1: { layers: [{ files: { 'a.txt': 'alpha' } }, { files: { 'b.txt': randomBytes(1 << 20).toString('base64') } }] },
      multi: [
        { layers: [{ files: { arch: 'amd64' } }], platform: { os: 'linux', architecture: 'amd64' } },
        { layers: [{ files: { arch: 'arm64' } }], platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    });
    await skopeoPush(layout(), 'v1', `${reg.host}/test/app:v1`);
    await skopeoPush(layout(), 'multi', `${reg.host}/test/app:multi`);
    client = createRegistryClient({ hosts: createRegistryHosts(), logger: silentLogger, retries: 2, backoffMs: 10 });
  });

  after(async () => {
    await reg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('manifests by tag and by digest, with the media type the registry stored', async () => {
    const repo = client.repository(reg.host, 'test/app');
    const byTag = await repo.getManifest('v1');
    assert.equal(byTag.digest, built.v1.top.digest);
    assert.equal(byTag.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.deepEqual(byTag.bytes, await blobOf(built.v1.top.digest));
    const byDigest = await repo.getManifest(built.v1.top.digest);
    assert.equal(byDigest.digest, built.v1.top.digest);
    const index = await repo.getManifest('multi');
    assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.equal(index.digest, built.multi.top.digest);
    const head = await repo.headManifest('multi');
    assert.equal(head?.digest, built.multi.top.digest);
    assert.equal(head?.size, built.multi.top.size);
    assert.equal(await repo.headManifest('nope'), undefined);
    assert.equal(repo.endpoint.url, `http://${reg.host}`);
  });

  test('a missing manifest is not_found with Docker\'s message', async () => {
    const repo = client.repository(reg.host, 'test/app');
    await assert.rejects(repo.getManifest('nope'), (err) => {
      assert.ok(isBerthError(err, 'not_found'));
      assert.equal(err.message, `manifest for ${reg.host}/test/app:nope not found: manifest unknown: manifest unknown`);
      return true;
    });
    await assert.rejects(client.repository(reg.host, 'test/none').getManifest('v1'), (err) => isBerthError(err, 'not_found'));
  });

  test('blobs stream verified; HEAD tells presence and size', async () => {
    const repo = client.repository(reg.host, 'test/app');
    const layer = built.v1.images[0].layers[1];
    const { stream, size } = await repo.getBlob(layer.digest, -1);
    assert.equal(size, layer.size);
    assert.deepEqual(await collect(stream), await blobOf(layer.digest));
    assert.equal(await repo.headBlob(layer.digest), layer.size);
    assert.equal(await repo.headBlob(sha256('nothing')), undefined);
    await assert.rejects(repo.getBlob(sha256('nothing'), 7), (err) => isBerthError(err, 'not_found'));
    await assert.rejects(repo.getBlob('sha256:../../x', 1), (err) => isBerthError(err, 'invalid_argument'));
  });

  test('a dropped download resumes with a Range request', async () => {
    const layer = built.v1.images[0].layers[1];
    let cuts = 0;
    const proxy = await startProxy(reg.host, (req) =>
      req.url.includes('/blobs/') && cuts++ === 0 ? { kind: 'cut', after: Math.floor(layer.size / 3) } : { kind: 'forward' },
    );
    try {
      const repo = client.repository(proxy.host, 'test/app');
      const { stream } = await repo.getBlob(layer.digest, layer.size);
      assert.deepEqual(await collect(stream), await blobOf(layer.digest));
      const gets = proxy.requests.filter((r) => r.url.includes('/blobs/'));
      assert.equal(gets.length, 2);
      // It resumes from what had arrived before the cut (some bytes may have been lost in flight).
      const from = Number(/^bytes=(\d+)-$/.exec(String(gets[1].headers.range))?.[1]);
      assert.ok(from > 0 && from <= Math.floor(layer.size / 3), `resumed from ${from}`);
    } finally {
      await proxy.stop();
    }
  });

  test('5xx answers are retried with backoff', async () => {
    let failures = 0;
    const proxy = await startProxy(reg.host, (req) =>
      req.url.includes('/manifests/') && failures++ < 2 ? { kind: 'respond', status: 503, body: 'busy' } : { kind: 'forward' },
    );
    try {
      const m = await client.repository(proxy.host, 'test/app').getManifest('v1');
      assert.equal(m.digest, built.v1.top.digest);
      assert.equal(proxy.requests.filter((r) => r.url.includes('/manifests/')).length, 3);
    } finally {
      await proxy.stop();
    }
  });

  test('a tampered blob is refused: the stream errors instead of ending', async () => {
    await skopeoPush(layout(), 'v1', `${reg.host}/test/tamper:v1`);
    const layer = built.v1.images[0].layers[0];
    const file = reg.blobFile(layer.digest);
    const good = await readFile(file);
    const bad = Buffer.from(good);
    bad[bad.length - 5] ^= 0xff;
    await writeFile(file, bad);
    try {
      const { stream } = await client.repository(reg.host, 'test/tamper').getBlob(layer.digest, layer.size);
      await assert.rejects(collect(stream), (err) => {
        assert.ok(isBerthError(err, 'invalid_argument'));
        assert.equal(err.message, `filesystem layer verification failed for digest ${layer.digest}`);
        return true;
      });
    } finally {
      await writeFile(file, good);
    }
  });

  test('uploads: monolithic, one streaming PATCH, and chunked PATCHes; then a manifest and tags', async () => {
    const repo = client.repository(reg.host, 'test/upload', { push: true });
    const blobs = [Buffer.from('x'.repeat(100_000)), Buffer.from('y'.repeat(70_001)), Buffer.from('z'.repeat(10))];
    let progress = 0;
    const mono = await repo.uploadBlob(Readable.from([blobs[0]]), { digest: sha256(blobs[0]), size: blobs[0].length }, { onProgress: (n) => (progress = n) });
    assert.deepEqual(mono, { digest: sha256(blobs[0]), size: blobs[0].length });
    assert.equal(progress, blobs[0].length);
    const streamed = await repo.uploadBlob(Readable.from([blobs[1].subarray(0, 5), blobs[1].subarray(5)]), {});
    assert.equal(streamed.digest, sha256(blobs[1]));
    const chunked = await repo.uploadBlob(Readable.from([blobs[1]]), {}, { chunkSize: 16_384 });
    assert.equal(chunked.digest, sha256(blobs[1]));
    const config = await repo.uploadBlob(Readable.from([blobs[2]]), { digest: sha256(blobs[2]) });
    for (const b of blobs) {
      const { stream } = await repo.getBlob(sha256(b), b.length);
      assert.deepEqual(await collect(stream), b);
    }
    await assert.rejects(
      repo.uploadBlob(Readable.from([Buffer.from('other')]), { digest: sha256('something else'), size: 5 }),
      (err) => isBerthError(err, 'invalid_argument'),
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.size },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: mono.digest, size: mono.size }],
      }),
    );
    assert.equal(await repo.putManifest('t1', manifest, 'application/vnd.oci.image.manifest.v1+json'), sha256(manifest));
    await repo.putManifest('t2', manifest, 'application/vnd.oci.image.manifest.v1+json');
    assert.deepEqual((await repo.listTags()).sort(), ['t1', 't2']);
    assert.deepEqual((await repo.getManifest('t1')).bytes, manifest);
  });

  test('cross-repository mount', async () => {
    const layer = built.v1.images[0].layers[0];
    const repo = client.repository(reg.host, 'test/mounted', { push: true });
    assert.equal(await repo.headBlob(layer.digest), undefined);
    assert.equal(await repo.mountBlob(layer.digest, 'test/app'), true);
    assert.equal(await repo.headBlob(layer.digest), layer.size);
    assert.equal(await repo.mountBlob(sha256('not there'), 'test/app'), false);
  });

  test('mirrors are tried first and fall back to the origin', async () => {
    const mirrorReg = await startRegistry(path.join(dir, 'mirror'));
    try {
      await skopeoPush(layout(), 'multi', `${mirrorReg.host}/test/app:multi`);
      const hosts = createRegistryHosts({ mirrorMap: { [reg.host]: [`http://${mirrorReg.host}`] } });
      const viaMirror = createRegistryClient({ hosts, logger: silentLogger, retries: 0 });
      const repo = viaMirror.repository(reg.host, 'test/app');
      assert.equal((await repo.getManifest('multi')).digest, built.multi.top.digest);
      assert.equal(repo.endpoint.mirror, true);
      const other = viaMirror.repository(reg.host, 'test/app');
      assert.equal((await other.getManifest('v1')).digest, built.v1.top.digest);
      assert.equal(other.endpoint.mirror, false);
      assert.equal(other.endpoint.url, `http://${reg.host}`);
      const pushRepo = viaMirror.repository(reg.host, 'test/app', { push: true });
      assert.equal(pushRepo.endpoint.mirror, false);
    } finally {
      await mirrorReg.stop();
    }
  });
}

// Pull and push through the registry service into a real local image store, against the real docker-registry,
// in a private network namespace.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBerthError } from '../errors.js';
import { createRegistryClient } from '../registry/client.js';
import { createCredentialStore } from '../registry/credentials.js';
import { createRegistryHosts } from '../registry/hosts.js';
import { inOwnNetns, runInOwnNetns } from '../registry/testing/netns.js';
import { skopeoInspectRaw, skopeoPush, writeOciLayout, zstdAvailable, type BuiltTag } from '../registry/testing/oci-layout.js';
import { startProxy } from '../registry/testing/proxy.js';
import { startRegistry, type TestRegistry } from '../registry/testing/registry-server.js';
import type { ProgressMessage } from '../registry/types.js';
import { mountAll, unmountAll } from '../snapshot/mount.js';
import { silentLogger } from '../util/logger.js';
import { shortId } from './registry-progress.js';
import { createRegistryService, type RegistryService } from './registry-service.js';
import { busyboxRootfs, newEnv, tarOf, type TestEnv } from './test-fixtures.js';

const user = { username: 'bob', password: 'builder-pass-7' };

if (!inOwnNetns()) {
  test('pull and push through the registry service (in a private network namespace)', (t) => runInOwnNetns(t, fileURLToPath(import.meta.url)));
} else {
  let dir: string;
  let reg: TestRegistry;
  let privateReg: TestRegistry;
  let built: Record<string, BuiltTag>;
  let envCount = 0;
  const layout = () => path.join(dir, 'layout');
  const zstd = zstdAvailable();

  /** A fresh local store and a registry service over it (host: the registry to talk to, maybe a proxy). */
  async function setup(credentialsFile?: string) {
    const env = await newEnv(dir, `env-${envCount++}`);
    const credentials = credentialsFile ? createCredentialStore(credentialsFile) : undefined;
    const client = createRegistryClient({ hosts: createRegistryHosts(), logger: silentLogger, retries: 0, credentials: credentials?.get });
    const registry = createRegistryService({ images: env.service, content: env.content, client, credentials, logger: silentLogger });
    return { env, registry };
  }

  async function pull(registry: RegistryService, ref: string, opts: Parameters<RegistryService['pullImage']>[1] = {}) {
    const messages: ProgressMessage[] = [];
    const info = await registry.pullImage(ref, { ...opts, onProgress: (m) => messages.push(m) });
    return { info, messages, statuses: messages.map((m) => (m.id ? `${m.id}: ${m.status}` : m.status ?? '')) };
  }

  async function fileInImage(env: TestEnv, imageId: string, file: string): Promise<string> {
    const mnt = path.join(dir, `mnt-${envCount++}`);
    await mkdir(mnt);
    const key = `read-${envCount}`;
    mountAll(await env.service.prepareRootfs(imageId, key), mnt);
    try {
      return await readFile(path.join(mnt, file), 'utf8');
    } finally {
      unmountAll(mnt);
      await env.service.removeRootfs(key);
    }
  }

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'berth-registry-service-'));
    reg = await startRegistry(path.join(dir, 'reg'));
    privateReg = await startRegistry(path.join(dir, 'private'), { htpasswd: user });
    built = await writeOciLayout(layout(), {
      v1: { layers: [{ files: { 'etc/one': 'first layer' } }, { files: { 'etc/two': 'second layer' } }] },
      multi: [
        { layers: [{ files: { 'etc/arch': 'amd64' } }], platform: { os: 'linux', architecture: 'amd64' } },
        { layers: [{ files: { 'etc/arch': 'arm64' } }], platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
      ...(zstd ? { zstd: { layers: [{ files: { 'etc/zstd': 'from a zstd layer' }, compression: 'zstd' as const }] } } : {}),
    });
    await skopeoPush(layout(), 'v1', `${reg.host}/test/app:v1`);
    await skopeoPush(layout(), 'multi', `${reg.host}/test/multi:latest`);
    if (zstd) await skopeoPush(layout(), 'zstd', `${reg.host}/test/zstd:1`);
    await skopeoPush(layout(), 'v1', `${privateReg.host}/secret/app:v1`, `${user.username}:${user.password}`);
  });

  after(async () => {
    await reg?.stop();
    await privateReg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('pull by tag: Docker progress messages; a second pull is up to date', async () => {
    const { env, registry } = await setup();
    const ref = `${reg.host}/test/app:v1`;
    const first = await pull(registry, ref);
    const image = built.v1.images[0];
    assert.equal(first.info.id, image.config.digest);
    assert.deepEqual(first.info.repoTags, [ref]);
    assert.equal(first.statuses[0], 'v1: Pulling from test/app');
    for (const layer of image.layers) {
      const id = shortId(layer.digest);
      const mine = first.statuses.filter((s) => s.startsWith(`${id}: `)).map((s) => s.slice(id.length + 2));
      assert.deepEqual(
        mine.filter((s) => s !== 'Downloading'),
        ['Pulling fs layer', 'Verifying Checksum', 'Download complete', 'Extracting', 'Pull complete'],
      );
    }
    assert.deepEqual(first.statuses.slice(-2), [`Digest: ${built.v1.top.digest}`, `Status: Downloaded newer image for ${ref}`]);
    const downloading = first.messages.find((m) => m.status === 'Downloading');
    assert.ok(downloading?.progressDetail?.total && downloading.progressDetail.current !== undefined);
    assert.equal(await fileInImage(env, first.info.id, 'etc/two'), 'second layer');

    const again = await pull(registry, ref);
    assert.equal(again.info.id, first.info.id);
    for (const layer of image.layers) assert.ok(again.statuses.includes(`${shortId(layer.digest)}: Already exists`));
    assert.equal(again.statuses.at(-1), `Status: Image is up to date for ${ref}`);
  });

  test('pull by digest, a multi-arch index for the host or the asked platform', async () => {
    const { env, registry } = await setup();
    const byDigest = await pull(registry, `${reg.host}/test/app@${built.v1.top.digest}`);
    assert.equal(byDigest.info.id, built.v1.images[0].config.digest);
    assert.equal(byDigest.statuses[0], `${built.v1.top.digest}: Pulling from test/app`);

    const amd = await pull(registry, `${reg.host}/test/multi`);
    assert.equal(amd.info.id, built.multi.images[0].config.digest);
    assert.equal(amd.info.architecture, 'amd64');
    assert.equal(amd.statuses.at(-2), `Digest: ${built.multi.top.digest}`);
    assert.equal(await fileInImage(env, amd.info.id, 'etc/arch'), 'amd64');
    const { env: other, registry: otherRegistry } = await setup();
    const arm = await pull(otherRegistry, `${reg.host}/test/multi`, { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } });
    assert.equal(arm.info.id, built.multi.images[1].config.digest);
    assert.equal(arm.info.architecture, 'arm64');
    assert.equal(await fileInImage(other, arm.info.id, 'etc/arch'), 'arm64');
  });

  test('zstd layers are decompressed while unpacking', { skip: zstd ? false : 'the zstd CLI is not installed (apt-get install zstd)' }, async () => {
    const { env, registry } = await setup();
    const z = await pull(registry, `${reg.host}/test/zstd:1`);
    assert.equal(await fileInImage(env, z.info.id, 'etc/zstd'), 'from a zstd layer');
  });

  test('a missing image or tag is not_found', async () => {
    const { registry } = await setup();
    await assert.rejects(registry.pullImage(`${reg.host}/test/app:nope`), (e) =>
      isBerthError(e, 'not_found') && e.message === `manifest for ${reg.host}/test/app:nope not found: manifest unknown: manifest unknown`);
    await assert.rejects(registry.pullImage(`${reg.host}/test/none`), (e) => isBerthError(e, 'not_found'));
  });

  test('a tampered layer is refused and leaves no image and no blob behind', async () => {
    await skopeoPush(layout(), 'v1', `${reg.host}/test/tamper:v1`);
    const { env, registry } = await setup();
    const layer = built.v1.images[0].layers[1];
    const file = reg.blobFile(layer.digest);
    const good = await readFile(file);
    const bad = Buffer.from(good);
    bad[Math.floor(bad.length / 2)] ^= 0x55;
    await writeFile(file, bad);
    try {
      await assert.rejects(registry.pullImage(`${reg.host}/test/tamper:v1`), (e) => isBerthError(e, 'invalid_argument') && /verification failed|digest mismatch/.test(e.message));
    } finally {
      await writeFile(file, good);
    }
    await assert.rejects(env.service.inspect(`${reg.host}/test/tamper:v1`), (e) => isBerthError(e, 'not_found'));
    assert.equal(await env.content.info(layer.digest), undefined);
    assert.deepEqual(await env.service.list({ all: true, filters: {} }), []);
    // Layers unpacked while the others were still downloading are gone too.
    const snapshots: string[] = [];
    await env.snapshotter.walk((i) => void snapshots.push(i.key));
    assert.deepEqual(snapshots, []);
  });

  test('a private registry refuses anonymous pulls and accepts them after login', async () => {
    const creds = path.join(dir, 'docker-config.json');
    const { registry } = await setup(creds);
    const ref = `${privateReg.host}/secret/app:v1`;
    await assert.rejects(registry.pullImage(ref), (e) => isBerthError(e, 'unauthorized') && e.message.includes('pull access denied'));
    await assert.rejects(registry.login(privateReg.host, { ...user, password: 'guess' }, { save: true }), (e) =>
      isBerthError(e, 'unauthorized') && e.message === `login attempt to http://${privateReg.host}/v2/ failed with status: 401 Unauthorized`);
    assert.deepEqual(await registry.login(privateReg.host, user, { save: true }), { domain: privateReg.host, status: 'Login Succeeded' });
    assert.equal((await registry.pullImage(ref)).id, built.v1.images[0].config.digest);
    const { registry: noStore } = await setup();
    assert.equal((await noStore.pullImage(ref, { auth: user })).id, built.v1.images[0].config.digest);
  });

  test('push: mounts from where layers came, uploads new ones gzipped, then finds them there', async () => {
    const { env, registry } = await setup();
    await registry.pullImage(`${reg.host}/test/app:v1`);
    const target = `${reg.host}/pushed/app:v1`;
    await env.service.tag(`${reg.host}/test/app:v1`, target);
    const messages: ProgressMessage[] = [];
    const result = await registry.pushImage(target, { onProgress: (m) => messages.push(m) });
    assert.deepEqual(result, { tag: 'v1', digest: built.v1.top.digest, size: built.v1.top.size });
    assert.equal(messages[0].status, `The push refers to repository [${reg.host}/pushed/app]`);
    for (const layer of built.v1.images[0].layers) {
      assert.deepEqual(messages.filter((m) => m.id === shortId(layer.digest)).map((m) => m.status), ['Preparing', 'Mounted from test/app']);
    }
    assert.equal(messages.at(-2)?.status, `v1: digest: ${built.v1.top.digest} size: ${built.v1.top.size}`);
    assert.deepEqual(messages.at(-1)?.aux, { Tag: 'v1', Digest: built.v1.top.digest, Size: built.v1.top.size });

    const imported = await env.service.importRootfs(tarOf(await busyboxRootfs(dir)), { ref: `${reg.host}/imported/bb:1`, changes: [] });
    const pushMessages: ProgressMessage[] = [];
    const pushed = await registry.pushImage(`${reg.host}/imported/bb:1`, { onProgress: (m) => pushMessages.push(m) });
    assert.ok(pushMessages.some((m) => m.status === 'Pushed'));
    const raw = JSON.parse(await skopeoInspectRaw(`${reg.host}/imported/bb:1`));
    assert.equal(raw.config.digest, imported.id);
    assert.equal(raw.layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
    const again: ProgressMessage[] = [];
    assert.equal((await registry.pushImage(`${reg.host}/imported/bb:1`, { onProgress: (m) => again.push(m) })).digest, pushed.digest);
    assert.ok(again.some((m) => m.status === 'Layer already exists'), JSON.stringify(again));

    // Round trip: the pushed image pulled into another store is the same image and runs from the same files.
    const { env: fresh, registry: freshRegistry } = await setup();
    const back = await freshRegistry.pullImage(`${reg.host}/imported/bb:1`);
    assert.equal(back.id, imported.id);
    assert.equal(await fileInImage(fresh, back.id, 'etc/hostname'), 'berth\n');
    await assert.rejects(registry.pushImage(`${reg.host}/not/local:1`), (e) => isBerthError(e, 'not_found'));
  });

  test('concurrent pulls of one image download each layer once', async () => {
    const proxy = await startProxy(reg.host);
    try {
      const { registry } = await setup();
      const ref = `${proxy.host}/test/app:v1`;
      const [a, b] = await Promise.all([registry.pullImage(ref), registry.pullImage(ref)]);
      assert.equal(a.id, b.id);
      for (const layer of built.v1.images[0].layers) {
        const gets = proxy.requests.filter((r) => r.method === 'GET' && r.url.endsWith(`/blobs/${layer.digest}`));
        assert.equal(gets.length, 1, `${layer.digest} downloaded ${gets.length} times`);
      }
    } finally {
      await proxy.stop();
    }
  });
}

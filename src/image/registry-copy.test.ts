// copyImage between two registry repositories (the registry source and destination on both ends), checked with
// skopeo, in a private network namespace: uploads, "Layer already exists", cross-repository mounts, progress.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistryClient } from '../registry/client.js';
import { createRegistryHosts } from '../registry/hosts.js';
import { inOwnNetns, runInOwnNetns } from '../registry/testing/netns.js';
import { skopeoInspectRaw, skopeoPush, writeOciLayout, zstdAvailable, type BuiltTag } from '../registry/testing/oci-layout.js';
import { startRegistry, type TestRegistry } from '../registry/testing/registry-server.js';
import type { ProgressMessage, RegistryClient } from '../registry/types.js';
import { sha256 } from '../content/digest.js';
import { silentLogger } from '../util/logger.js';
import { copyImage } from './copy.js';
import { parseReference } from './reference.js';
import { createBlobMemory } from './registry-blob-memory.js';
import { createRegistryDestination } from './registry-destination.js';
import { createPushReporter, shortId } from './registry-progress.js';
import { createRegistrySource } from './registry-source.js';

if (!inOwnNetns()) {
  test('copy between registries (in a private network namespace)', (t) => runInOwnNetns(t, fileURLToPath(import.meta.url)));
} else {
  let dir: string;
  let reg: TestRegistry;
  let built: Record<string, BuiltTag>;
  let client: RegistryClient;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'berth-registry-copy-'));
    reg = await startRegistry(path.join(dir, 'reg'));
    const zstd = zstdAvailable();
    built = await writeOciLayout(path.join(dir, 'layout'), {
      v1: {
        layers: [
          { files: { 'etc/base': 'base' } },
          { files: { 'etc/zstd': 'z'.repeat(10_000) }, compression: zstd ? 'zstd' : 'none' },
          { files: { 'etc/plain': 'plain' }, compression: 'none' },
        ],
      },
    });
    await skopeoPush(path.join(dir, 'layout'), 'v1', `${reg.host}/src/app:v1`);
    client = createRegistryClient({ hosts: createRegistryHosts(), logger: silentLogger, retries: 0 });
  });

  after(async () => {
    await reg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const memory = createBlobMemory();

  /** Copies src/app:v1 to target with Docker-style push messages; returns the messages and the pushed digest. */
  async function copyTo(target: string, mountFrom: string[] = []) {
    const messages: ProgressMessage[] = [];
    const reporter = createPushReporter((m) => messages.push(m), 0);
    const from = parseReference(`${reg.host}/src/app:v1`);
    const to = parseReference(`${reg.host}/${target}`);
    const source = createRegistrySource(client.repository(from.domain, from.path), from);
    const destination = createRegistryDestination(client.repository(to.domain, to.path, { push: true }), to, {
      aliases: memory.aliases,
      mountCandidates: () => mountFrom,
      onReuse: reporter.reused,
    });
    reporter.prepare(built.v1.images[0].layers, 3);
    const result = await copyImage(source, destination, { onProgress: reporter.copy });
    memory.rememberPush(built.v1.images[0].layers, destination.pushed!.layers);
    assert.equal(source.resolvedDigest, built.v1.top.digest);
    return { messages, result, pushed: destination.pushed };
  }

  const statuses = (messages: ProgressMessage[], id: string) => messages.filter((m) => m.id === id).map((m) => m.status);

  test('a first copy uploads every layer, the uncompressed one gzipped', async () => {
    const { messages, result, pushed } = await copyTo('dst/app:v1');
    const local = built.v1.images[0].layers;
    assert.equal(pushed?.digest, result.digest);
    const rawText = await skopeoInspectRaw(`${reg.host}/dst/app:v1`);
    assert.equal(sha256(rawText), pushed?.digest);
    const raw = JSON.parse(rawText);
    assert.deepEqual(raw.layers.slice(0, 2).map((l: { digest: string }) => l.digest), local.slice(0, 2).map((l) => l.digest));
    assert.equal(raw.layers[2].mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
    assert.notEqual(raw.layers[2].digest, local[2].digest);
    assert.equal(raw.config.digest, built.v1.images[0].config.digest);
    for (const layer of built.v1.images[0].layers) {
      const s = statuses(messages, shortId(layer.digest));
      assert.equal(s[0], 'Preparing');
      assert.ok(s.includes('Pushing'), JSON.stringify(s));
      assert.equal(s.at(-1), 'Pushed');
    }
    const progress = messages.find((m) => m.status === 'Pushing' && (m.progressDetail?.current ?? 0) > 0);
    assert.match(progress?.progress ?? '', /^\[=*>\s*\]\s+\d/);
  });

  test('a second copy finds the layers there; another repository mounts them', async () => {
    const again = await copyTo('dst/app:v2');
    for (const layer of built.v1.images[0].layers) {
      assert.deepEqual(statuses(again.messages, shortId(layer.digest)), ['Preparing', 'Layer already exists']);
    }
    const mounted = await copyTo('other/app:v1', ['nothing/here', 'dst/app']);
    for (const layer of built.v1.images[0].layers) {
      assert.deepEqual(statuses(mounted.messages, shortId(layer.digest)), ['Preparing', 'Mounted from dst/app']);
    }
    assert.equal(JSON.parse(await skopeoInspectRaw(`${reg.host}/other/app:v1`)).config.digest, built.v1.images[0].config.digest);
  });
}

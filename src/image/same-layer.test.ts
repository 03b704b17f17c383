import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createContentStore } from '../content/local-store.js';
import { sha256 } from '../content/digest.js';
import { findSameLayer } from './same-layer.js';
import { MediaType } from './types.js';

test('a layer is found by diffID: stored uncompressed, or compressed for another image, in the flavour asked for', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-same-layer-'));
  try {
    const content = createContentStore(root);
    const tar = Buffer.alloc(4096, 'layer');
    const diffId = sha256(tar);
    const gz = gzipSync(tar);
    const wantDocker = { mediaType: MediaType.dockerLayerGzip, digest: sha256('elsewhere'), size: 10 };
    const wantOci = { ...wantDocker, mediaType: MediaType.ociLayerGzip };
    const gzLayer = { blob: { mediaType: MediaType.ociLayerGzip, digest: sha256(gz), size: gz.length }, diffId, chainId: diffId, size: 0, tarSize: 0 };
    const zstdLayer = { ...gzLayer, blob: { mediaType: MediaType.ociLayerZstd, digest: sha256('zstd bytes'), size: 10 } };

    assert.equal(await findSameLayer(content, [gzLayer], wantDocker, diffId), undefined, 'nothing stored yet');
    await content.writeBlob(Buffer.from('zstd bytes'));
    assert.equal(await findSameLayer(content, [zstdLayer], wantDocker, diffId), undefined, 'Docker manifests name no zstd layers');
    assert.deepEqual(await findSameLayer(content, [zstdLayer], wantOci, diffId), zstdLayer.blob);
    await content.writeBlob(gz);
    assert.deepEqual(await findSameLayer(content, [gzLayer], wantDocker, diffId), { mediaType: MediaType.dockerLayerGzip, digest: sha256(gz), size: gz.length });
    await content.writeBlob(tar);
    assert.deepEqual(await findSameLayer(content, [], wantOci, diffId), { mediaType: MediaType.ociLayer, digest: diffId, size: tar.length });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

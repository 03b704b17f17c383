import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { buildTar } from '../archive/test-helpers.js';
import { sha256 } from '../content/digest.js';
import type { Descriptor } from '../content/types.js';
import { encodeJson } from './manifest.js';
import { withEnv } from './test-fixtures.js';
import { MediaType, type ImageSource } from './types.js';

/** An image held in memory; the blob named late comes from the given stream instead. */
async function memoryImage(late: { index: number; stream: Readable }) {
  const blobs = new Map<string, Buffer>();
  const put = (b: Buffer, mediaType: string): Descriptor => {
    blobs.set(sha256(b), b);
    return { mediaType, digest: sha256(b), size: b.length };
  };
  const tars = await Promise.all([0, 1].map((i) => buildTar([{ name: `layer${i}`, type: 'file', data: `layer ${i}` }])));
  const layers = tars.map((t) => put(t, MediaType.ociLayer));
  const config = put(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) } })), MediaType.ociConfig);
  const manifest = encodeJson({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers }, MediaType.ociManifest);
  const source: ImageSource = {
    name: 'memory',
    getManifest: async () => manifest,
    async getBlob(desc) {
      if (desc.digest === layers[late.index].digest) return { stream: late.stream, size: desc.size };
      return { stream: Readable.from([blobs.get(desc.digest)!]), size: desc.size };
    },
    close: async () => undefined,
  };
  return { source, layers };
}

test('layers unpack while the layers above still download; a failed copy takes them away again', () =>
  withEnv(async (env) => {
    const stalled = new PassThrough();
    const { source, layers } = await memoryImage({ index: 1, stream: stalled });
    const seen: string[] = [];
    const pulled = env.service.pullFrom(source, {
      name: 'early:1',
      onUnpack: (p) => {
        seen.push(`${p.kind} ${p.desc.digest === layers[0].digest ? 0 : 1}`);
        // The bottom layer is in its snapshot before the top one has sent a byte: now the top one breaks.
        if (p.kind === 'extracted') stalled.destroy(new Error('connection reset'));
      },
    });
    await assert.rejects(pulled, /connection reset/);
    assert.deepEqual(seen, ['extracting 0', 'extracted 0']);
    const left: string[] = [];
    await env.snapshotter.walk((i) => void left.push(i.key));
    assert.deepEqual(left, []);
    assert.deepEqual(await env.service.list({ all: true, filters: {} }), []);
  }));

// `docker import`: a root filesystem tarball (plain or gzip) becomes a one-layer image; --change edits its config.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decompress } from '../archive/compression.js';
import type { ContentStore } from '../content/types.js';
import { applyChanges } from './changes.js';
import { encodeJson, hostPlatform } from './manifest.js';
import type { LocalCommit } from './local.js';
import { MediaType, type ImageManifest, type OciImage } from './types.js';

export interface ImportOptions {
  message?: string;
  changes: string[];
}

/** Stores the layer, config and manifest of an imported rootfs; returns them as a local commit. */
export async function stageImport(content: ContentStore, tar: Readable, opts: ImportOptions): Promise<LocalCommit> {
  let imageConfig;
  try {
    imageConfig = applyChanges({}, opts.changes);
  } catch (err) {
    tar.destroy();
    throw err;
  }
  const w = await content.writer(`import-${randomBytes(8).toString('hex')}`);
  let layer;
  try {
    await pipeline(tar, decompress, w.stream);
    layer = await w.commit();
  } catch (err) {
    await w.abort();
    throw err;
  }
  const created = new Date().toISOString();
  const comment = opts.message || 'Imported from -';
  const config: OciImage = {
    architecture: hostPlatform().architecture,
    os: 'linux',
    created,
    comment,
    config: imageConfig,
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
    history: [{ created, comment }],
  };
  const configBlob = encodeJson(config, MediaType.ociConfig);
  await content.writeBlob(configBlob.bytes, configBlob.digest);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: configBlob.digest, size: configBlob.bytes.length },
    layers: [{ mediaType: MediaType.ociLayer, digest: layer.digest, size: layer.size }],
  };
  const m = encodeJson(manifest, MediaType.ociManifest);
  await content.writeBlob(m.bytes, m.digest);
  const stored = { desc: { mediaType: MediaType.ociManifest, digest: m.digest, size: m.bytes.length }, bytes: m.bytes };
  return { top: stored, manifest: stored };
}

// `docker commit`: the parent image plus one layer holding a container's changes (its snapshot's upper directory,
// tarred by diffLayer), a config of the container's settings and one more history entry.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sha256 } from '../content/digest.js';
import type { ContentStore, Descriptor } from '../content/types.js';
import type { OciImageConfig } from '../engine/types.js';
import type { LocalCommit } from './local.js';
import { encodeJson, isOciManifest, layerMediaType } from './manifest.js';
import { MediaType, type ImageManifest, type OciImage } from './types.js';

export interface CommitParent {
  id: string;
  config: OciImage;
  manifest: ImageManifest;
}

export interface CommitDetails {
  config: OciImageConfig;
  /** The container's command, for the history entry. */
  createdBy: string;
  comment?: string;
  author?: string;
}

/** What an upper directory without changes tars to: two zero blocks. Such a commit adds no layer. */
const emptyLayerDiffId = sha256(Buffer.alloc(1024));

/** Stores the changes (an uncompressed tar; pushes compress it), the config and the manifest. */
export async function stageCommit(content: ContentStore, parent: CommitParent, changes: Readable, d: CommitDetails): Promise<LocalCommit> {
  const w = await content.writer(`commit-${randomBytes(8).toString('hex')}`);
  let layer;
  try {
    await pipeline(changes, w.stream);
    layer = await w.commit();
  } catch (err) {
    await w.abort();
    throw err;
  }
  const empty = layer.digest === emptyLayerDiffId;
  const oci = isOciManifest(parent.manifest);
  const created = new Date().toISOString();
  const config: OciImage = {
    ...parent.config,
    created,
    config: d.config,
    rootfs: { type: 'layers', diff_ids: [...parent.config.rootfs.diff_ids, ...(empty ? [] : [layer.digest])] },
    history: [
      ...(parent.config.history ?? []),
      {
        created,
        created_by: d.createdBy,
        ...(d.author ? { author: d.author } : {}),
        ...(d.comment ? { comment: d.comment } : {}),
        ...(empty ? { empty_layer: true } : {}),
      },
    ],
    parent: parent.id,
  };
  if (d.author) config.author = d.author;
  else delete config.author;
  if (d.comment) config.comment = d.comment;
  else delete config.comment;
  const configType = oci ? MediaType.ociConfig : MediaType.dockerConfig;
  const configBlob = encodeJson(config, configType);
  await content.writeBlob(configBlob.bytes, configBlob.digest);
  const newLayer: Descriptor = { mediaType: layerMediaType(oci, 'none'), digest: layer.digest, size: layer.size };
  const manifestType = oci ? MediaType.ociManifest : MediaType.dockerManifest;
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: manifestType,
    config: { mediaType: configType, digest: configBlob.digest, size: configBlob.bytes.length },
    layers: [...parent.manifest.layers, ...(empty ? [] : [newLayer])],
  };
  const m = encodeJson(manifest, manifestType);
  await content.writeBlob(m.bytes, m.digest);
  const stored = { desc: { mediaType: manifestType, digest: m.digest, size: m.bytes.length }, bytes: m.bytes };
  return { top: stored, manifest: stored };
}

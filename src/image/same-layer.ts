// A layer already here under another blob: the same content (diffID), compressed differently or not at all, kept
// for another image or loaded uncompressed. A pull takes it instead of downloading the layer again, as Docker does
// for layers it has by diffID (and containers/image with its blob info cache); the manifest is then rewritten to
// name the blob that was kept.
import type { ContentStore, Descriptor, Digest } from '../content/types.js';
import { layerCompression, layerMediaType } from './manifest.js';
import type { LayerRecord } from './store.js';
import { MediaType } from './types.js';

/**
 * A blob in the content store holding the layer whose uncompressed digest is diffId, described in want's flavour
 * (OCI or Docker), or undefined. layers are the layers of the images here.
 */
export async function findSameLayer(content: ContentStore, layers: Iterable<LayerRecord>, want: Descriptor, diffId: Digest): Promise<Descriptor | undefined> {
  const oci = want.mediaType.startsWith('application/vnd.oci.');
  // The uncompressed tar is stored under its diffID (docker load, import, commit); compressed ones under their own.
  const candidates: Descriptor[] = [{ mediaType: MediaType.ociLayer, digest: diffId, size: -1 }];
  for (const l of layers) if (l.diffId === diffId && l.blob.digest !== diffId) candidates.push(l.blob);
  for (const c of candidates) {
    const compression = layerCompression(c.mediaType);
    // Docker's manifests have no media type for zstd layers.
    if (compression === 'zstd' && !oci) continue;
    const info = await content.info(c.digest);
    if (!info) continue;
    const mediaType = compression === 'zstd' ? MediaType.ociLayerZstd : layerMediaType(oci, compression);
    return { mediaType, digest: c.digest, size: info.size };
  }
  return undefined;
}

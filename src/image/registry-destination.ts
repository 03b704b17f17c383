// A registry repository as an ImageDestination: the push side of copyImage. Blobs the registry has already are
// skipped (HEAD), blobs another repository of the same registry has are mounted; the tagged manifest is put
// last, in commit(), so a failed push leaves the tag as it was.
import type { Descriptor, Digest } from '../content/types.js';
import { BerthError } from '../errors.js';
import type { RepositoryClient } from '../registry/types.js';
import { manifestMediaType, parseManifest } from './manifest.js';
import { formatReference, type Reference } from './reference.js';
import { MediaType, type ImageDestination, type ManifestBytes } from './types.js';

/** How tryReusingBlob found a blob: already in the repository, or mounted from another repository path. */
export type BlobReuse = { kind: 'exists' } | { kind: 'mounted'; from: string };

export interface RegistryDestinationOptions {
  /** Digests the registry may know the blob under (desc.digest first), e.g. the compressed form of a local layer. */
  aliases?: (desc: Descriptor) => Descriptor[];
  /** Other repository paths on the same registry that may hold a blob (for cross-repository mounts). */
  mountCandidates?: (digest: Digest) => string[];
  onReuse?: (desc: Descriptor, how: BlobReuse) => void;
  /** Called with every blob uploaded. */
  onStored?: (stored: Descriptor) => void;
}

export interface PushedManifest {
  digest: Digest;
  size: number;
  /** The manifest's layers as the registry now has them. */
  layers: Descriptor[];
}

export interface RegistryDestination extends ImageDestination {
  /** The top-level manifest put by commit(). */
  readonly pushed: PushedManifest | undefined;
}

export function createRegistryDestination(
  repo: RepositoryClient,
  ref: Reference,
  opts: RegistryDestinationOptions = {},
): RegistryDestination {
  let top: ManifestBytes | undefined;
  let pushed: PushedManifest | undefined;

  async function reuse(desc: Descriptor, signal?: AbortSignal): Promise<Descriptor | undefined> {
    for (const d of [desc, ...(opts.aliases?.(desc) ?? [])]) {
      if (!d.digest) continue;
      const size = await repo.headBlob(d.digest, signal);
      if (size !== undefined) {
        opts.onReuse?.(desc, { kind: 'exists' });
        return { ...d, size };
      }
      for (const from of opts.mountCandidates?.(d.digest) ?? []) {
        if (from === ref.path) continue;
        const mounted = await repo.mountBlob(d.digest, from, signal).catch(() => false);
        if (mounted) {
          opts.onReuse?.(desc, { kind: 'mounted', from });
          return d;
        }
      }
    }
    return undefined;
  }

  return {
    name: formatReference(ref),
    supportedManifestMediaTypes: [MediaType.ociManifest, MediaType.dockerManifest, MediaType.ociIndex, MediaType.dockerManifestList],
    desiredLayerCompression: 'compress',
    get pushed() {
      return pushed;
    },
    tryReusingBlob: reuse,
    async putBlob(stream, desc, putOpts = {}) {
      const stored = await repo.uploadBlob(
        stream,
        { digest: desc.digest || undefined, size: desc.size >= 0 ? desc.size : undefined },
        { signal: putOpts.signal, onProgress: putOpts.onProgress },
      );
      const out = { mediaType: desc.mediaType, digest: stored.digest, size: stored.size };
      opts.onStored?.(out);
      return out;
    },
    async putManifest(manifest, instanceDigest, signal) {
      if (!instanceDigest) {
        top = manifest;
        return;
      }
      await repo.putManifest(instanceDigest, manifest.bytes, manifestMediaType(manifest), signal);
    },
    async commit(signal) {
      if (!top) throw new BerthError('internal', `${formatReference(ref)}: commit before the manifest was put`);
      const digest = await repo.putManifest(ref.tag ?? ref.digest!, top.bytes, manifestMediaType(top), signal);
      const parsed = parseManifest(top);
      pushed = { digest, size: top.bytes.length, layers: parsed.kind === 'manifest' ? parsed.manifest.layers : [] };
    },
    async close() {},
  };
}

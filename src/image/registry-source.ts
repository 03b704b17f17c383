// A registry repository as an ImageSource: the pull side of copyImage.
import type { Descriptor, Digest } from '../content/types.js';
import type { RepositoryClient } from '../registry/types.js';
import { formatReference, type Reference } from './reference.js';
import type { BlobStream, ImageSource } from './types.js';

export interface RegistrySourceOptions {
  /** Asked before a blob is downloaded: a stream of it from elsewhere (another pull just fetched it) or undefined. */
  acquire?: (desc: Descriptor, signal?: AbortSignal) => Promise<BlobStream | undefined>;
  /** Called once the registry has sent the top-level manifest. */
  onResolved?: (digest: Digest) => void;
}

export interface RegistrySource extends ImageSource {
  /** The digest of the top-level manifest, once getManifest() fetched it. */
  readonly resolvedDigest: Digest | undefined;
}

export function createRegistrySource(repo: RepositoryClient, ref: Reference, opts: RegistrySourceOptions = {}): RegistrySource {
  let resolvedDigest: Digest | undefined;
  return {
    name: formatReference(ref),
    get resolvedDigest() {
      return resolvedDigest;
    },
    async getManifest(instanceDigest, signal) {
      const m = await repo.getManifest(instanceDigest ?? ref.digest ?? ref.tag ?? 'latest', signal);
      if (!instanceDigest) {
        resolvedDigest = m.digest;
        opts.onResolved?.(m.digest);
      }
      return { bytes: m.bytes, mediaType: m.mediaType };
    },
    async getBlob(desc, signal, blobOpts) {
      const local = await opts.acquire?.(desc, signal);
      if (local) return local;
      // The repository client checks the digest while the bytes flow, unless the caller checks it.
      const verify = blobOpts?.verify !== false;
      return { ...(await repo.getBlob(desc.digest, desc.size, signal, { verify })), verified: verify };
    },
    async close() {},
  };
}

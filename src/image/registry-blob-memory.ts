// What berth learned about registry blobs while pulling and pushing (in memory, like a cache): which repositories
// of a registry hold a blob (cross-repository mount candidates), and which compressed blob a push made of an
// uncompressed local layer (so the next push finds it with a HEAD instead of uploading again).
import type { Descriptor, Digest } from '../content/types.js';

export interface BlobMemory {
  /** The repository path on domain holds digest. */
  remember(domain: string, digest: Digest, path: string): void;
  /** Repository paths on domain known to hold digest. */
  homes(domain: string, digest: Digest): string[];
  /** After a push: local layers[i] was stored as pushed[i]. */
  rememberPush(local: Descriptor[], pushed: Descriptor[]): void;
  /** The descriptors a push stored for this local layer (other than itself). */
  aliases(desc: Descriptor): Descriptor[];
}

export function createBlobMemory(): BlobMemory {
  const homes = new Map<string, Set<string>>();
  const stored = new Map<Digest, Descriptor>();
  return {
    remember(domain, digest, path) {
      const key = `${domain}/${digest}`;
      homes.set(key, (homes.get(key) ?? new Set()).add(path));
    },
    homes: (domain, digest) => [...(homes.get(`${domain}/${digest}`) ?? [])],
    rememberPush(local, pushed) {
      local.forEach((l, i) => {
        if (pushed[i] && pushed[i].digest !== l.digest) stored.set(l.digest, pushed[i]);
      });
    },
    aliases: (desc) => {
      const d = stored.get(desc.digest);
      return d ? [d] : [];
    },
  };
}

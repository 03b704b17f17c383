// Concurrent pulls of one layer download it once: the first pull holds the layer's digest until its copy of the
// blob is committed to the content store; later pulls wait, then read the committed blob from the store.
import type { ContentStore, Descriptor, Digest } from '../content/types.js';
import type { BlobStream } from './types.js';

/** One pull's view: what it holds is released when its copy of the blob is done, or when the pull ends. */
export interface InflightHolder {
  /** Waits for another pull of desc; a stream of the stored blob when that pull stored it, else undefined (and
   * this pull now holds the digest and downloads). Only layers are held; configs and manifests are small. */
  acquire(desc: Descriptor, signal?: AbortSignal): Promise<BlobStream | undefined>;
  release(digest: Digest): void;
  releaseAll(): void;
}

const isLayer = (mediaType: string) => /\.layer\.|\.rootfs\./.test(mediaType);

function untilSettled(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

export function createInflightBlobs(content: ContentStore): { holder(): InflightHolder } {
  const held = new Map<Digest, { done: Promise<void>; release: () => void }>();
  return {
    holder() {
      const mine = new Set<Digest>();
      const release = (digest: Digest) => {
        if (!mine.delete(digest)) return;
        held.get(digest)?.release();
        held.delete(digest);
      };
      return {
        async acquire(desc, signal) {
          if (!isLayer(desc.mediaType)) return undefined;
          for (let other = held.get(desc.digest); other; other = held.get(desc.digest)) await untilSettled(other.done, signal);
          const stored = await content.info(desc.digest);
          if (stored) return { stream: content.createReadStream(desc.digest), size: stored.size };
          let releaseFn!: () => void;
          const done = new Promise<void>((resolve) => (releaseFn = resolve));
          held.set(desc.digest, { done, release: releaseFn });
          mine.add(desc.digest);
          return undefined;
        },
        release,
        releaseAll: () => [...mine].forEach(release),
      };
    },
  };
}

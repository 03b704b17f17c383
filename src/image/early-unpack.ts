// Unpacking while a copy is still running: as soon as a layer and every layer below it are stored, it is unpacked
// (in order, one unpack at a time), overlapping with the download of the layers above. The image is recorded
// only at commit, which unpacks whatever is left and reports any error.
import type { Descriptor, Digest } from '../content/types.js';
import type { Logger } from '../util/logger.js';
import { chainIds } from './manifest.js';
import type { UnpackProgress } from './types.js';
import type { Unpacker } from './unpack.js';

export interface EarlyUnpack {
  /** The image's layers, bottom first. */
  ahead(layers: Array<{ blob: Descriptor; diffId: Digest }>): void;
  /** A layer blob is in the content store. */
  stored(digest: Digest, signal?: AbortSignal): void;
  /** Resolves once the unpacks started so far have finished (never rejects). */
  settled(): Promise<void>;
  /** Chain IDs of the layers unpacking was started for, top first (what to collect when the copy fails). */
  started(): Digest[];
}

export function createEarlyUnpack(unpacker: Unpacker, logger: Logger, onUnpack?: (p: UnpackProgress) => void): EarlyUnpack {
  let layers: Array<{ blob: Descriptor; diffId: Digest }> = [];
  const ready = new Set<Digest>();
  let count = 0;
  let failed = false;
  let queue: Promise<void> = Promise.resolve();

  function advance(signal?: AbortSignal): void {
    let n = count;
    while (n < layers.length && ready.has(layers[n].blob.digest)) n++;
    if (n === count || failed) return;
    count = n;
    const prefix = layers.slice(0, n);
    queue = queue.then(async () => {
      if (failed) return;
      try {
        await unpacker.unpack(prefix, onUnpack, signal);
      } catch (err) {
        // The commit unpacks the same layers again and reports the error; nothing more is tried early.
        failed = true;
        logger.debug('early unpack failed', { err: String(err) });
      }
    });
  }

  return {
    ahead(l) {
      layers = l;
      advance();
    },
    stored(digest, signal) {
      ready.add(digest);
      advance(signal);
    },
    settled: () => queue,
    started: () => chainIds(layers.slice(0, count).map((l) => l.diffId)).reverse(),
  };
}

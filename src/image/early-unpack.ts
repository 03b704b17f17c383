// Unpacking while a copy is still running. A layer is extracted while it downloads (following its ingest file in
// the content store) or, when its blob was in the store already, as soon as the copy reaches it; each layer into a
// snapshot of its own, all in parallel (see unpack.ts). As soon as a layer and every layer below it are stored, they are
// committed, bottom-up. The image is recorded only at commit, which unpacks whatever is left and reports any error.
import type { Readable } from 'node:stream';
import type { ContentWriter, Descriptor, Digest } from '../content/types.js';
import type { Logger } from '../util/logger.js';
import { chainIds } from './manifest.js';
import type { UnpackProgress } from './types.js';
import type { UnpackLayer, Unpacker } from './unpack.js';

export interface EarlyUnpack {
  /** The image's layers, bottom first. */
  ahead(layers: UnpackLayer[]): void;
  /** A blob is about to be written through w: when it is a layer, it is extracted while it arrives. */
  arriving(desc: Descriptor, w: ContentWriter, signal?: AbortSignal): Promise<void>;
  /** A layer blob is in the content store. */
  stored(digest: Digest, signal?: AbortSignal): void;
  /** The layer blob digest stands for is in the content store as blob (the same content, stored otherwise). */
  substituted(digest: Digest, blob: Descriptor, signal?: AbortSignal): void;
  /** Resolves once the unpacks started so far have finished (never rejects). */
  settled(): Promise<void>;
  /** Chain IDs of the layers unpacking was started for, top first (what to collect when the copy fails). */
  started(): Digest[];
  /** Ends early unpacking (a copy's layers still running start nothing more) and drops the extractions no unpack
   * took; call once the copy is over. */
  close(): Promise<void>;
}

export function createEarlyUnpack(unpacker: Unpacker, logger: Logger, onUnpack?: (p: UnpackProgress) => void): EarlyUnpack {
  let layers: UnpackLayer[] = [];
  const ready = new Set<Digest>();
  /** Layers (by index) whose extraction was started. */
  const extracting = new Set<number>();
  let count = 0;
  let failed = false;
  let closed = false;
  let queue: Promise<void> = Promise.resolve();

  const indexesOf = (digest: Digest) => layers.flatMap((l, i) => (l.blob.digest === digest ? [i] : []));

  function advance(signal?: AbortSignal): void {
    let n = count;
    while (n < layers.length && ready.has(layers[n].blob.digest)) n++;
    if (n === count || failed || closed) return;
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

  function stored(digest: Digest, signal?: AbortSignal): void {
    ready.add(digest);
    for (const i of indexesOf(digest)) {
      if (extracting.has(i) || failed || closed) continue;
      extracting.add(i);
      unpacker.extractAhead(layers.slice(0, i + 1), undefined, signal);
    }
    advance(signal);
  }

  return {
    ahead(l) {
      layers = l;
      advance();
    },
    async arriving(desc, w, signal) {
      const i = indexesOf(desc.digest).find((n) => !extracting.has(n));
      if (i === undefined || failed || closed) return;
      extracting.add(i);
      let follower: Readable | undefined;
      try {
        follower = await w.follow();
        unpacker.extractAhead(layers.slice(0, i + 1), follower, signal);
      } catch (err) {
        // A follower nobody reads would hold the download back (the writer waits for its readers).
        follower?.destroy();
        // Unpacked from the store once stored, then.
        extracting.delete(i);
        logger.debug('cannot follow a layer download', { err: String(err) });
      }
    },
    stored,
    substituted(digest, blob, signal) {
      layers = layers.map((l) => (l.blob.digest === digest ? { ...l, blob } : l));
      stored(blob.digest, signal);
    },
    settled: () => queue,
    started: () => chainIds(layers.slice(0, count).map((l) => l.diffId)).reverse(),
    async close() {
      closed = true;
      await queue;
      await unpacker.discard(chainIds(layers.map((l) => l.diffId)));
    },
  };
}

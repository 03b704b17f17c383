// Unpacks layers into committed snapshots named by chain ID, shared between images. Each layer is extracted into an
// active snapshot of its own, prepared without parent: extraction never looks at the layers below (see
// archive/apply.ts). So the missing layers of an image extract in parallel, even while their blobs still download,
// and are committed bottom-up, each on top of its parent, once its content matched its diffID and it proved not to
// reach through a symlink of the layers below (archive/lower-parents.ts). A layer becomes
// visible (committed) only once it and every layer below it are complete, and durable once unpack() returns. One
// commit per chain ID at a time.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { invalidArgument, isBerthError } from '../errors.js';
import { applyLayerInWorker } from '../archive/apply-worker.js';
import { assertNoLowerSymlinkParents } from '../archive/lower-parents.js';
import type { ContentStore, Descriptor, Digest } from '../content/types.js';
import type { OverlaySnapshotter } from '../snapshot/overlay.js';
import { createLimiter } from '../util/limit.js';
import type { Logger } from '../util/logger.js';
import { chainIds } from './manifest.js';
import type { LayerRecord } from './store.js';
import type { UnpackProgress } from './types.js';

const sizeLabel = 'berth.io/layer.size';
const tarSizeLabel = 'berth.io/layer.tar-size';
/** Layers extracted from the content store at once (each on a worker thread of its own). */
const parallelExtractions = 3;

export type UnpackLayer = { blob: Descriptor; diffId: Digest };
type Sizes = { size: number; tarSize: number };
/** A layer extracted into an active snapshot of its own, waiting to be committed. */
type Extracted = Sizes & { key: string; implicitDirs: string[] };

export interface Unpacker {
  /** Makes sure every layer has its snapshot; returns the layers' records. */
  unpack(layers: UnpackLayer[], onUnpack?: (p: UnpackProgress) => void, signal?: AbortSignal): Promise<LayerRecord[]>;
  /**
   * Starts extracting the top layer of layers, from source (the blob while it is written, ending only once its
   * digest was verified) or else from its stored blob. The unpack() that commits the layer then finds it
   * extracted. Nothing is extracted when the layer has its snapshot, or is being unpacked, already.
   */
  extractAhead(layers: UnpackLayer[], source?: Readable, signal?: AbortSignal): void;
  /** Drops what extractAhead() extracted for these chains and no unpack() took (say, the copy failed). */
  discard(chainIds: Digest[]): Promise<void>;
}

export function createUnpacker(deps: { content: ContentStore; snapshotter: OverlaySnapshotter; logger: Logger }): Unpacker {
  const { content, snapshotter, logger } = deps;
  /** By chain ID: the layer is being extracted and committed. */
  const inFlight = new Map<Digest, Promise<Sizes>>();
  /** By chain ID: extractions started ahead that no unpack() took yet; undefined when there was nothing to do. */
  const ahead = new Map<Digest, { done: Promise<Extracted | undefined>; abort: () => void }>();
  const limit = createLimiter(parallelExtractions);

  async function existing(chainId: Digest): Promise<Sizes | undefined> {
    try {
      const info = await snapshotter.stat(chainId);
      return { size: Number(info.labels[sizeLabel] ?? 0), tarSize: Number(info.labels[tarSizeLabel] ?? 0) };
    } catch (err) {
      if (isBerthError(err, 'not_found')) return undefined;
      throw err;
    }
  }

  /** Extracts a layer into a new parentless snapshot; source is destroyed on any failure. */
  async function extract(layer: UnpackLayer, chainId: Digest, source: Readable, signal: AbortSignal): Promise<Extracted> {
    const key = `extract-${randomBytes(6).toString('hex')}-${chainId}`;
    let prepared = false;
    try {
      await snapshotter.prepare(key);
      prepared = true;
      const res = await applyLayerInWorker(await snapshotter.upperDir(key), source, { signal });
      if (res.diffId !== layer.diffId) {
        throw invalidArgument(`layer ${layer.blob.digest}: content has diffID ${res.diffId}, the image config says ${layer.diffId}`);
      }
      return { key, size: res.size, tarSize: res.tarSize, implicitDirs: res.implicitDirs };
    } catch (err) {
      source.destroy();
      if (prepared) await snapshotter.remove(key).catch(() => undefined);
      throw err;
    }
  }

  /** Extracts a layer from its stored blob, as many at once as parallelExtractions allows. */
  const extractStored = (layer: UnpackLayer, chainId: Digest, signal: AbortSignal) =>
    limit(() => extract(layer, chainId, content.createReadStream(layer.blob.digest), signal));

  /** Takes over an extraction started ahead for chainId, if any. */
  function claim(chainId: Digest): Promise<Extracted | undefined> | undefined {
    const a = ahead.get(chainId);
    ahead.delete(chainId);
    return a?.done;
  }

  /** Commits an extracted layer as chainId on top of parent; when someone else committed it first, theirs stays. */
  async function commit(chainId: Digest, parent: Digest | undefined, x: Extracted): Promise<Sizes> {
    const labels = { [sizeLabel]: String(x.size), [tarSizeLabel]: String(x.tarSize) };
    try {
      await snapshotter.commit(chainId, x.key, { labels, parent });
    } catch (err) {
      const theirs = isBerthError(err, 'conflict') ? await existing(chainId) : undefined;
      if (!theirs) throw err;
      await snapshotter.remove(x.key);
      return theirs;
    }
    logger.debug('unpacked layer', { chainId, size: x.size });
    return { size: x.size, tarSize: x.tarSize };
  }

  /** Extracts (or takes over the extraction of) one layer, then commits it once the layer below is committed. */
  async function make(layer: UnpackLayer, chainId: Digest, parent: Digest | undefined, below: Promise<unknown>, signal?: AbortSignal): Promise<Sizes> {
    const failedBelow = new AbortController();
    below.catch(() => failedBelow.abort(new Error(`a layer below ${layer.blob.digest} failed to unpack`)));
    const abort = signal ? AbortSignal.any([signal, failedBelow.signal]) : failedBelow.signal;
    let x: Extracted | undefined;
    try {
      x = await claim(chainId);
      x ??= await extractStored(layer, chainId, abort);
      await below;
      const lowers = parent ? [await snapshotter.upperDir(parent), ...(await snapshotter.lowerDirs(parent))] : [];
      await assertNoLowerSymlinkParents(await snapshotter.upperDir(x.key), x.implicitDirs, lowers);
      return await commit(chainId, parent, x);
    } catch (err) {
      if (x) await snapshotter.remove(x.key).catch(() => undefined);
      throw err;
    }
  }

  async function discard(chainIdList: Digest[]): Promise<void> {
    for (const chainId of chainIdList) {
      const a = ahead.get(chainId);
      if (!a) continue;
      ahead.delete(chainId);
      a.abort();
      const x = await a.done;
      if (x) await snapshotter.remove(x.key).catch(() => undefined);
    }
  }

  return {
    async unpack(layers, onUnpack, signal) {
      const chain = chainIds(layers.map((l) => l.diffId));
      // Every missing layer starts at once (its extraction limited, its commit waiting for the one below).
      const jobs: Array<{ sizes: Promise<Sizes>; missing: boolean }> = [];
      for (const [i, layer] of layers.entries()) {
        const chainId = chain[i];
        const sizes = await existing(chainId);
        if (sizes) {
          await discard([chainId]);
          jobs.push({ sizes: Promise.resolve(sizes), missing: false });
          continue;
        }
        let job = inFlight.get(chainId);
        if (!job) {
          job = make(layer, chainId, chain[i - 1], jobs[i - 1]?.sizes ?? Promise.resolve(), signal).finally(() => inFlight.delete(chainId));
          job.catch(() => undefined); // awaited below, or by the layer above; failures are reported there
          inFlight.set(chainId, job);
        }
        jobs.push({ sizes: job, missing: true });
      }
      const out: LayerRecord[] = [];
      try {
        for (const [i, { blob, diffId }] of layers.entries()) {
          if (jobs[i].missing) onUnpack?.({ kind: 'extracting', desc: blob });
          const sizes = await jobs[i].sizes;
          if (jobs[i].missing) onUnpack?.({ kind: 'extracted', desc: blob });
          out.push({ blob, diffId, chainId: chain[i], ...sizes });
        }
        // The image's record, written next, refers to the layers.
        if (jobs.some((j) => j.missing)) await snapshotter.sync();
      } catch (err) {
        // The layers above fail too (they wait for this one); their extractions are gone once they settle.
        await Promise.allSettled(jobs.map((j) => j.sizes));
        throw err;
      }
      return out;
    },

    extractAhead(layers, source, signal) {
      const chainId = chainIds(layers.map((l) => l.diffId)).at(-1);
      const layer = layers.at(-1);
      if (!chainId || !layer || ahead.has(chainId) || inFlight.has(chainId)) {
        source?.destroy();
        return;
      }
      const stop = new AbortController();
      const abort = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
      const done = (async () => {
        if (await existing(chainId)) {
          source?.destroy();
          return undefined;
        }
        if (source) return extract(layer, chainId, source, abort);
        return extractStored(layer, chainId, abort);
      })().catch((err: unknown) => {
        // unpack() extracts the layer again from its stored blob, and reports what fails then.
        logger.debug('extracting a layer ahead failed', { chainId, err: String(err) });
        return undefined;
      });
      ahead.set(chainId, { done, abort: () => stop.abort() });
    },

    discard,
  };
}

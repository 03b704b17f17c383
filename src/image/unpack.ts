// Unpacks layers into committed snapshots named by chain ID, shared between images; one unpack per chain ID at a time.
import { randomBytes } from 'node:crypto';
import { invalidArgument, isBerthError } from '../errors.js';
import { applyLayerInWorker } from '../archive/apply-worker.js';
import type { ContentStore, Descriptor, Digest } from '../content/types.js';
import type { OverlaySnapshotter } from '../snapshot/overlay.js';
import type { Logger } from '../util/logger.js';
import { chainIds } from './manifest.js';
import type { LayerRecord } from './store.js';
import type { UnpackProgress } from './types.js';

const sizeLabel = 'berth.io/layer.size';
const tarSizeLabel = 'berth.io/layer.tar-size';

export interface Unpacker {
  /** Makes sure every layer has its snapshot; returns the layers' records. */
  unpack(layers: Array<{ blob: Descriptor; diffId: Digest }>, onUnpack?: (p: UnpackProgress) => void, signal?: AbortSignal): Promise<LayerRecord[]>;
}

export function createUnpacker(deps: { content: ContentStore; snapshotter: OverlaySnapshotter; logger: Logger }): Unpacker {
  const { content, snapshotter, logger } = deps;
  const inFlight = new Map<Digest, Promise<{ size: number; tarSize: number }>>();

  async function existing(chainId: Digest): Promise<{ size: number; tarSize: number } | undefined> {
    try {
      const info = await snapshotter.stat(chainId);
      return { size: Number(info.labels[sizeLabel] ?? 0), tarSize: Number(info.labels[tarSizeLabel] ?? 0) };
    } catch (err) {
      if (isBerthError(err, 'not_found')) return undefined;
      throw err;
    }
  }

  async function unpackOne(blob: Descriptor, diffId: Digest, chainId: Digest, parent: Digest | undefined, signal?: AbortSignal) {
    const key = `extract-${randomBytes(6).toString('hex')}-${chainId}`;
    await snapshotter.prepare(key, parent);
    try {
      const dir = await snapshotter.upperDir(key);
      const lowerDirs = await snapshotter.lowerDirs(key);
      const res = await applyLayerInWorker(dir, content.createReadStream(blob.digest), { signal, lowerDirs });
      if (res.diffId !== diffId) {
        throw invalidArgument(`layer ${blob.digest}: content has diffID ${res.diffId}, the image config says ${diffId}`);
      }
      const labels = { [sizeLabel]: String(res.size), [tarSizeLabel]: String(res.tarSize) };
      try {
        await snapshotter.commit(chainId, key, { labels });
      } catch (err) {
        // Unpacked concurrently by someone who looked just before us: theirs stays.
        const theirs = isBerthError(err, 'conflict') ? await existing(chainId) : undefined;
        if (!theirs) throw err;
        await snapshotter.remove(key);
        return theirs;
      }
      logger.debug('unpacked layer', { chainId, size: res.size });
      return { size: res.size, tarSize: res.tarSize };
    } catch (err) {
      await snapshotter.remove(key).catch(() => undefined);
      throw err;
    }
  }

  return {
    async unpack(layers, onUnpack, signal) {
      const chain = chainIds(layers.map((l) => l.diffId));
      const out: LayerRecord[] = [];
      for (const [i, { blob, diffId }] of layers.entries()) {
        const chainId = chain[i];
        let sizes = await existing(chainId);
        if (!sizes) {
          let job = inFlight.get(chainId);
          if (!job) {
            onUnpack?.({ kind: 'extracting', desc: blob });
            job = unpackOne(blob, diffId, chainId, chain[i - 1], signal).finally(() => inFlight.delete(chainId));
            inFlight.set(chainId, job);
          }
          sizes = await job;
          onUnpack?.({ kind: 'extracted', desc: blob });
        }
        out.push({ blob, diffId, chainId, ...sizes });
      }
      return out;
    },
  };
}

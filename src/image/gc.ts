// Garbage collection by reference counting: a blob or layer snapshot goes only when no image record, no name and
// no pull in progress (lease) refers to it, and a snapshot only when no other snapshot has it as parent.
import { isBerthError } from '../errors.js';
import type { ContentStore, Digest } from '../content/types.js';
import type { OverlaySnapshotter } from '../snapshot/overlay.js';
import type { Logger } from '../util/logger.js';
import type { StoreData } from './store.js';

/** Blobs held by copies in progress, counted. */
export interface Leases {
  hold(digest: Digest): void;
  release(digest: Digest): void;
  held(digest: Digest): boolean;
}

export function createLeases(): Leases {
  const counts = new Map<Digest, number>();
  return {
    hold: (d) => void counts.set(d, (counts.get(d) ?? 0) + 1),
    release: (d) => {
      const n = (counts.get(d) ?? 0) - 1;
      if (n > 0) counts.set(d, n);
      else counts.delete(d);
    },
    held: (d) => counts.has(d),
  };
}

export interface Collector {
  /** Deletes those of candidates nobody references; returns the deleted ones. */
  blobs(d: StoreData, candidates: Digest[]): Promise<Digest[]>;
  /** Removes committed layer snapshots from chainId down its parent chain while unreferenced; returns the removed ones. */
  snapshots(d: StoreData, chainId: Digest | undefined): Promise<Digest[]>;
}

export function createCollector(deps: { content: ContentStore; snapshotter: OverlaySnapshotter; leases: Leases; logger: Logger }): Collector {
  const { content, snapshotter, leases, logger } = deps;
  return {
    async blobs(d, candidates) {
      const referenced = new Set<Digest>();
      for (const rec of Object.values(d.images)) {
        referenced.add(rec.id);
        referenced.add(rec.manifest.digest);
        for (const l of rec.layers) referenced.add(l.blob.digest);
      }
      for (const n of Object.values(d.names)) referenced.add(n.target.digest);
      const deleted: Digest[] = [];
      for (const c of new Set(candidates)) {
        if (referenced.has(c) || leases.held(c)) continue;
        try {
          await content.delete(c);
          deleted.push(c);
        } catch (err) {
          if (!isBerthError(err, 'not_found')) throw err;
        }
      }
      return deleted;
    },
    async snapshots(d, chainId) {
      const used = new Set(Object.values(d.images).flatMap((r) => r.layers.map((l) => l.chainId)));
      const removed: Digest[] = [];
      for (let key = chainId; key && !used.has(key); ) {
        let parent: string | undefined;
        try {
          const info = await snapshotter.stat(key);
          if (info.kind !== 'committed') break;
          parent = info.parent;
          await snapshotter.remove(key);
          removed.push(key);
        } catch (err) {
          // conflict: a container's rootfs (or another layer) sits on it; not_found: already gone.
          if (isBerthError(err, 'conflict') || isBerthError(err, 'not_found')) break;
          throw err;
        }
        logger.debug('removed layer snapshot', { chainId: key });
        key = parent;
      }
      return removed;
    },
  };
}

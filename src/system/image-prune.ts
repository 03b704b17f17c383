// docker image prune: images no container uses, only untagged ones unless dangling=false, filtered by
// until/label/label!. Names are removed one by one (the image goes with its last one); the space reclaimed is
// the size of the layers that removal actually deleted, measured before.
import type { ImageDeleteResult, ImageEngine, ImageInfo, ImagePruneReport, EngineEvent } from '../engine/types.js';
import { invalidArgument, isBerthError } from '../errors.js';
import { prunePredicate, validatePruneFilters, type Filters } from '../util/prune-filters.js';

export interface ImagePruneDeps {
  images: Pick<ImageEngine, 'list' | 'remove'>;
  layersOf(imageId: string): Promise<string[]>;
  layerSize(chainId: string): Promise<number>;
  /** Image IDs some container (running or not) is made from. */
  imagesInUse(): Set<string>;
  publish(ev: Omit<EngineEvent, 'time' | 'scope'>): void;
}

function danglingOnly(filters: Filters): boolean {
  const values = filters.dangling ?? [];
  if (values.length === 0) return true;
  return values.every((v) => {
    if (['true', '1'].includes(v.toLowerCase())) return true;
    if (['false', '0'].includes(v.toLowerCase())) return false;
    throw invalidArgument(`invalid filter 'dangling=${v}'`);
  });
}

/** remove(), with names or images that went meanwhile (with an earlier name) taken as done. */
async function removeIfPresent(images: ImagePruneDeps['images'], ref: string): Promise<ImageDeleteResult[]> {
  try {
    return await images.remove(ref, { force: false, noPrune: false });
  } catch (err) {
    if (isBerthError(err, 'not_found')) return [];
    throw err;
  }
}

export async function pruneImages(deps: ImagePruneDeps, filters: Filters): Promise<ImagePruneReport> {
  validatePruneFilters(filters, ['dangling', 'until', 'label', 'label!']);
  const dangling = danglingOnly(filters);
  const matches = prunePredicate(filters);
  const inUse = deps.imagesInUse();
  const candidates = (await deps.images.list({ all: false, filters: dangling ? { dangling: ['true'] } : {} })).filter(
    (img: ImageInfo) => !inUse.has(img.id) && matches((Date.parse(img.created) || 0) / 1000, img.labels),
  );
  const report: ImagePruneReport = { deleted: [], spaceReclaimed: 0 };
  for (const img of candidates) {
    const sizes = new Map<string, number>();
    for (const chainId of await deps.layersOf(img.id)) sizes.set(chainId, await deps.layerSize(chainId));
    const names = [...img.repoTags, ...img.repoDigests];
    const results: ImageDeleteResult[] = [];
    try {
      if (names.length === 0) results.push(...(await removeIfPresent(deps.images, img.id)));
      for (const name of names) results.push(...(await removeIfPresent(deps.images, name)));
    } catch (err) {
      // A container started using it meanwhile: it stays, as in Docker.
      if (!isBerthError(err, 'conflict')) throw err;
    }
    report.deleted.push(...results);
    for (const r of results) if (r.deleted) report.spaceReclaimed += sizes.get(r.deleted) ?? 0;
  }
  deps.publish({ type: 'image', action: 'prune', actor: { id: '', attributes: { reclaimed: String(report.spaceReclaimed) } } });
  return report;
}

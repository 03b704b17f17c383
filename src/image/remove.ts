// `docker rmi` semantics: by name untags (and deletes with the last name), by ID deletes with all its names;
// conflicts as Docker reports them. Unreferenced layers and blobs are then collected.
import { conflict } from '../errors.js';
import type { ImageDeleteResult } from '../engine/types.js';
import { shortId } from '../util/ids.js';
import type { Collector } from './gc.js';
import { mustFindImage, namesOf } from './lookup.js';
import { familiarString, parseReference, repositoryName } from './reference.js';
import type { ImageRecord, ImageStore } from './store.js';

/** Docker's isSingleReference: all names in one repository, with at most one tag. */
function isSingleReference(names: string[]): boolean {
  const refs = names.map(parseReference);
  const tags = refs.filter((r) => !r.digest);
  return refs.length > 0 && tags.length <= 1 && new Set(refs.map(repositoryName)).size === 1;
}

export interface RemoveDeps {
  store: ImageStore;
  collector: Collector;
  isImageInUse: (imageId: string) => Promise<string | undefined>;
}

export interface RemoveOutcome {
  results: ImageDeleteResult[];
  untagged: Array<{ id: string; name: string }>;
  deleted?: ImageRecord;
}

export async function removeImage(deps: RemoveDeps, ref: string, opts: { force: boolean }): Promise<RemoveOutcome> {
  const out: RemoveOutcome = { results: [], untagged: [] };
  const removedTargets: string[] = [];
  await deps.store.update(async (d) => {
    const found = mustFindImage(d, ref);
    const id = found.record.id;
    const names = namesOf(d, id);
    const user = await deps.isImageInUse(id);
    const untag = (name: string) => {
      removedTargets.push(d.names[name].target.digest);
      delete d.names[name];
      out.results.push({ untagged: familiarString(name) });
      out.untagged.push({ id, name });
    };
    if (found.name) {
      if (user && !opts.force && isSingleReference(names)) {
        throw conflict(
          `conflict: unable to remove repository reference "${ref}" (must force) - container ${shortId(user)} is using its referenced image ${shortId(id)}`,
        );
      }
      untag(found.name);
      const parsed = parseReference(found.name);
      const repo = repositoryName(parsed);
      const sameRepo = namesOf(d, id).filter((n) => repositoryName(parseReference(n)) === repo);
      // A tag went and only digest references of that repository are left: they go too.
      if (!parsed.digest && sameRepo.every((n) => parseReference(n).digest)) sameRepo.forEach(untag);
      if (namesOf(d, id).length > 0) return;
    } else {
      if (names.length > 1 && !opts.force && !isSingleReference(names)) {
        throw conflict(`conflict: unable to delete ${shortId(id)} (must be forced) - image is referenced in multiple repositories`);
      }
      if (user && !opts.force) {
        throw conflict(`conflict: unable to delete ${shortId(id)} (must be forced) - image is being used by stopped container ${shortId(user)}`);
      }
      names.forEach(untag);
    }
    out.deleted = d.images[id];
    delete d.images[id];
    out.results.push({ deleted: id });
  });
  const d = await deps.store.read();
  if (out.deleted) {
    const rec = out.deleted;
    const layers = await deps.collector.snapshots(d, rec.layers[rec.layers.length - 1]?.chainId);
    for (const chainId of layers) out.results.push({ deleted: chainId });
    await deps.collector.blobs(d, [rec.id, rec.manifest.digest, ...rec.layers.map((l) => l.blob.digest), ...removedTargets]);
  } else {
    await deps.collector.blobs(d, removedTargets);
  }
  return out;
}

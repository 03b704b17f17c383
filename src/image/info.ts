// ImageInfo and history, as `docker image inspect` / `docker history` show them.
import type { HistoryEntry, ImageInfo } from '../engine/types.js';
import { familiarString, parseReference, repositoryName } from './reference.js';
import type { ImageRecord } from './store.js';
import type { OciImage } from './types.js';

export function imageInfo(rec: ImageRecord, config: OciImage, names: string[]): ImageInfo {
  const repoTags: string[] = [];
  const repoDigests: string[] = [];
  for (const n of names) {
    const ref = parseReference(n);
    if (ref.digest) repoDigests.push(familiarString(`${repositoryName(ref)}@${ref.digest}`));
    else repoTags.push(familiarString(n));
  }
  return {
    id: rec.id,
    repoTags,
    repoDigests: [...new Set(repoDigests)],
    // Images made by commit name the image they were made from, as Docker's do.
    parent: typeof config.parent === 'string' ? config.parent : '',
    comment: config.comment ?? '',
    created: config.created ?? '',
    author: config.author ?? '',
    architecture: config.architecture,
    os: config.os,
    ...(config.variant ? { variant: config.variant } : {}),
    size: rec.layers.reduce((s, l) => s + l.size, 0),
    config: config.config ?? {},
    rootfs: { type: 'layers', diff_ids: config.rootfs.diff_ids },
    labels: config.config?.Labels ?? {},
  };
}

const unix = (t: string | undefined): number => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);

/** Newest first; history entries that made a layer get that layer's size. The top entry carries the ID and tags. */
export function imageHistory(rec: ImageRecord, config: OciImage, repoTags: string[]): HistoryEntry[] {
  const history = config.history?.length ? config.history : rec.layers.map(() => ({ created: config.created }));
  let layer = 0;
  const out: HistoryEntry[] = history.map((h) => {
    const size = 'empty_layer' in h && h.empty_layer ? 0 : (rec.layers[layer++]?.size ?? 0);
    return {
      id: '<missing>',
      created: unix(h.created),
      createdBy: ('created_by' in h && h.created_by) || '',
      tags: [],
      size,
      comment: ('comment' in h && h.comment) || '',
    };
  });
  out.reverse();
  if (out.length) out[0] = { ...out[0], id: rec.id, tags: repoTags };
  return out;
}

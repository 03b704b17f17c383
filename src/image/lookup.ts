// Finding an image the way Docker does: full ID, then name (tag or repo@digest), then unique short-ID prefix.
import { notFound } from '../errors.js';
import { familiarString, formatReference, parseReference, repositoryName, type Reference } from './reference.js';
import type { ImageRecord, StoreData } from './store.js';

export interface Found {
  record: ImageRecord;
  /** The normalised name the image was found by, when it was found by name. */
  name?: string;
}

function tryParse(ref: string): Reference | undefined {
  try {
    return parseReference(ref);
  } catch {
    return undefined;
  }
}

export function findImage(d: StoreData, ref: string): Found | undefined {
  const hex = ref.startsWith('sha256:') ? ref.slice(7) : ref;
  if (/^[a-f0-9]{64}$/.test(hex) && d.images[`sha256:${hex}`]) return { record: d.images[`sha256:${hex}`] };
  const parsed = ref.startsWith('sha256:') ? undefined : tryParse(ref);
  if (parsed?.digest) {
    const repo = repositoryName(parsed);
    const name = `${repo}@${parsed.digest}`;
    const byName = d.names[name];
    if (byName && d.images[byName.image]) return { record: d.images[byName.image], name };
    // Any image of that repository whose manifest (or the index a name points at) has that digest; no name of
    // that form exists, so it counts as found by ID.
    for (const [n, rec] of Object.entries(d.names)) {
      const image = d.images[rec.image];
      if (image && repositoryName(parseReference(n)) === repo && (rec.target.digest === parsed.digest || image.manifest.digest === parsed.digest)) {
        return { record: image };
      }
    }
  } else if (parsed) {
    const name = formatReference(parsed);
    const rec = d.names[name];
    if (rec && d.images[rec.image]) return { record: d.images[rec.image], name };
  }
  if (/^[a-f0-9]{1,63}$/.test(hex)) {
    const matches = Object.keys(d.images).filter((id) => id.startsWith(`sha256:${hex}`));
    if (matches.length === 1) return { record: d.images[matches[0]] };
  }
  return undefined;
}

/** How "No such image" names the reference: normalised and familiar when it parses, as given otherwise. */
export function displayRef(ref: string): string {
  if (/^(sha256:)?[a-f0-9]{1,64}$/.test(ref)) return ref;
  const parsed = tryParse(ref);
  return parsed ? familiarString(formatReference(parsed)) : ref;
}

export function mustFindImage(d: StoreData, ref: string): Found {
  const found = findImage(d, ref);
  if (!found) throw notFound(`No such image: ${displayRef(ref)}`);
  return found;
}

/** Every name of an image, in the order they were given. */
export const namesOf = (d: StoreData, id: string): string[] =>
  Object.entries(d.names)
    .filter(([, r]) => r.image === id)
    .map(([n]) => n);

/** True when ref is a repository without tag or digest ("busybox", "localhost:5000/app"). */
export function isNameOnly(ref: string): boolean {
  if (ref.includes('@')) return false;
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  return !last.includes(':') && tryParse(ref) !== undefined;
}

// `docker images` filters: dangling, label, reference, before, since.
import { invalidArgument } from '../errors.js';
import type { ImageInfo } from '../engine/types.js';

const known = ['dangling', 'label', 'reference', 'before', 'since'];

/** Go's path.Match: * and ? never match "/", [...] classes. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw invalidArgument(`invalid reference filter pattern ${JSON.stringify(pattern)}`);
      const body = pattern.slice(i + 1, end).replace(/^\^/, '!');
      re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** A name matches a pattern by itself or by its repository (the name without tag or digest). */
function nameMatches(patterns: RegExp[], name: string): boolean {
  const cut = name.search(/[:@][^/]*$/);
  return patterns.some((re) => re.test(name) || (cut > 0 && re.test(name.slice(0, cut))));
}

/** Like Docker, a reference filter also narrows the names shown to the matching ones. */
function narrowToReferences(patterns: string[], info: ImageInfo): ImageInfo | undefined {
  const res = patterns.map(globToRegExp);
  const repoTags = info.repoTags.filter((n) => nameMatches(res, n));
  const repoDigests = info.repoDigests.filter((n) => nameMatches(res, n));
  return repoTags.length || repoDigests.length ? { ...info, repoTags, repoDigests } : undefined;
}

function labelMatches(wanted: string[], labels: Record<string, string>): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) return w in labels;
    return labels[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

function parseBool(key: string, v: string): boolean {
  if (['true', '1'].includes(v.toLowerCase())) return true;
  if (['false', '0'].includes(v.toLowerCase())) return false;
  throw invalidArgument(`Invalid filter '${key}=${v}'`);
}

/**
 * Filters images. resolveCreated turns a before/since reference into that image's creation time
 * (and throws not_found for unknown ones).
 */
export async function filterImages(
  images: ImageInfo[],
  filters: Record<string, string[]>,
  resolveCreated: (ref: string) => Promise<number>,
): Promise<ImageInfo[]> {
  for (const key of Object.keys(filters)) if (!known.includes(key)) throw invalidArgument(`Invalid filter '${key}'`);
  const dangling = filters.dangling?.length ? filters.dangling.map((v) => parseBool('dangling', v)) : undefined;
  const before = filters.before?.length ? Math.min(...(await Promise.all(filters.before.map(resolveCreated)))) : undefined;
  const since = filters.since?.length ? Math.max(...(await Promise.all(filters.since.map(resolveCreated)))) : undefined;
  return images.flatMap((img) => {
    const created = Date.parse(img.created) || 0;
    if (dangling !== undefined && dangling.some((d) => d !== (img.repoTags.length === 0))) return [];
    if (filters.label?.length && !labelMatches(filters.label, img.labels)) return [];
    if (before !== undefined && !(created < before)) return [];
    if (since !== undefined && !(created > since)) return [];
    if (!filters.reference?.length) return [img];
    const narrowed = narrowToReferences(filters.reference, img);
    return narrowed ? [narrowed] : [];
  });
}

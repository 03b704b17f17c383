// berth images: docker's image list, a row per repository and tag (and digest with --digests).
import type { ImageSummary } from '../../client/index.js';
import { shortId } from '../../util/ids.js';
import { defineCommand } from '../command.js';
import { parseFilters } from '../filters.js';
import { bool, list, str } from '../flags.js';
import { formatList } from '../format.js';
import { splitReference } from '../reference.js';
import { goTimeString, humanSize, timeAgo } from '../units.js';

const headers = {
  Containers: 'CONTAINERS', CreatedAt: 'CREATED AT', CreatedSince: 'CREATED', Digest: 'DIGEST', ID: 'IMAGE ID',
  Repository: 'REPOSITORY', SharedSize: 'SHARED SIZE', Size: 'SIZE', Tag: 'TAG', UniqueSize: 'UNIQUE SIZE', VirtualSize: 'SIZE',
};
const defaultTable = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
const digestTable = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';

interface RowRef {
  repository: string;
  tag: string;
  digest: string;
}

/** docker's rows for one image: one per tag (times its digests with --digests), digest-only references, or <none>. */
export function imageRefs(img: ImageSummary, withDigests: boolean): RowRef[] {
  const tags = new Map<string, string[]>();
  const digests = new Map<string, string[]>();
  for (const t of img.RepoTags ?? []) {
    const r = splitReference(t);
    if (r.tag && r.repository !== '<none>') tags.set(r.repository, [...(tags.get(r.repository) ?? []), r.tag]);
  }
  for (const d of img.RepoDigests ?? []) {
    const r = splitReference(d);
    if (r.digest && r.repository !== '<none>') digests.set(r.repository, [...(digests.get(r.repository) ?? []), r.digest]);
  }
  const rows: RowRef[] = [];
  for (const [repository, repoTags] of tags) {
    const ds = withDigests ? (digests.get(repository) ?? []) : [];
    digests.delete(repository);
    for (const tag of repoTags) {
      if (!ds.length) rows.push({ repository, tag, digest: '<none>' });
      for (const digest of ds) rows.push({ repository, tag, digest });
    }
  }
  for (const [repository, ds] of digests) {
    if (withDigests) for (const digest of ds) rows.push({ repository, tag: '<none>', digest });
    else rows.push({ repository, tag: '<none>', digest: '<none>' });
  }
  return rows.length ? rows : [{ repository: '<none>', tag: '<none>', digest: '<none>' }];
}

/** The fields --format templates see, computed like docker's. */
export function imageRow(img: ImageSummary, ref: RowRef, trunc: boolean, now = Date.now()) {
  const size = (n: number) => (n < 0 ? 'N/A' : humanSize(n));
  return {
    Containers: img.Containers < 0 ? 'N/A' : String(img.Containers),
    CreatedAt: goTimeString(new Date(img.Created * 1000)),
    CreatedSince: img.Created ? timeAgo(img.Created * 1000, now) : 'N/A',
    Digest: ref.digest,
    ID: trunc ? shortId(img.Id) : img.Id,
    Repository: ref.repository,
    SharedSize: size(img.SharedSize),
    Size: humanSize(img.Size),
    Tag: ref.tag,
    UniqueSize: img.SharedSize < 0 ? 'N/A' : humanSize(img.Size - img.SharedSize),
    VirtualSize: humanSize(img.Size, 4),
  };
}

export const imagesCommand = defineCommand({
  names: [['images'], ['image', 'ls'], ['image', 'list']],
  usage: '[OPTIONS] [REPOSITORY[:TAG]]',
  description: 'List images',
  flags: {
    all: bool('all', 'Show all images (default hides intermediate images)', { short: 'a' }),
    digests: bool('digests', 'Show digests'),
    filter: list('filter', 'Filter output based on conditions provided', { short: 'f', valueName: 'filter' }),
    format: str('format', 'Format output using a custom template ("table", "json", or a Go template)'),
    noTrunc: bool('no-trunc', "Don't truncate output"),
    quiet: bool('quiet', 'Only show image IDs', { short: 'q' }),
  },
  maxArgs: 1,
  async run(ctx, { flags: f, args }) {
    const filters = parseFilters([...f.filter, ...args.map((a) => `reference=${a}`)]);
    const images = await ctx.client.images.list({ all: f.all, filters });
    const withDigests = f.digests || (f.format ?? '').includes('.Digest');
    const now = Date.now();
    const rows = images.flatMap((img) => imageRefs(img, withDigests).map((ref) => imageRow(img, ref, !f.noTrunc, now)));
    const format = f.quiet ? '{{.ID}}' : f.format || (f.digests ? digestTable : defaultTable);
    ctx.stdout.write(formatList(rows, format, { table: defaultTable, headers }));
  },
});

// berth ps: docker's container list, its columns, filters and --format fields.
import type { ContainerSummary, PortBinding } from '../../client/index.js';
import { shortId } from '../../util/ids.js';
import { defineCommand } from '../command.js';
import { parseFilters } from '../filters.js';
import { bool, int, list, str } from '../flags.js';
import { formatList } from '../format.js';
import { ellipsis, goTimeString, humanSize, timeAgo } from '../units.js';

const headers = {
  Command: 'COMMAND', CreatedAt: 'CREATED AT', ID: 'CONTAINER ID', Image: 'IMAGE', Label: (name: string) => name, Labels: 'LABELS',
  LocalVolumes: 'LOCAL VOLUMES', Mounts: 'MOUNTS', Names: 'NAMES', Networks: 'NETWORKS', Ports: 'PORTS',
  Platform: 'PLATFORM', RunningFor: 'CREATED', Size: 'SIZE', State: 'STATE', Status: 'STATUS',
};
const defaultTable = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

const formatPorts = (ports: PortBinding[] | null): string =>
  (ports ?? [])
    .map((p) => (p.PublicPort ? `${p.IP ?? '0.0.0.0'}:${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`))
    .join(', ');

/** The image as docker shows it: a short ID when created from an ID, without its digest when truncating. */
function imageName(c: ContainerSummary, trunc: boolean): string {
  if (!c.Image) return '<no image>';
  if (!trunc) return c.Image;
  if (c.ImageID && shortId(c.ImageID) === shortId(c.Image)) return shortId(c.Image);
  return c.Image.replace(/@sha256:[0-9a-f]+$/, '');
}

/** The fields --format templates see ({{.ID}}, {{.Label "k"}}, {{json .}}), computed like docker's. */
export function containerRow(c: ContainerSummary, trunc: boolean, now = Date.now()) {
  const labels = c.Labels ?? {};
  const mounts = c.Mounts ?? [];
  const names = c.Names.map((n) => n.replace(/^\//, '')).filter((n) => !trunc || !n.includes('/'));
  return {
    Command: JSON.stringify(trunc ? ellipsis(c.Command, 20) : c.Command),
    CreatedAt: goTimeString(new Date(c.Created * 1000)),
    ID: trunc ? shortId(c.Id) : c.Id,
    Image: imageName(c, trunc),
    Labels: Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(','),
    LocalVolumes: String(mounts.filter((m) => m.Type === 'volume').length),
    Mounts: mounts.map((m) => (trunc ? ellipsis(m.Name || m.Source, 15) : m.Name || m.Source)).join(','),
    Names: names.join(','),
    Networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort().join(','),
    Platform: c.ImageManifestDescriptor?.platform ?? null,
    Ports: formatPorts(c.Ports),
    RunningFor: timeAgo(c.Created * 1000, now),
    Size: c.SizeRootFs ? `${humanSize(c.SizeRw ?? 0)} (virtual ${humanSize(c.SizeRootFs)})` : humanSize(c.SizeRw ?? 0),
    State: c.State,
    Status: c.Status,
    Label: (name: string) => labels[name] ?? '',
  };
}

export const psCommand = defineCommand({
  names: [['ps'], ['container', 'ls'], ['container', 'list'], ['container', 'ps']],
  usage: '[OPTIONS]',
  description: 'List containers',
  flags: {
    all: bool('all', 'Show all containers (default shows just running)', { short: 'a' }),
    filter: list('filter', 'Filter output based on conditions provided', { short: 'f', valueName: 'filter' }),
    format: str('format', 'Format output using a custom template ("table", "json", or a Go template)'),
    last: int('last', 'Show n last created containers (includes all states)', { short: 'n', default: -1 }),
    latest: bool('latest', 'Show the latest created container (includes all states)', { short: 'l' }),
    noTrunc: bool('no-trunc', "Don't truncate output"),
    quiet: bool('quiet', 'Only display container IDs', { short: 'q' }),
    size: bool('size', 'Display total file sizes', { short: 's' }),
  },
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    const last = f.latest && f.last === -1 ? 1 : f.last;
    const size = f.size || (!f.quiet && (f.format ?? '').includes('.Size'));
    if (f.quiet && f.format) ctx.stderr.write('WARNING: Ignoring custom format, because both --format and --quiet are set.\n');
    const containers = await ctx.client.containers.list({
      all: f.all || last > 0,
      ...(last > 0 && { limit: last }),
      size,
      filters: parseFilters(f.filter),
    });
    const format = f.quiet ? '{{.ID}}' : f.format || (f.size ? `${defaultTable}\t{{.Size}}` : defaultTable);
    const now = Date.now();
    ctx.stdout.write(formatList(containers.map((c) => containerRow(c, !f.noTrunc, now)), format, { table: defaultTable, headers }));
  },
});

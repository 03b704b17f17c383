// berth container prune, image prune, system prune and system df.
import type { DiskUsage } from '../../client/index.js';
import { defineCommand, type CliContext } from '../command.js';
import { confirm } from '../confirm.js';
import { parseFilters } from '../filters.js';
import { bool, list, str } from '../flags.js';
import { formatList } from '../format.js';
import { humanSize } from '../units.js';
import { pruneVolumes } from './volume.js';

const total = (reclaimed: number) => `Total reclaimed space: ${humanSize(reclaimed)}\n`;
const listed = (title: string, items: string[] | null | undefined) => (items?.length ? `${title}:\n${items.map((i) => `${i}\n`).join('')}\n` : '');

async function pruneContainers(ctx: CliContext, filters: string[]): Promise<number> {
  const report = await ctx.client.disk.pruneContainers({ filters: parseFilters(filters) });
  ctx.stdout.write(listed('Deleted Containers', report.ContainersDeleted));
  return report.SpaceReclaimed;
}

async function pruneImages(ctx: CliContext, filters: string[], all: boolean): Promise<number> {
  const report = await ctx.client.disk.pruneImages({ filters: { ...parseFilters(filters), dangling: { [String(!all)]: true } } });
  const lines = (report.ImagesDeleted ?? []).map((i) => (i.Untagged ? `untagged: ${i.Untagged}` : `deleted: ${i.Deleted}`));
  ctx.stdout.write(listed('Deleted Images', lines));
  return report.SpaceReclaimed;
}

const flags = {
  filter: list('filter', 'Provide filter values (e.g. "until=<timestamp>")'),
  force: bool('force', 'Do not prompt for confirmation', { short: 'f' }),
};

export const containerPruneCommand = defineCommand({
  names: [['container', 'prune']],
  usage: '[OPTIONS]',
  description: 'Remove all stopped containers',
  flags,
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    if (!f.force && !(await confirm(ctx, 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue?'))) return;
    ctx.stdout.write(total(await pruneContainers(ctx, f.filter)));
  },
});

export const imagePruneCommand = defineCommand({
  names: [['image', 'prune']],
  usage: '[OPTIONS]',
  description: 'Remove unused images',
  flags: { ...flags, all: bool('all', 'Remove all unused images, not just dangling ones', { short: 'a' }) },
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    const warning = f.all
      ? 'WARNING! This will remove all images without at least one container associated to them.'
      : 'WARNING! This will remove all dangling images.';
    if (!f.force && !(await confirm(ctx, `${warning}\nAre you sure you want to continue?`))) return;
    ctx.stdout.write(total(await pruneImages(ctx, f.filter, f.all)));
  },
});

export const systemPruneCommand = defineCommand({
  names: [['system', 'prune']],
  usage: '[OPTIONS]',
  description: 'Remove unused data',
  flags: {
    ...flags,
    all: bool('all', 'Remove all unused images not just dangling ones', { short: 'a' }),
    volumes: bool('volumes', 'Prune anonymous volumes'),
  },
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    const items = [
      'all stopped containers',
      'all networks not used by at least one container',
      ...(f.volumes ? ['all anonymous volumes not used by at least one container'] : []),
      f.all ? 'all images without at least one container associated to them' : 'all dangling images',
      'unused build cache',
    ];
    const warning = `WARNING! This will remove:\n${items.map((i) => `  - ${i}\n`).join('')}\nAre you sure you want to continue?`;
    if (!f.force && !(await confirm(ctx, warning))) return;
    let reclaimed = await pruneContainers(ctx, f.filter);
    const networks = await ctx.client.networks.prune({ filters: parseFilters(f.filter) });
    ctx.stdout.write(listed('Deleted Networks', networks.NetworksDeleted));
    if (f.volumes) reclaimed += await pruneVolumes(ctx, f.filter, false);
    reclaimed += await pruneImages(ctx, f.filter, f.all);
    const cache = await ctx.client.disk.pruneBuildCache({ filters: parseFilters(f.filter), all: f.all });
    ctx.stdout.write(listed('Deleted build cache objects', cache.CachesDeleted));
    ctx.stdout.write(total(reclaimed + cache.SpaceReclaimed));
  },
});

/** "1.2MB (50%)", or the size alone when there is nothing at all (docker's disk usage formatter). */
const reclaimableText = (reclaimable: number, totalSize: number) =>
  totalSize > 0 ? `${humanSize(reclaimable)} (${Math.floor((reclaimable * 100) / totalSize)}%)` : humanSize(reclaimable);

/** The four rows of `system df`: images, containers, local volumes, build cache. */
export function diskUsageRows(du: DiskUsage) {
  const images = du.Images ?? [];
  const containers = du.Containers ?? [];
  const volumes = du.Volumes ?? [];
  const sum = (values: number[]) => values.reduce((n, v) => n + (v > 0 ? v : 0), 0);
  const imageUsed = sum(images.filter((i) => i.Containers > 0).map((i) => i.Size - i.SharedSize));
  const active = (c: { State: string }) => c.State === 'running' || c.State === 'paused';
  const containerSize = sum(containers.map((c) => c.SizeRw ?? 0));
  const volumeSize = sum(volumes.map((v) => v.UsageData?.Size ?? 0));
  const row = (Type: string, count: number, activeCount: number, size: number, reclaimable: number) => ({
    Type, TotalCount: String(count), Active: String(activeCount), Size: humanSize(size), Reclaimable: reclaimableText(reclaimable, size),
  });
  return [
    row('Images', images.length, images.filter((i) => i.Containers > 0).length, du.LayersSize, du.LayersSize - imageUsed),
    row('Containers', containers.length, containers.filter(active).length, containerSize, sum(containers.filter((c) => !active(c)).map((c) => c.SizeRw ?? 0))),
    row('Local Volumes', volumes.length, volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length, volumeSize,
      sum(volumes.filter((v) => (v.UsageData?.RefCount ?? 0) === 0).map((v) => v.UsageData?.Size ?? 0))),
    row('Build Cache', (du.BuildCache ?? []).length, 0, 0, 0),
  ];
}

export const systemDfCommand = defineCommand({
  names: [['system', 'df']],
  usage: '[OPTIONS]',
  description: 'Show berth disk usage',
  flags: { format: str('format', 'Format output using a custom template ("table", "table TEMPLATE", "json", or a Go template)') },
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    const rows = diskUsageRows(await ctx.client.disk.usage());
    ctx.stdout.write(formatList(rows, f.format, {
      table: 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}',
      headers: { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' },
    }));
  },
});

export const pruneCommands = [containerPruneCommand, imagePruneCommand, systemPruneCommand, systemDfCommand];

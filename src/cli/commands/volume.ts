// berth volume create, ls, inspect, rm, prune.
import type { Volume } from '../../client/index.js';
import { defineCommand, type CliContext } from '../command.js';
import { confirm } from '../confirm.js';
import { parseLabels } from '../container-config.js';
import { forEach } from '../each.js';
import { UsageError } from '../errors.js';
import { parseFilters } from '../filters.js';
import { bool, list, str } from '../flags.js';
import { formatList } from '../format.js';
import { humanSize } from '../units.js';
import { inspectEach } from '../inspect-each.js';

/** -o key=value driver options. */
function driverOptions(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid argument "${e}" for "-o, --opt" flag: invalid key value pair format in driver options`, 1);
    out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

export const volumeCreateCommand = defineCommand({
  names: [['volume', 'create']],
  usage: '[OPTIONS] [VOLUME]',
  description: 'Create a volume',
  flags: {
    driver: str('driver', 'Specify volume driver name', { short: 'd', default: 'local' }),
    label: list('label', 'Set metadata for a volume'),
    opt: list('opt', 'Set driver specific options', { short: 'o' }),
    name: str('name', 'Specify volume name'),
  },
  maxArgs: 1,
  async run(ctx, { flags: f, args }) {
    if (args[0] !== undefined && f.name !== undefined && args[0] !== f.name) {
      throw new UsageError(`conflicting options: cannot specify a volume-name through both --name and as a positional arg`, 1);
    }
    const volume = await ctx.client.volumes.create({
      Name: args[0] ?? f.name ?? '',
      Driver: f.driver,
      DriverOpts: driverOptions(f.opt),
      Labels: parseLabels(f.label),
    });
    ctx.stdout.write(`${volume.Name}\n`);
  },
});

const headers = {
  Name: 'VOLUME NAME', Driver: 'DRIVER', Scope: 'SCOPE', Mountpoint: 'MOUNTPOINT', Labels: 'LABELS', Links: 'LINKS', Size: 'SIZE',
  Label: (name: string) => name,
};

/** The fields --format templates see, as docker's volume formatter computes them. */
export function volumeRow(v: Volume) {
  const labels = v.Labels ?? {};
  const usage = v.UsageData;
  return {
    Name: v.Name,
    Driver: v.Driver,
    Scope: v.Scope,
    Mountpoint: v.Mountpoint,
    Labels: Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(','),
    Links: usage && usage.RefCount >= 0 ? String(usage.RefCount) : 'N/A',
    Size: usage && usage.Size >= 0 ? humanSize(usage.Size) : 'N/A',
    Label: (name: string) => labels[name] ?? '',
  };
}

export const volumeLsCommand = defineCommand({
  names: [['volume', 'ls'], ['volume', 'list']],
  usage: '[OPTIONS]',
  description: 'List volumes',
  flags: {
    filter: list('filter', "Provide filter values (e.g. 'dangling=true')", { short: 'f' }),
    format: str('format', 'Format output using a custom template ("table", "table TEMPLATE", "json", or a Go template)'),
    quiet: bool('quiet', 'Only display volume names', { short: 'q' }),
  },
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    const { Volumes } = await ctx.client.volumes.list({ filters: parseFilters(f.filter) });
    const rows = (Volumes ?? []).sort((a, b) => a.Name.localeCompare(b.Name)).map(volumeRow);
    if (f.quiet) return void ctx.stdout.write(rows.map((r) => `${r.Name}\n`).join(''));
    ctx.stdout.write(formatList(rows, f.format, { table: 'table {{.Driver}}\t{{.Name}}', headers }));
  },
});

export const volumeInspectCommand = defineCommand({
  names: [['volume', 'inspect']],
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  description: 'Display detailed information on one or more volumes',
  flags: { format: str('format', 'Format output using a custom template ("json", or a Go template)', { short: 'f' }) },
  minArgs: 1,
  run: (ctx, { flags: f, args }) => inspectEach(ctx, args, 'volume', f.format, (name) => ctx.client.volumes.inspect(name)),
});

export const volumeRmCommand = defineCommand({
  names: [['volume', 'rm'], ['volume', 'remove']],
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  description: 'Remove one or more volumes',
  flags: { force: bool('force', 'Force the removal of one or more volumes', { short: 'f' }) },
  minArgs: 1,
  run: (ctx, { flags: f, args }) =>
    forEach(ctx, args, async (name) => {
      await ctx.client.volumes.remove(name, { force: f.force });
      return name;
    }),
});

/** The output of a volume prune (also part of system prune); the bytes reclaimed. */
export async function pruneVolumes(ctx: CliContext, filters: string[], all: boolean): Promise<number> {
  const given = parseFilters(filters) ?? {};
  const report = await ctx.client.volumes.prune({ filters: all ? { ...given, all: { true: true } } : given });
  if (report.VolumesDeleted?.length) ctx.stdout.write(`Deleted Volumes:\n${report.VolumesDeleted.map((v) => `${v}\n`).join('')}\n`);
  return report.SpaceReclaimed;
}

export const volumePruneCommand = defineCommand({
  names: [['volume', 'prune']],
  usage: '[OPTIONS]',
  description: 'Remove unused local volumes',
  flags: {
    all: bool('all', 'Remove all unused volumes, not just anonymous ones', { short: 'a' }),
    filter: list('filter', 'Provide filter values (e.g. "label=<label>")'),
    force: bool('force', 'Do not prompt for confirmation', { short: 'f' }),
  },
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    const what = f.all ? 'all local volumes' : 'anonymous local volumes';
    if (!f.force && !(await confirm(ctx, `WARNING! This will remove ${what} not used by at least one container.\nAre you sure you want to continue?`))) return;
    const reclaimed = await pruneVolumes(ctx, f.filter, f.all);
    ctx.stdout.write(`Total reclaimed space: ${humanSize(reclaimed)}\n`);
  },
});

export const volumeCommands = [volumeCreateCommand, volumeLsCommand, volumeInspectCommand, volumeRmCommand, volumePruneCommand];

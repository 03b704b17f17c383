// berth version, info, events.
import type { EventMessage, SystemInfo, SystemVersion } from '../../client/index.js';
import { defaultApiVersion } from '../../client/index.js';
import { cliVersion } from '../about.js';
import { defineCommand } from '../command.js';
import { parseFilters } from '../filters.js';
import { list, str } from '../flags.js';
import { formatObjects } from '../format.js';
import { alignColumns } from '../table.js';
import { apiTimestamp } from '../timestamp.js';
import { bytesSize, rfc3339 } from '../units.js';

const clientVersion = (apiVersion: string) => ({
  Version: cliVersion,
  ApiVersion: apiVersion,
  DefaultAPIVersion: defaultApiVersion,
  GoVersion: process.version,
  Os: process.platform,
  Arch: process.arch === 'x64' ? 'amd64' : process.arch,
  Context: 'default',
});

/** "Key:<tab>value" lines aligned like docker's version output (tabwriter minwidth 20, padding 1). */
const aligned = (rows: [string, string | undefined][]) =>
  alignColumns(rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}:\t${v}`), { minWidth: 20, padding: 1 });

function printVersion(client: ReturnType<typeof clientVersion>, server?: SystemVersion): string {
  const lines = [
    'Client:',
    ...aligned([
      [' Version', client.Version],
      [' API version', `${client.ApiVersion}${client.ApiVersion !== client.DefaultAPIVersion ? ` (downgraded from ${client.DefaultAPIVersion})` : ''}`], [' Node.js version', client.GoVersion],
      [' OS/Arch', `${client.Os}/${client.Arch}`], [' Context', client.Context],
    ]),
  ];
  if (server) {
    lines.push('', `Server:${server.Platform?.Name ? ` ${server.Platform.Name}` : ''}`);
    for (const c of server.Components ?? [{ Name: 'Engine', Version: server.Version, Details: {} }]) {
      const d = c.Details ?? {};
      lines.push(` ${c.Name}:`);
      if (c.Name !== 'Engine') lines.push(...aligned([['  Version', c.Version], ...Object.entries(d).map(([k, v]): [string, string] => [`  ${k}`, v])]));
      else {
        lines.push(...aligned([
          ['  Version', server.Version],
          ['  API version', `${server.ApiVersion}${server.MinAPIVersion ? ` (minimum version ${server.MinAPIVersion})` : ''}`],
          ['  Go version', server.GoVersion], ['  Git commit', server.GitCommit], ['  Built', server.BuildTime],
          ['  OS/Arch', `${server.Os}/${server.Arch}`], ['  Experimental', String(server.Experimental ?? false)],
        ]));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

export const versionCommand = defineCommand({
  names: [['version']],
  usage: '[OPTIONS]',
  description: 'Show the berth version information',
  flags: { format: str('format', 'Format output using a custom template ("json", or a Go template)', { short: 'f' }) },
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    const client = clientVersion(ctx.client.apiVersion);
    let server: SystemVersion | undefined;
    let failure: unknown;
    try {
      server = await ctx.client.version();
    } catch (err) {
      failure = err;
    }
    ctx.stdout.write(f.format ? formatObjects([{ Client: client, Server: server ?? null }], f.format) : printVersion(client, server));
    if (failure) throw failure;
  },
});

function printInfo(info: SystemInfo): string {
  const v = (key: string) => (info[key] === undefined || info[key] === null ? undefined : String(info[key]));
  const server: [string, string | undefined][] = [
    ['Containers', v('Containers')], [' Running', v('ContainersRunning')], [' Paused', v('ContainersPaused')],
    [' Stopped', v('ContainersStopped')], ['Images', v('Images')], ['Server Version', v('ServerVersion')],
    ['Storage Driver', v('Driver')], ['Logging Driver', v('LoggingDriver')], ['Cgroup Driver', v('CgroupDriver')],
    ['Cgroup Version', v('CgroupVersion')], ['Default Runtime', v('DefaultRuntime')], ['Kernel Version', v('KernelVersion')],
    ['Operating System', v('OperatingSystem')], ['OSType', v('OSType')], ['Architecture', v('Architecture')],
    ['CPUs', v('NCPU')], ['Total Memory', typeof info.MemTotal === 'number' ? bytesSize(info.MemTotal) : undefined],
    ['Name', v('Name')], ['ID', v('ID')], ['Docker Root Dir', v('DockerRootDir')], ['Debug Mode', v('Debug')],
    ['Experimental', v('ExperimentalBuild')], ['Live Restore Enabled', v('LiveRestoreEnabled')],
  ];
  const registries = (info.RegistryConfig as { InsecureRegistryCIDRs?: string[] } | undefined)?.InsecureRegistryCIDRs ?? [];
  const lines = [
    'Client:', ` Version:    ${cliVersion}`, ' Context:    default', '', 'Server:',
    ...server.filter(([, value]) => value !== undefined).map(([k, value]) => ` ${k}: ${value}`),
    ...(registries.length ? [' Insecure Registries:', ...registries.map((r) => `  ${r}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}

export const infoCommand = defineCommand({
  names: [['info'], ['system', 'info']],
  usage: '[OPTIONS]',
  description: 'Display system-wide information',
  flags: { format: str('format', 'Format output using a custom template ("json", or a Go template)', { short: 'f' }) },
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    const info = await ctx.client.info();
    const clientInfo = { Version: cliVersion, Context: 'default', Debug: false };
    ctx.stdout.write(f.format ? formatObjects([{ ...info, ClientInfo: clientInfo }], f.format) : printInfo(info));
  },
});

/** docker's default event line: time, type, action, actor, (sorted attributes). */
export function eventLine(e: EventMessage): string {
  const nanos = BigInt(e.timeNano || e.time * 1e9);
  const time = rfc3339(new Date(Number(nanos / 1_000_000n)), Number(nanos % 1_000_000_000n));
  const attrs = e.Actor.Attributes ?? {};
  const keys = Object.keys(attrs).sort();
  const tail = keys.length ? ` (${keys.map((k) => `${k}=${attrs[k]}`).join(', ')})` : '';
  return `${time} ${e.Type} ${e.Action} ${e.Actor.ID}${tail}\n`;
}

export const eventsCommand = defineCommand({
  names: [['events'], ['system', 'events']],
  usage: '[OPTIONS]',
  description: 'Get real time events from the server',
  flags: {
    filter: list('filter', 'Filter output based on conditions provided', { short: 'f', valueName: 'filter' }),
    format: str('format', 'Format output using a custom template ("json", or a Go template)'),
    since: str('since', 'Show all events created since timestamp'),
    until: str('until', 'Stream events until this timestamp'),
  },
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    const now = Date.now();
    const events = await ctx.client.events({
      since: f.since && apiTimestamp(f.since, now),
      until: f.until && apiTimestamp(f.until, now),
      filters: parseFilters(f.filter),
    });
    for await (const e of events) ctx.stdout.write(f.format ? formatObjects([e], f.format) : eventLine(e));
  },
});

// berth network create, ls, inspect, rm, prune, connect, disconnect.
import { isDaemonError, type NetworkIpamConfig, type NetworkResource } from '../../client/index.js';
import { shortId } from '../../util/ids.js';
import { defineCommand } from '../command.js';
import { parseLabels } from '../container-config.js';
import { forEach } from '../each.js';
import { UsageError } from '../errors.js';
import { parseFilters } from '../filters.js';
import { bool, list, str } from '../flags.js';
import { formatList } from '../format.js';
import { goTimeString } from '../units.js';
import { confirm } from '../confirm.js';
import { inspectEach } from '../inspect-each.js';

/** key=value options (-o, --ipam-opt). */
function keyValues(entries: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid argument "${e}" for "${flag}" flag: expected key=value`, 1);
    out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

/** One IPAM config per --subnet, with the --gateway and --ip-range given at the same position. */
function ipamConfigs(subnets: string[], gateways: string[], ranges: string[]): NetworkIpamConfig[] {
  if (gateways.length > subnets.length || ranges.length > subnets.length) {
    throw new UsageError('every --gateway and --ip-range needs a --subnet', 1);
  }
  return subnets.map((subnet, i) => ({ Subnet: subnet, ...(gateways[i] && { Gateway: gateways[i] }), ...(ranges[i] && { IPRange: ranges[i] }) }));
}

export const networkCreateCommand = defineCommand({
  names: [['network', 'create']],
  usage: '[OPTIONS] NETWORK',
  description: 'Create a network',
  flags: {
    driver: str('driver', 'Driver to manage the Network', { short: 'd', default: 'bridge' }),
    subnet: list('subnet', 'Subnet in CIDR format that represents a network segment'),
    gateway: list('gateway', 'IPv4 Gateway for the master subnet'),
    ipRange: list('ip-range', 'Allocate container ip from a sub-range'),
    internal: bool('internal', 'Restrict external access to the network'),
    attachable: bool('attachable', 'Enable manual container attachment'),
    label: list('label', 'Set metadata on a network'),
    opt: list('opt', 'Set driver specific options', { short: 'o' }),
    ipamDriver: str('ipam-driver', 'IP Address Management Driver', { default: 'default' }),
    ipamOpt: list('ipam-opt', 'Set IPAM driver specific options'),
    ipv6: bool('ipv6', 'Enable or disable IPv6 networking'),
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, { flags: f, args }) {
    const created = await ctx.client.networks.create({
      Name: args[0],
      Driver: f.driver,
      Internal: f.internal,
      Attachable: f.attachable,
      EnableIPv6: f.ipv6,
      IPAM: { Driver: f.ipamDriver, Options: keyValues(f.ipamOpt, '--ipam-opt'), Config: ipamConfigs(f.subnet, f.gateway, f.ipRange) },
      Options: keyValues(f.opt, '--opt'),
      Labels: parseLabels(f.label),
    });
    if (created.Warning) ctx.stderr.write(`WARNING: ${created.Warning}\n`);
    ctx.stdout.write(`${created.Id}\n`);
  },
});

const headers = {
  ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv6: 'IPV6', Internal: 'INTERNAL', Labels: 'LABELS',
  CreatedAt: 'CREATED AT', Label: (name: string) => name,
};

/** The fields --format templates see, as docker's network formatter computes them. */
export function networkRow(n: NetworkResource, trunc: boolean) {
  const labels = n.Labels ?? {};
  return {
    ID: trunc ? shortId(n.Id) : n.Id,
    Name: n.Name,
    Driver: n.Driver,
    Scope: n.Scope,
    IPv6: String(Boolean(n.EnableIPv6)),
    Internal: String(n.Internal),
    Labels: Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(','),
    CreatedAt: goTimeString(new Date(n.Created)),
    Label: (name: string) => labels[name] ?? '',
  };
}

export const networkLsCommand = defineCommand({
  names: [['network', 'ls'], ['network', 'list']],
  usage: '[OPTIONS]',
  description: 'List networks',
  flags: {
    filter: list('filter', 'Provide filter values (e.g. "driver=bridge")', { short: 'f' }),
    format: str('format', 'Format output using a custom template ("table", "table TEMPLATE", "json", or a Go template)'),
    quiet: bool('quiet', 'Only display network IDs', { short: 'q' }),
    noTrunc: bool('no-trunc', 'Do not truncate the output'),
  },
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    const found = (await ctx.client.networks.list({ filters: parseFilters(f.filter) })).sort((a, b) => a.Name.localeCompare(b.Name));
    const rows = found.map((n) => networkRow(n, !f.noTrunc));
    if (f.quiet) return void ctx.stdout.write(rows.map((r) => `${r.ID}\n`).join(''));
    ctx.stdout.write(formatList(rows, f.format, { table: 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}', headers }));
  },
});

export const networkInspectCommand = defineCommand({
  names: [['network', 'inspect']],
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  description: 'Display detailed information on one or more networks',
  flags: { format: str('format', 'Format output using a custom template ("json", or a Go template)', { short: 'f' }) },
  minArgs: 1,
  run: (ctx, { flags: f, args }) => inspectEach(ctx, args, 'network', f.format, (name) => ctx.client.networks.inspect(name)),
});

export const networkRmCommand = defineCommand({
  names: [['network', 'rm'], ['network', 'remove']],
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  description: 'Remove one or more networks',
  flags: { force: bool('force', 'Do not error if the network does not exist', { short: 'f' }) },
  minArgs: 1,
  run: (ctx, { flags: f, args }) =>
    forEach(ctx, args, async (name) => {
      try {
        await ctx.client.networks.remove(name);
      } catch (err) {
        if (f.force && isDaemonError(err, 404)) return undefined;
        throw err;
      }
      return name;
    }),
});

export const networkPruneCommand = defineCommand({
  names: [['network', 'prune']],
  usage: '[OPTIONS]',
  description: 'Remove all unused networks',
  flags: {
    force: bool('force', 'Do not prompt for confirmation', { short: 'f' }),
    filter: list('filter', 'Provide filter values (e.g. "until=<timestamp>")'),
  },
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    const warning = 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?';
    if (!f.force && !(await confirm(ctx, warning))) return;
    const { NetworksDeleted } = await ctx.client.networks.prune({ filters: parseFilters(f.filter) });
    if (NetworksDeleted?.length) ctx.stdout.write(`Deleted Networks:\n${NetworksDeleted.map((n) => `${n}\n`).join('')}`);
  },
});

export const networkConnectCommand = defineCommand({
  names: [['network', 'connect']],
  usage: '[OPTIONS] NETWORK CONTAINER',
  description: 'Connect a container to a network',
  flags: {
    alias: list('alias', 'Add network-scoped alias for the container'),
    ip: str('ip', 'IPv4 address (e.g., "172.30.100.104")'),
  },
  minArgs: 2,
  maxArgs: 2,
  run: (ctx, { flags: f, args }) =>
    ctx.client.networks.connect(args[0], args[1], {
      ...(f.alias.length && { Aliases: f.alias }),
      ...(f.ip && { IPAMConfig: { IPv4Address: f.ip } }),
    }),
});

export const networkDisconnectCommand = defineCommand({
  names: [['network', 'disconnect']],
  usage: '[OPTIONS] NETWORK CONTAINER',
  description: 'Disconnect a container from a network',
  flags: { force: bool('force', 'Force the container to disconnect from a network', { short: 'f' }) },
  minArgs: 2,
  maxArgs: 2,
  run: (ctx, { flags: f, args }) => ctx.client.networks.disconnect(args[0], args[1], { force: f.force }),
});

export const networkCommands = [
  networkCreateCommand, networkLsCommand, networkInspectCommand, networkRmCommand, networkPruneCommand,
  networkConnectCommand, networkDisconnectCommand,
];

// Networks: the predefined bridge, host and none; user-defined bridge networks with their Linux bridge,
// address space and DNS server. create/inspect/list/remove/prune.
import { rm } from 'node:fs/promises';
import { BerthError, conflict, invalidArgument, notFound } from '../errors.js';
import { newId } from '../util/ids.js';
import { cniNetworkName } from './cni-config.js';
import { endpointsOn, findNetwork, ipamLeaseDir, releasesSettled, type Context } from './context.js';
import { networkResolver } from './dns-names.js';
import { startDnsServer } from './dns-server.js';
import { matchesNetworkFilters, matchesPruneFilters } from './filters.js';
import { ensureBridgeFirewall, removeBridgeFirewall } from './bridge-firewall.js';
import { deleteBridge, ensureBridge, routedSubnets } from './host-links.js';
import {
  contains,
  defaultAddressPools,
  formatCidr,
  formatIPv4,
  isHostAddress,
  overlaps,
  parseCidr,
  parseIPv4,
  poolSubnets,
  type Cidr,
} from './ipv4.js';
import type { NetworkRecord } from './records.js';
import type { IpamPool, Network, NetworkCreateOptions } from './types.js';

const optBridgeName = 'com.docker.network.bridge.name';
const optMtu = 'com.docker.network.driver.mtu';
const optMasquerade = 'com.docker.network.bridge.enable_ip_masquerade';

const usedPools = (ctx: Context, except?: string) =>
  [...ctx.networks.values()].filter((n) => n.pool && n.id !== except).map((n) => ({ net: n, cidr: parseCidr(n.pool!.subnet) }));

/** The first pool subnet that overlaps no other network and no route of this namespace. */
async function allocateSubnet(ctx: Context): Promise<Cidr> {
  const taken = [...usedPools(ctx).map((p) => p.cidr), ...(await routedSubnets())];
  for (const candidate of poolSubnets(ctx.config.defaultAddressPools ?? defaultAddressPools)) {
    if (!taken.some((t) => overlaps(t, candidate))) return candidate;
  }
  throw new BerthError('unavailable', 'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
}

function poolOf(subnet: Cidr, gateway?: string, ipRange?: string): IpamPool {
  if (subnet.prefix > 30) throw invalidArgument(`subnet ${formatCidr(subnet)} is too small: at most /30`);
  const gw = gateway !== undefined ? parseIPv4(gateway) : subnet.address !== subnet.network ? subnet.address : subnet.network + 1;
  if (!isHostAddress(subnet, gw)) throw invalidArgument(`gateway ${formatIPv4(gw)} is not a host address of subnet ${formatCidr(subnet)}`);
  const pool: IpamPool = { subnet: formatCidr(subnet), gateway: formatIPv4(gw) };
  if (ipRange) {
    const r = parseCidr(ipRange);
    if (!contains(subnet, r.network) || r.prefix < subnet.prefix) throw invalidArgument(`ip range ${ipRange} is not inside subnet ${pool.subnet}`);
    pool.ipRange = formatCidr(r);
  }
  return pool;
}

function checkOverlap(ctx: Context, subnet: Cidr, except?: string): void {
  const other = usedPools(ctx, except).find((p) => overlaps(p.cidr, subnet));
  if (other) {
    throw conflict(
      `invalid pool request: Pool overlaps with other one on this address space: ${formatCidr(subnet)} overlaps ${other.net.pool!.subnet} of network ${other.net.name}`,
    );
  }
}

/** Brings the bridge up and starts the DNS server; a DNS server that cannot listen is a warning, not a failure. */
async function bringUp(ctx: Context, net: NetworkRecord): Promise<string> {
  if (net.driver !== 'bridge') return '';
  await ensureBridge(net.bridge!, `${net.pool!.gateway}/${parseCidr(net.pool!.subnet).prefix}`, net.mtu);
  await ensureBridgeFirewall({ bridge: net.bridge!, subnet: net.pool!.subnet, internal: net.internal, ipMasq: net.ipMasq });
  if (net.predefined || ctx.dnsServers.has(net.id)) return '';
  try {
    ctx.dnsServers.set(net.id, await startDnsServer({ address: net.pool!.gateway, resolver: networkResolver(ctx, net.id), logger: ctx.logger }));
    return '';
  } catch (err) {
    const warning = `embedded DNS server of network ${net.name} cannot listen on ${net.pool!.gateway}:53: ${(err as Error).message}; containers will not resolve each other by name`;
    ctx.logger.warn(warning);
    return warning;
  }
}

async function tearDown(ctx: Context, net: NetworkRecord): Promise<void> {
  await ctx.dnsServers.get(net.id)?.close();
  ctx.dnsServers.delete(net.id);
  if (net.driver !== 'bridge') return;
  await removeBridgeFirewall(net.bridge!);
  await deleteBridge(net.bridge!);
  await rm(ipamLeaseDir(ctx, cniNetworkName(net)), { recursive: true, force: true });
}

function predefined(name: string, driver: NetworkRecord['driver']): NetworkRecord {
  return {
    id: newId(), name, driver, created: new Date().toISOString(), internal: false, attachable: false, labels: {},
    options: {}, ipamOptions: {}, userSubnet: false, ipMasq: false, predefined: true,
  };
}

/** The default bridge as the configuration wants it, keeping what is stored when nothing is configured. */
async function wantedDefaultBridge(ctx: Context, stored: NetworkRecord | undefined): Promise<NetworkRecord> {
  const bridge = ctx.config.bridgeName ?? stored?.bridge ?? 'berth0';
  const configured = ctx.config.defaultSubnet ? parseCidr(ctx.config.defaultSubnet) : undefined;
  if (configured) checkOverlap(ctx, configured, stored?.id);
  const pool = configured ? poolOf(configured) : (stored?.pool ?? poolOf(await allocateSubnet(ctx)));
  const mtu = ctx.config.mtu;
  return {
    ...(stored ?? predefined('bridge', 'bridge')),
    bridge,
    pool,
    mtu,
    ipMasq: true,
    options: {
      'com.docker.network.bridge.default_bridge': 'true',
      'com.docker.network.bridge.enable_icc': 'true',
      [optMasquerade]: 'true',
      'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
      [optBridgeName]: bridge,
      ...(mtu ? { [optMtu]: String(mtu) } : {}),
    },
  };
}

export async function loadNetworks(ctx: Context): Promise<void> {
  for (const n of await ctx.networkStore.loadAll()) ctx.networks.set(n.id, n);
  for (const [name, driver] of [['host', 'host'], ['none', 'null']] as const) {
    if (![...ctx.networks.values()].some((n) => n.predefined && n.name === name)) {
      const rec = predefined(name, driver);
      await ctx.networkStore.save(rec.id, rec);
      ctx.networks.set(rec.id, rec);
    }
  }
  const stored = [...ctx.networks.values()].find((n) => n.predefined && n.name === 'bridge');
  const wanted = await wantedDefaultBridge(ctx, stored);
  if (!stored || JSON.stringify(stored) !== JSON.stringify(wanted)) {
    const moved = stored && (stored.bridge !== wanted.bridge || stored.pool?.subnet !== wanted.pool?.subnet || stored.pool?.gateway !== wanted.pool?.gateway);
    if (moved && endpointsOn(ctx, stored.id).length > 0) {
      ctx.logger.warn('network: default bridge settings changed but containers use it; keeping the old ones until they are gone', {
        bridge: stored.bridge, subnet: stored.pool?.subnet,
      });
    } else {
      if (moved) await Promise.all([removeBridgeFirewall(stored.bridge!), deleteBridge(stored.bridge!)]);
      await ctx.networkStore.save(wanted.id, wanted);
      ctx.networks.set(wanted.id, wanted);
    }
  }
  for (const net of ctx.networks.values()) await bringUp(ctx, net);
}

export async function stopNetworks(ctx: Context): Promise<void> {
  await releasesSettled(ctx);
  await Promise.all([...ctx.dnsServers.values()].map((s) => s.close()));
  ctx.dnsServers.clear();
}

function bridgeNameOption(ctx: Context, name: string | undefined, id: string): string {
  const bridge = name ?? `br-${id.slice(0, 12)}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/.test(bridge)) throw invalidArgument(`invalid bridge name ${JSON.stringify(bridge)}: at most 15 letters, digits, "_", "." or "-"`);
  if ([...ctx.networks.values()].some((n) => n.bridge === bridge)) throw conflict(`bridge name ${bridge} is already used by another network`);
  return bridge;
}

export async function createNetwork(ctx: Context, o: NetworkCreateOptions): Promise<{ id: string; warning: string }> {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(o.name)) {
    throw invalidArgument(`invalid network name "${o.name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  if ([...ctx.networks.values()].some((n) => n.name === o.name)) throw conflict(`network with name ${o.name} already exists`);
  const driver = o.driver || 'bridge';
  if (driver === 'host' || driver === 'null') throw new BerthError('forbidden', `only one instance of "${driver}" network is allowed`);
  if (driver !== 'bridge') throw notFound(`plugin "${driver}" not found`);
  if (o.ipam?.driver && o.ipam.driver !== 'default') throw notFound(`plugin "${o.ipam.driver}" not found`);
  if (o.enableIPv6) throw invalidArgument('IPv6 networks are not supported');
  const configs = o.ipam?.config ?? [];
  if (configs.length > 1) throw invalidArgument('only one IPv4 address pool per network is supported');
  const want = configs[0] ?? {};
  if ([want.subnet, want.gateway, want.ipRange].some((a) => a?.includes(':'))) throw invalidArgument('IPv6 networks are not supported');
  if (!want.subnet && (want.gateway || want.ipRange)) throw invalidArgument('a gateway or ip range needs a subnet');

  const options = { ...o.options };
  const mtu = options[optMtu] !== undefined ? Number(options[optMtu]) : ctx.config.mtu;
  if (mtu !== undefined && (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535)) throw invalidArgument(`invalid MTU ${options[optMtu]}`);

  return ctx.global(async () => {
    if ([...ctx.networks.values()].some((n) => n.name === o.name)) throw conflict(`network with name ${o.name} already exists`);
    const id = newId();
    const subnet = want.subnet ? parseCidr(want.subnet) : await allocateSubnet(ctx);
    if (want.subnet) checkOverlap(ctx, subnet);
    const net: NetworkRecord = {
      id, name: o.name, driver: 'bridge', created: new Date().toISOString(), internal: !!o.internal, attachable: !!o.attachable,
      labels: { ...o.labels }, options, ipamOptions: { ...o.ipam?.options }, pool: poolOf(subnet, want.gateway, want.ipRange),
      userSubnet: !!want.subnet, bridge: bridgeNameOption(ctx, options[optBridgeName], id), mtu,
      ipMasq: options[optMasquerade] !== 'false', predefined: false,
    };
    await ctx.networkStore.save(id, net);
    ctx.networks.set(id, net);
    let warning: string;
    try {
      warning = await bringUp(ctx, net);
    } catch (err) {
      ctx.networks.delete(id);
      await tearDown(ctx, net).catch(() => {});
      await ctx.networkStore.remove(id);
      throw err;
    }
    return { id, warning };
  });
}

export function toNetwork(ctx: Context, net: NetworkRecord): Network {
  const containers: Network['containers'] = {};
  for (const { container, endpoint } of endpointsOn(ctx, net.id)) {
    containers[container.containerId] = {
      name: container.containerName.replace(/^\//, ''),
      endpointId: endpoint.endpointId,
      macAddress: endpoint.macAddress,
      ipv4Address: endpoint.ipAddress ? `${endpoint.ipAddress}/${endpoint.prefixLen}` : '',
      ipv6Address: '',
    };
  }
  return {
    id: net.id, name: net.name, driver: net.driver, scope: 'local', created: net.created, internal: net.internal,
    attachable: net.attachable, enableIPv6: false,
    ipam: { driver: 'default', options: { ...net.ipamOptions }, config: net.pool ? [{ ...net.pool }] : [] },
    options: { ...net.options }, labels: { ...net.labels }, ...(net.bridge ? { bridge: net.bridge } : {}), containers,
  };
}

export function listNetworks(ctx: Context, filters: Record<string, string[]>): Network[] {
  return [...ctx.networks.values()]
    .map((rec) => ({ rec, net: toNetwork(ctx, rec) }))
    .filter(({ rec, net }) => matchesNetworkFilters(net, rec.predefined, filters))
    .map(({ net }) => net)
    .sort((a, b) => a.created.localeCompare(b.created));
}

async function removeLocked(ctx: Context, net: NetworkRecord): Promise<void> {
  if (net.predefined) throw new BerthError('forbidden', `${net.name} is a pre-defined network and cannot be removed`);
  const users = endpointsOn(ctx, net.id);
  if (users.length > 0) {
    const names = users.map((u) => `name:"${u.container.containerName.replace(/^\//, '')}" id:"${u.container.containerId.slice(0, 12)}"`);
    // Docker answers 403 here (libnetwork's ActiveEndpointsError is Forbidden).
    throw new BerthError('forbidden', `error while removing network: network ${net.name} has active endpoints (${names.join(', ')})`);
  }
  await tearDown(ctx, net);
  await ctx.networkStore.remove(net.id);
  ctx.networks.delete(net.id);
}

export const removeNetwork = (ctx: Context, ref: string): Promise<void> =>
  ctx.global(async () => {
    await releasesSettled(ctx);
    await removeLocked(ctx, findNetwork(ctx, ref));
  });

export function pruneNetworks(ctx: Context, filters: Record<string, string[]>): Promise<string[]> {
  return ctx.global(async () => {
    await releasesSettled(ctx);
    const removed: string[] = [];
    for (const net of [...ctx.networks.values()]) {
      if (net.predefined || endpointsOn(ctx, net.id).length > 0 || !matchesPruneFilters(net, filters)) continue;
      await removeLocked(ctx, net);
      removed.push(net.name);
    }
    return removed;
  });
}

export const findNetworkView = (ctx: Context, ref: string): Network => toNetwork(ctx, findNetwork(ctx, ref));

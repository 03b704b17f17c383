// State shared by the parts of the network service: records in memory (persisted through the stores),
// the CNI driver, the port allocator, the host's files, and the locks that order changes.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { notFound } from '../errors.js';
import type { Logger } from '../util/logger.js';
import type { Cni } from './cni.js';
import type { DnsServer } from './dns-server.js';
import { fallbackNameservers, parseResolvConf, type ResolvConf } from './files.js';
import type { PortAllocator } from './ports.js';
import type { ContainerRecord, EndpointRecord, NetworkRecord, RecordStore } from './records.js';
import type { NetworkServiceConfig } from './types.js';

export type Serializer = <T>(fn: () => Promise<T>) => Promise<T>;

/** Runs functions one at a time, in call order. */
export function createSerializer(): Serializer {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const result = tail.then(fn);
    tail = result.catch(() => {});
    return result;
  };
}

export interface HostFiles {
  resolv: ResolvConf;
  resolvText: string;
  hosts: string;
  hostname: string;
}

export interface Context {
  config: NetworkServiceConfig;
  logger: Logger;
  ipamDir: string;
  netnsDir: string;
  networks: Map<string, NetworkRecord>;
  containers: Map<string, ContainerRecord>;
  networkStore: RecordStore<NetworkRecord>;
  containerStore: RecordStore<ContainerRecord>;
  cni: Cni;
  ports: PortAllocator;
  dnsServers: Map<string, DnsServer>;
  /** Held for changes to networks and for planning container attachments (address and port choices). */
  global: Serializer;
  /** Containers whose networking is being released: gone for inspect, DNS and address checks. */
  releasing: Map<string, Promise<void>>;
  /** One serializer per container with networking in progress or set up. */
  containerLock(containerId: string): Serializer;
  host: HostFiles;
  /** Re-reads the host's resolv.conf, hosts and hostname. */
  refreshHost(): Promise<void>;
}

export async function readHostFiles(config: NetworkServiceConfig): Promise<HostFiles> {
  const read = (file: string) => readFile(file, 'utf8').catch(() => '');
  const resolvFile = config.hostResolvConf ?? '/etc/resolv.conf';
  let resolvText = await read(resolvFile);
  // With systemd-resolved's stub in /etc/resolv.conf, its upstream list is what containers can reach.
  if (!config.hostResolvConf && parseResolvConf(resolvText).nameservers.every((n) => n === '127.0.0.53')) {
    resolvText = (await read('/run/systemd/resolve/resolv.conf')) || resolvText;
  }
  return {
    resolv: parseResolvConf(resolvText),
    resolvText,
    hosts: await read(config.hostHosts ?? '/etc/hosts'),
    hostname: (await read(config.hostHostname ?? '/etc/hostname')).trim() || 'localhost',
  };
}

export function findNetwork(ctx: Context, ref: string): NetworkRecord {
  const all = [...ctx.networks.values()];
  const exact = ctx.networks.get(ref) ?? all.find((n) => n.name === ref);
  if (exact) return exact;
  const byPrefix = ref.length > 0 ? all.filter((n) => n.id.startsWith(ref)) : [];
  if (byPrefix.length === 1) return byPrefix[0];
  throw notFound(`network ${ref} not found`);
}

/** Containers with networking, those being released excepted. */
export function activeContainers(ctx: Context): ContainerRecord[] {
  return [...ctx.containers.values()].filter((c) => !ctx.releasing.has(c.containerId));
}

/** Resolves once the releases under way are done (failed or not): their addresses and ports are free again. */
export async function releasesSettled(ctx: Context): Promise<void> {
  await Promise.allSettled([...ctx.releasing.values()]);
}

/** Endpoints on a network, with their containers (not those being released). */
export function endpointsOn(ctx: Context, networkId: string): { container: ContainerRecord; endpoint: EndpointRecord }[] {
  const found = [];
  for (const container of activeContainers(ctx)) {
    for (const endpoint of container.endpoints) {
      if (endpoint.networkId === networkId) found.push({ container, endpoint });
    }
  }
  return found;
}

export const ipamLeaseDir = (ctx: Context, cniName: string): string => path.join(ctx.ipamDir, cniName);

/** Resolvers a container's queries go to when its networks do not know the name. */
export function upstreamsFor(ctx: Context, container: ContainerRecord | undefined): string[] {
  if (container && container.dns.length > 0) return container.dns;
  if (ctx.config.dns && ctx.config.dns.length > 0) return ctx.config.dns;
  const servers = ctx.host.resolv.nameservers.filter((n) => !n.includes(':'));
  return servers.length > 0 ? servers : fallbackNameservers;
}

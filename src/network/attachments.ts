// Containers on networks: plan (addresses, ports) under the global lock, persist the intent, then run the
// CNI chains, persisting after every plugin so that DEL can be replayed whatever happens to berthd.
import { BerthError, conflict, invalidArgument } from '../errors.js';
import { newId } from '../util/ids.js';
import { containerInterface, type CniTarget } from './cni.js';
import { endpointChain } from './cni-config.js';
import { containerFiles } from './container-files.js';
import { endpointsOn, findNetwork, releasesSettled, type Context } from './context.js';
import { dnsNames } from './dns-names.js';
import { isHostAddress, isIPv4, parseCidr, parseIPv4 } from './ipv4.js';
import { removeNetns } from './netns.js';
import type { ContainerRecord, EndpointRecord, NetworkRecord } from './records.js';
import type { ContainerNetwork, ContainerNetworkOptions, EndpointRequest, PortBinding, PublishedPort } from './types.js';

export function view(ctx: Context, c: ContainerRecord): ContainerNetwork {
  return {
    containerId: c.containerId,
    containerName: c.containerName,
    networkMode: c.networkMode,
    netnsPath: c.netnsPath,
    endpoints: c.endpoints.map((ep) => ({
      networkId: ep.networkId,
      networkName: ep.networkName,
      endpointId: ep.endpointId,
      ifName: ep.ifName,
      ipAddress: ep.ipAddress,
      prefixLen: ep.prefixLen,
      gateway: ep.gateway,
      macAddress: ep.macAddress,
      aliases: [...ep.aliases],
      dnsNames: dnsNames(ctx.networks.get(ep.networkId), c, ep),
    })),
    ports: c.ports.map((p) => ({ ...p })),
    files: containerFiles(ctx, c),
  };
}

const save = (ctx: Context, c: ContainerRecord) => ctx.containerStore.save(c.containerId, c);
const target = (c: ContainerRecord, ep: EndpointRecord): CniTarget => ({ containerId: c.containerId, netns: c.netnsPath!, ifName: ep.ifName });
const hostOrNone = (net: NetworkRecord) => net.driver === 'host' || net.driver === 'null';

/** Checks a request against the network and the other endpoints; returns the endpoint to create. */
function planEndpoint(ctx: Context, c: ContainerRecord, req: EndpointRequest, ifName: string, ports: PublishedPort[]): EndpointRecord {
  const net = findNetwork(ctx, req.network);
  if (c.endpoints.some((ep) => ep.networkId === net.id)) {
    throw conflict(`endpoint with name ${c.containerName.replace(/^\//, '')} already exists in network ${net.name}`);
  }
  const aliases = req.aliases ?? [];
  if (aliases.length > 0 && (net.predefined || hostOrNone(net))) {
    throw invalidArgument('network-scoped alias is supported only for containers in user defined networks');
  }
  const ip = req.ipv4Address;
  if (ip) {
    if (!isIPv4(ip)) throw invalidArgument(`invalid IPv4 address: ${ip}`);
    if (net.predefined) throw invalidArgument('user specified IP address is supported on user defined networks only');
    if (!net.userSubnet) throw invalidArgument('user specified IP address is supported only when connecting to networks with user configured subnets');
    const subnet = parseCidr(net.pool!.subnet);
    if (!isHostAddress(subnet, parseIPv4(ip)) || ip === net.pool!.gateway) {
      throw invalidArgument(`invalid IP address ${ip}: not an assignable address of subnet ${net.pool!.subnet}`);
    }
    if (endpointsOn(ctx, net.id).some(({ endpoint }) => endpoint.ipAddress === ip)) throw conflict(`Address already in use: ${ip} on network ${net.name}`);
  }
  const defaultGateway = !c.endpoints.some((ep) => ep.defaultGateway);
  return {
    networkId: net.id,
    networkName: net.name,
    endpointId: newId(),
    ifName: hostOrNone(net) ? '' : ifName,
    aliases,
    plugins: hostOrNone(net) ? [] : endpointChain(net, { ipamDir: ctx.ipamDir, defaultGateway, ports, ipv4Address: ip }),
    done: 0,
    defaultGateway: !hostOrNone(net) && defaultGateway,
    ipAddress: ip ?? '',
    prefixLen: net.pool ? parseCidr(net.pool.subnet).prefix : 0,
    gateway: '',
    macAddress: '',
  };
}

async function addEndpoint(ctx: Context, c: ContainerRecord, ep: EndpointRecord, signal?: AbortSignal): Promise<void> {
  if (ep.plugins.length === 0) return;
  const result = await ctx.cni.add(
    ep.plugins,
    target(c, ep),
    async (r, done) => {
      ep.result = r;
      ep.done = done;
      await save(ctx, c);
    },
    signal,
  );
  const iface = containerInterface(result, ep.ifName);
  ep.ipAddress = iface.address.split('/')[0];
  ep.prefixLen = Number(iface.address.split('/')[1]);
  ep.gateway = iface.gateway;
  ep.macAddress = iface.mac;
  await save(ctx, c);
}

/** CNI DEL of one endpoint, then forgets it (and its published ports). */
async function removeEndpoint(ctx: Context, c: ContainerRecord, ep: EndpointRecord): Promise<void> {
  if (ep.plugins.length > 0 && c.netnsPath) await ctx.cni.del(ep.plugins, target(c, ep), ep.result);
  c.endpoints = c.endpoints.filter((e) => e !== ep);
  if (ep.plugins.some((p) => p.type === 'portmap')) {
    c.ports = [];
    ctx.ports.release(c.containerId);
  }
  await save(ctx, c);
}

/** Removes every endpoint, last first, then unpins the namespace; the record goes once all are gone. */
async function teardown(ctx: Context, c: ContainerRecord): Promise<void> {
  const failures: string[] = [];
  for (const ep of [...c.endpoints].reverse()) {
    await removeEndpoint(ctx, c, ep).catch((err: unknown) => failures.push(`${ep.networkName}: ${(err as Error).message}`));
  }
  if (failures.length > 0) {
    throw new BerthError('internal', `failed to release the network of container ${c.containerId}: ${failures.join('; ')}`);
  }
  // Only now: the bridge plugin finds the container's address (for its masquerade rules) in the namespace.
  if (c.netnsPath) await removeNetns(c.netnsPath);
  ctx.ports.release(c.containerId);
  ctx.containers.delete(c.containerId);
  await ctx.containerStore.remove(c.containerId);
}

function portRequests(opts: ContainerNetworkOptions): PortBinding[] {
  const bindings = [...opts.portBindings];
  if (opts.publishAll) {
    for (const spec of opts.exposedPorts) {
      const [port, proto = 'tcp'] = spec.split('/');
      const containerPort = Number(port);
      if (proto !== 'tcp' && proto !== 'udp') continue;
      if (!bindings.some((b) => b.containerPort === containerPort && b.protocol === proto)) {
        bindings.push({ hostIp: '', hostPort: 0, containerPort, protocol: proto });
      }
    }
  }
  return bindings;
}

/** Checks the request and chooses ports and endpoints; the caller holds the global lock. */
async function planContainer(
  ctx: Context,
  containerId: string,
  netnsPath: string | null,
  opts: ContainerNetworkOptions,
  warnings: string[],
): Promise<ContainerRecord> {
  const requests = opts.networks.length > 0 ? opts.networks : [{ network: 'bridge' }];
  const nets = requests.map((r) => findNetwork(ctx, r.network));
  if (nets.length > 1 && nets.some(hostOrNone)) {
    throw conflict(`container cannot be connected to multiple networks with one of the networks in ${nets.find(hostOrNone)!.name} mode`);
  }
  if (nets[0].driver !== 'host' && !netnsPath) throw invalidArgument('a network namespace is needed unless the network is host');
  const rec: ContainerRecord = {
    containerId, containerName: opts.containerName, networkMode: requests[0].network,
    netnsPath: nets[0].driver === 'host' ? null : netnsPath, endpoints: [], ports: [], hostname: opts.hostname,
    domainname: opts.domainname ?? '', dns: opts.dns, dnsSearch: opts.dnsSearch, dnsOptions: opts.dnsOptions, extraHosts: opts.extraHosts,
  };
  containerFiles(ctx, rec); // rejects bad --add-host entries before anything is allocated
  const bindings = portRequests(opts);
  if (bindings.length > 0 && (hostOrNone(nets[0]) || nets[0].internal)) {
    warnings.push(`Published ports are discarded when using ${nets[0].internal ? 'an internal' : nets[0].name} network`);
  } else if (bindings.length > 0) {
    rec.ports = await ctx.ports.reserve(containerId, bindings);
  }
  try {
    requests.forEach((r, i) => rec.endpoints.push(planEndpoint(ctx, rec, r, `eth${i}`, i === 0 ? rec.ports : [])));
  } catch (err) {
    ctx.ports.release(containerId);
    throw err;
  }
  ctx.containers.set(containerId, rec);
  return rec;
}

export function setupContainer(
  ctx: Context,
  containerId: string,
  netnsPath: string | null,
  opts: ContainerNetworkOptions,
): Promise<ContainerNetwork & { warnings: string[] }> {
  return ctx.containerLock(containerId)(async () => {
    if (ctx.containers.has(containerId)) throw conflict(`networking of container ${containerId} is already set up`);
    const warnings: string[] = [];
    let c: ContainerRecord;
    try {
      await Promise.all([ctx.refreshHost(), releasesSettled(ctx)]);
      c = await ctx.global(() => planContainer(ctx, containerId, netnsPath, opts, warnings));
    } catch (err) {
      if (netnsPath) await removeNetns(netnsPath);
      throw err;
    }
    try {
      await save(ctx, c);
      for (const ep of c.endpoints) await addEndpoint(ctx, c, ep, opts.signal);
    } catch (err) {
      await teardown(ctx, c).catch((undoErr: unknown) =>
        ctx.logger.error('network: cleanup after failed setup', { containerId, error: (undoErr as Error).message }),
      );
      throw err;
    }
    return { ...view(ctx, c), warnings };
  });
}

/** From the call on, the container is out of inspect, DNS and address checks; setups wait for it to finish. */
export function teardownContainer(ctx: Context, containerId: string): Promise<void> {
  const done: Promise<void> = ctx
    .containerLock(containerId)(async () => {
      const c = ctx.containers.get(containerId);
      if (c) await teardown(ctx, c);
    })
    .finally(() => {
      if (ctx.releasing.get(containerId) === done) ctx.releasing.delete(containerId);
    });
  ctx.releasing.set(containerId, done);
  return done;
}

function attached(ctx: Context, containerId: string): ContainerRecord {
  const c = ctx.containers.get(containerId);
  if (!c) throw conflict(`container ${containerId} is not running: its network is not set up`);
  return c;
}

export function connect(ctx: Context, containerId: string, req: EndpointRequest): Promise<ContainerNetwork> {
  return ctx.containerLock(containerId)(async () => {
    const c = attached(ctx, containerId);
    await releasesSettled(ctx);
    const ep = await ctx.global(async () => {
      const net = findNetwork(ctx, req.network);
      if (hostOrNone(net) || c.endpoints.some((e) => e.plugins.length === 0)) {
        throw new BerthError('forbidden', `container cannot be disconnected from host network or connected to host network (or none)`);
      }
      const used = new Set(c.endpoints.map((e) => e.ifName));
      let n = 0;
      while (used.has(`eth${n}`)) n++;
      const planned = planEndpoint(ctx, c, req, `eth${n}`, []);
      c.endpoints.push(planned);
      return planned;
    });
    try {
      await save(ctx, c);
      await addEndpoint(ctx, c, ep);
    } catch (err) {
      await removeEndpoint(ctx, c, ep).catch(() => {});
      throw err;
    }
    return view(ctx, c);
  });
}

export function disconnect(ctx: Context, containerId: string, network: string): Promise<ContainerNetwork> {
  return ctx.containerLock(containerId)(async () => {
    const net = findNetwork(ctx, network);
    const c = attached(ctx, containerId);
    const ep = c.endpoints.find((e) => e.networkId === net.id);
    if (!ep) throw new BerthError('forbidden', `container ${containerId} is not connected to network ${net.name}`);
    if (ep.plugins.length === 0) {
      throw new BerthError('forbidden', 'container cannot be disconnected from host network or connected to host network (or none)');
    }
    await removeEndpoint(ctx, c, ep);
    return view(ctx, c);
  });
}

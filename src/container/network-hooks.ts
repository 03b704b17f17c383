// A container's networking over its life: set up before runc starts it (namespace, endpoints, published ports,
// /etc files), torn down once it has exited, networks connected and disconnected, leftovers of a berthd crash
// released. The network service persists what it set up; the container record keeps a copy for inspect.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Container, ContainerNetworkState, ContainerSpec, EndpointSpec, EventBus, OciImageConfig } from '../engine/types.js';
import { createNetns, removeNetns, type ContainerFiles, type ContainerNetwork, type NetworkService } from '../network/index.js';
import { BerthError, conflict } from '../errors.js';
import type { Logger } from '../util/logger.js';
import { createKeyedQueue } from '../util/keyed-queue.js';
import { containerModeTarget, networkSpecOf, settleNetworkRequest } from './network-request.js';
import { isRunning } from './state-machine.js';

type Find = (ref: string) => Container | undefined;

export interface ContainerNetworking {
  /** At create: the request checked and settled (see settleNetworkRequest), with Docker's warnings. */
  prepare(spec: ContainerSpec, image: OciImageConfig, find: Find): Promise<{ spec: ContainerSpec; warnings: string[] }>;
  /**
   * Before the runtime creates c: its network namespace pinned (or another container's joined); c.network
   * names the namespace only. attach() does the rest.
   */
  createSandbox(c: Container, find: Find): Promise<void>;
  /**
   * Endpoints, published ports and /etc files, c.network complete: may run while the runtime creates c, must be
   * done before c starts. A failed attach leaves the namespace to release().
   */
  attach(c: Container): Promise<void>;
  /**
   * After c's processes are gone (or its start failed): c.network cleared at once, its networking released in
   * the background (the network service makes setups and network removals wait for it). Idempotent.
   */
  release(c: Container): void;

  /** On a running container at once; on another, remembered for its next start. */
  connect(c: Container, req: EndpointSpec): Promise<void>;
  disconnect(c: Container, network: string, force: boolean): Promise<void>;
  rename(c: Container): Promise<void>;
  /** After a restart: releases the networking of containers that are not running any more. */
  releaseStale(running: (id: string) => boolean): Promise<void>;
}

export interface ContainerNetworkingDeps {
  net: NetworkService;
  events: EventBus;
  logger: Logger;
}

/** What the OCI spec needs: the namespace to join, or none at all on the host network. */
export function networkNamespace(c: Container): { netnsPath?: string; hostNetwork?: boolean } {
  if (!c.network) return {};
  return c.network.sandboxKey ? { netnsPath: c.network.sandboxKey } : { hostNetwork: true };
}

const sharesNamespace = (mode: string) => mode === 'host' || mode === 'none' || containerModeTarget(mode) !== undefined;

/** "8000-8002/tcp" → ["8000/tcp", "8001/tcp", "8002/tcp"]. */
function expandPorts(ports: string[]): string[] {
  return ports.flatMap((p) => {
    const m = /^(\d+)-(\d+)\/(\w+)$/.exec(p);
    if (!m) return [p];
    return Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => `${Number(m[1]) + i}/${m[3]}`);
  });
}

export function createContainerNetworking({ net, events, logger }: ContainerNetworkingDeps): ContainerNetworking {
  async function publish(action: 'connect' | 'disconnect', c: Container, networkId: string, name: string): Promise<void> {
    const driver = await net.inspect(networkId).then((n) => n.driver, () => 'bridge');
    events.publish({ type: 'network', action, actor: { id: networkId, attributes: { container: c.id, name, type: driver } } });
  }

  // In place: the files are bind-mounted into the container, a rename would leave it the old ones.
  async function writeFiles(c: Container, files: ContainerFiles): Promise<void> {
    await writeFile(c.hostsPath, files.hosts);
    await writeFile(c.resolvConfPath, files.resolvConf);
    await writeFile(c.hostnamePath, files.hostname);
  }

  const stateOf = (r: ContainerNetwork): ContainerNetworkState => ({ sandboxKey: r.netnsPath ?? '', endpoints: r.endpoints, ports: r.ports });

  /** container:<id>: the other container's namespace and files, its hostname. */
  async function joinContainer(c: Container, ref: string, find: Find): Promise<void> {
    const other = find(ref);
    if (!other || !isRunning(other.state.status) || !other.network) {
      throw conflict(`cannot join network namespace of a non running container: ${ref}`);
    }
    const read = (file: string) => readFile(file, 'utf8');
    await writeFiles(c, { hosts: await read(other.hostsPath), resolvConf: await read(other.resolvConfPath), hostname: await read(other.hostnamePath) });
    c.spec.hostname = other.spec.hostname;
    c.spec.domainname = other.spec.domainname;
    c.network = { sandboxKey: other.network.sandboxKey, endpoints: [], ports: [] };
  }

  /** Background releases by container: a new namespace for the container waits for the old one to go. */
  const releases = createKeyedQueue();

  async function createSandbox(c: Container, find: Find): Promise<void> {
    await releases.settled(c.id);
    const n = networkSpecOf(c.spec);
    const target = containerModeTarget(n.mode);
    if (target !== undefined) return joinContainer(c, target, find);
    let ns = '';
    if (n.mode !== 'host') {
      // A namespace pinned by a berthd killed before it recorded anything would make createNetns fail.
      await removeNetns(net.netnsPath(c.id));
      ns = await createNetns(net.netnsPath(c.id));
    }
    c.network = { sandboxKey: ns, endpoints: [], ports: [] };
  }

  async function attach(c: Container): Promise<void> {
    const n = networkSpecOf(c.spec);
    if (containerModeTarget(n.mode) !== undefined) return;
    const endpoints = n.endpoints.length > 0 ? n.endpoints : [{ network: 'none', aliases: [] }];
    const r = await net.setupContainer(c.id, c.network?.sandboxKey || null, {
      containerName: c.name,
      networks: endpoints.map((e) => ({ network: e.network, aliases: e.aliases, ...(e.ipv4Address ? { ipv4Address: e.ipv4Address } : {}) })),
      portBindings: n.portBindings,
      publishAll: n.publishAll,
      exposedPorts: expandPorts(c.spec.exposedPorts),
      hostname: c.spec.hostname ?? c.id.slice(0, 12),
      domainname: c.spec.domainname,
      dns: n.dns,
      dnsSearch: n.dnsSearch,
      dnsOptions: n.dnsOptions,
      extraHosts: n.extraHosts,
    });
    for (const w of r.warnings) logger.warn(w, { id: c.id });
    await writeFiles(c, r.files);
    c.network = stateOf(r);
    for (const ep of r.endpoints) await publish('connect', c, ep.networkId, ep.networkName);
  }

  function release(c: Container): void {
    const endpoints = c.network?.endpoints ?? [];
    c.network = undefined;
    releases
      .run(c.id, async () => {
        await net.teardownContainer(c.id);
        // The container's own namespace, also when it was pinned but never recorded (never another's: container:<x>).
        await removeNetns(net.netnsPath(c.id));
        for (const ep of endpoints) await publish('disconnect', c, ep.networkId, ep.networkName);
      })
      .catch((err: unknown) => logger.warn('releasing the network failed', { id: c.id, err: String(err) }));
  }

  const live = (c: Container) => isRunning(c.state.status) && c.network !== undefined;

  async function connect(c: Container, req: EndpointSpec): Promise<void> {
    const target = await net.inspect(req.network);
    const n = networkSpecOf(c.spec);
    const forbidden = (why: string) => new BerthError('forbidden', why);
    if (containerModeTarget(n.mode) !== undefined || n.mode === 'host') {
      throw forbidden('container sharing network namespace with another container or host cannot be connected to any other network');
    }
    if (target.driver === 'host') throw forbidden('container cannot be disconnected from host network or connected to host network');
    if (n.mode === 'none' || target.driver === 'null') {
      throw forbidden('container cannot be connected to multiple networks with one of the networks in private (none) mode');
    }
    const request = { network: target.name, aliases: req.aliases, ...(req.ipv4Address ? { ipv4Address: req.ipv4Address } : {}) };
    if (live(c)) {
      const r = await net.connect(c.id, request);
      c.network = stateOf(r);
      await writeFiles(c, r.files);
      await publish('connect', c, target.id, target.name);
    } else if (n.endpoints.some((e) => e.network === target.name)) {
      throw conflict(`endpoint with name ${c.name} already exists in network ${target.name}`);
    }
    c.spec.network = { ...n, endpoints: [...n.endpoints.filter((e) => e.network !== target.name), { ...request, networkId: target.id }] };
  }

  async function disconnect(c: Container, network: string, force: boolean): Promise<void> {
    const n = networkSpecOf(c.spec);
    const known = await net.inspect(network).catch((err: unknown) => {
      // --force drops what the container remembers of a network that no longer exists.
      const remembered = n.endpoints.find((e) => e.network === network || e.networkId === network);
      if (force && remembered) return { id: remembered.networkId ?? '', name: remembered.network };
      throw err;
    });
    if (live(c)) {
      const r = await net.disconnect(c.id, known.name);
      c.network = stateOf(r);
      await writeFiles(c, r.files);
      await publish('disconnect', c, known.id, known.name);
    } else if (sharesNamespace(n.mode)) {
      throw new BerthError('forbidden', 'container cannot be disconnected from host network or connected to host network (or none)');
    } else if (!n.endpoints.some((e) => e.network === known.name)) {
      throw new BerthError('forbidden', `container ${c.id} is not connected to network ${known.name}`);
    }
    c.spec.network = { ...n, endpoints: n.endpoints.filter((e) => e.network !== known.name) };
  }

  async function releaseStale(running: (id: string) => boolean): Promise<void> {
    const attached = net.attachedContainers();
    for (const id of attached.filter((i) => !running(i))) {
      await net.teardownContainer(id).catch((err: unknown) => logger.error('network: releasing a stopped container failed', { id, err: String(err) }));
    }
    // Namespaces pinned by a berthd killed between createNetns and the first record of setupContainer.
    const dir = path.dirname(net.netnsPath('x'));
    for (const id of await readdir(dir).catch(() => [] as string[])) {
      if (!attached.includes(id)) await removeNetns(path.join(dir, id));
    }
  }

  return {
    prepare: (spec, image, find) => settleNetworkRequest(net, spec, image, find),
    createSandbox,
    attach,
    release,
    connect,
    disconnect,
    rename: (c) => net.renameContainer(c.id, c.name),
    releaseStale,
  };
}

// createNetworkService: networks and container networking for one berthd (see types.ts for the contract).
import path from 'node:path';
import { createCni } from './cni.js';
import { createSerializer, readHostFiles, type Context } from './context.js';
import { createKeyedQueue } from '../util/keyed-queue.js';
import { connect, disconnect, setupContainer, teardownContainer, view } from './attachments.js';
import { createNetwork, findNetworkView, listNetworks, loadNetworks, pruneNetworks, removeNetwork, stopNetworks } from './networks.js';
import { createPortAllocator, ephemeralPortRange } from './ports.js';
import { createRecordStore, type ContainerRecord, type NetworkRecord } from './records.js';
import type { NetworkService, NetworkServiceDeps } from './types.js';

export async function createNetworkService(deps: NetworkServiceDeps): Promise<NetworkService> {
  const config = deps.config ?? {};
  const root = path.join(deps.dataRoot, 'network');
  // What containers are attached, and the addresses they hold, live and die with the namespaces: in the exec root.
  const runRoot = path.join(deps.execRoot, 'network');
  const locks = createKeyedQueue();
  const ctx: Context = {
    config,
    logger: deps.logger,
    ipamDir: path.join(runRoot, 'ipam'),
    netnsDir: path.join(deps.execRoot, 'netns'),
    networks: new Map(),
    containers: new Map(),
    releasing: new Map(),
    networkStore: createRecordStore<NetworkRecord>(path.join(root, 'networks'), { durable: true }),
    containerStore: createRecordStore<ContainerRecord>(path.join(runRoot, 'containers'), { durable: false }),
    cni: createCni({ paths: config.cniPath ?? ['/usr/lib/cni', '/opt/cni/bin'], logger: deps.logger }),
    ports: createPortAllocator(config.ephemeralPorts ?? (await ephemeralPortRange())),
    dnsServers: new Map(),
    global: createSerializer(),
    containerLock: (id) => (fn) => locks.run(id, fn),
    host: await readHostFiles(config),
    async refreshHost() {
      ctx.host = await readHostFiles(config);
    },
  };

  return {
    async start() {
      await ctx.global(async () => {
        for (const c of await ctx.containerStore.loadAll()) {
          ctx.containers.set(c.containerId, c);
          ctx.ports.hold(c.containerId, c.ports);
        }
        await loadNetworks(ctx);
      });
    },
    close: () => ctx.global(() => stopNetworks(ctx)),
    create: (opts) => createNetwork(ctx, opts),
    inspect: async (ref) => findNetworkView(ctx, ref),
    list: async (filters = {}) => listNetworks(ctx, filters),
    remove: (ref) => removeNetwork(ctx, ref),
    prune: (filters = {}) => pruneNetworks(ctx, filters),
    netnsPath: (containerId) => path.join(ctx.netnsDir, containerId),
    setupContainer: (containerId, netnsPath, opts) => setupContainer(ctx, containerId, netnsPath, opts),
    teardownContainer: (containerId) => teardownContainer(ctx, containerId),
    connect: (containerId, req) => connect(ctx, containerId, req),
    disconnect: (containerId, network) => disconnect(ctx, containerId, network),
    container(containerId) {
      const c = ctx.containers.get(containerId);
      return c && view(ctx, c);
    },
    renameContainer: (containerId, name) =>
      ctx.containerLock(containerId)(async () => {
        const c = ctx.containers.get(containerId);
        if (!c) return;
        c.containerName = name;
        await ctx.containerStore.save(containerId, c);
      }),
    attachedContainers: () => [...ctx.containers.keys()],
  };
}

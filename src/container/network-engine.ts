// The engine's network operations: the network service's, with Docker's events, and connect/disconnect routed
// through the container engine (which knows the containers and orders operations on each of them).
import type { EndpointSpec, EventBus, Network, NetworkEngine } from '../engine/types.js';
import type { NetworkService } from '../network/index.js';
import { BerthError } from '../errors.js';

export interface NetworkedContainers {
  connectNetwork(ref: string, req: EndpointSpec): Promise<void>;
  disconnectNetwork(ref: string, network: string, force: boolean): Promise<void>;
}

const predefinedNames = new Set(['bridge', 'host', 'none', 'default']);

export function createNetworkEngine(net: NetworkService, containers: NetworkedContainers, events: EventBus): NetworkEngine {
  const publish = (action: string, n: Pick<Network, 'id' | 'name' | 'driver'>) =>
    events.publish({ type: 'network', action, actor: { id: n.id, attributes: { name: n.name, type: n.driver } } });

  return {
    async create(opts) {
      if (predefinedNames.has(opts.name)) throw new BerthError('forbidden', `operation is not permitted on predefined ${opts.name} network`);
      const created = await net.create(opts);
      publish('create', await net.inspect(created.id));
      return created;
    },
    inspect: (ref) => net.inspect(ref),
    list: (filters) => net.list(filters),
    async remove(ref) {
      const n = await net.inspect(ref);
      await net.remove(n.id);
      publish('destroy', n);
    },
    async prune(filters) {
      const before = await net.list({});
      const removed = await net.prune(filters);
      for (const n of before.filter((b) => removed.includes(b.name))) publish('destroy', n);
      return removed;
    },
    connect: (network, container, endpoint) => containers.connectNetwork(container, { network, ...endpoint }),
    disconnect: (network, container, force) => containers.disconnectNetwork(container, network, force),
  };
}

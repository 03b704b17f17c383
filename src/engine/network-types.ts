// Networking in the engine contract: what a container asks for at create, what it holds while running, and the
// network operations every edge calls. The network shapes themselves are the network domain's.
import type { Endpoint, Network, NetworkCreateOptions, PortBinding, PublishedPort } from '../network/types.js';

export type { Endpoint, Network, NetworkContainer, NetworkCreateOptions, PortBinding, PublishedPort } from '../network/types.js';

/** One network a container joins (Docker's EndpointsConfig entry). */
export interface EndpointSpec {
  /** Network name, id or id prefix as asked; the engine stores the network's name. */
  network: string;
  /** Set by the engine when the container is created or connected. */
  networkId?: string;
  aliases: string[];
  /** --ip: user-defined networks with a configured subnet only. */
  ipv4Address?: string;
}

/** The network half of a container create request (HostConfig and NetworkingConfig). */
export interface ContainerNetworkSpec {
  /** "bridge" (Docker's "default"), "host", "none", "container:<name|id>" or a user-defined network. */
  mode: string;
  /** Networks joined at start, the primary (mode) first; empty with container:<id>. */
  endpoints: EndpointSpec[];
  portBindings: PortBinding[];
  /** -P: every exposed port without a binding gets a free host port. */
  publishAll: boolean;
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  /** "name:ip" entries; ip may be "host-gateway". */
  extraHosts: string[];
}

/** What a running container got from its networks. */
export interface ContainerNetworkState {
  /** The network namespace file ("" with the host network). */
  sandboxKey: string;
  endpoints: Endpoint[];
  ports: PublishedPort[];
}

export interface NetworkEngine {
  create(opts: NetworkCreateOptions): Promise<{ id: string; warning: string }>;
  /** By full id, name or unique id prefix. */
  inspect(ref: string): Promise<Network>;
  /** Filters: driver, id, label, name, scope, type (custom|builtin), dangling. */
  list(filters: Record<string, string[]>): Promise<Network[]>;
  remove(ref: string): Promise<void>;
  /** Removes unused user-defined networks; returns their names. */
  prune(filters: Record<string, string[]>): Promise<string[]>;
  /** Takes effect at once on a running container, at its next start otherwise. */
  connect(network: string, container: string, endpoint: Omit<EndpointSpec, 'network'>): Promise<void>;
  disconnect(network: string, container: string, force: boolean): Promise<void>;
}

// Network contract: Docker-style networks (bridge, host, none) on Linux bridges, wired into containers by the
// CNI plugins (bridge + host-local + portmap) and per-network iptables rules, with an embedded DNS server per
// user-defined network. Engine types: the Docker JSON shapes are produced in api/.
import type { Logger } from '../util/logger.js';

export type NetworkDriver = 'bridge' | 'host' | 'null';
export type PortProtocol = 'tcp' | 'udp';

export interface IpamPool {
  subnet: string; // CIDR, network address
  gateway: string;
  /** Addresses are handed out from this CIDR inside subnet, when set. */
  ipRange?: string;
}

/** One container on a network, as `network inspect` shows it. */
export interface NetworkContainer {
  name: string;
  endpointId: string;
  macAddress: string;
  ipv4Address: string; // CIDR, "" on host and none
  ipv6Address: string;
}

export interface Network {
  id: string;
  name: string;
  driver: NetworkDriver;
  scope: 'local';
  created: string; // RFC 3339
  internal: boolean;
  attachable: boolean;
  enableIPv6: false;
  ipam: { driver: 'default'; options: Record<string, string>; config: IpamPool[] };
  options: Record<string, string>;
  labels: Record<string, string>;
  /** The Linux bridge device (bridge driver only). */
  bridge?: string;
  /** By container id. */
  containers: Record<string, NetworkContainer>;
}

export interface NetworkCreateOptions {
  name: string;
  /** Only "bridge" (the default). */
  driver?: string;
  internal?: boolean;
  attachable?: boolean;
  enableIPv6?: boolean;
  labels?: Record<string, string>;
  /** Understood: com.docker.network.bridge.name, com.docker.network.driver.mtu,
   *  com.docker.network.bridge.enable_ip_masquerade. Others are kept and shown. */
  options?: Record<string, string>;
  /** At most one IPv4 config; an omitted subnet comes from the address pools. */
  ipam?: {
    driver?: string;
    config?: { subnet?: string; gateway?: string; ipRange?: string }[];
    options?: Record<string, string>;
  };
}

/** A request to put a container on a network: by name, id or id prefix ("bridge", "host", "none" included). */
export interface EndpointRequest {
  network: string;
  aliases?: string[];
  /** --ip; user-defined networks with a configured subnet only. */
  ipv4Address?: string;
}

/** `-p [hostIp:]hostPort[-hostPortEnd]:containerPort/protocol`; hostPort 0 picks a free port. */
export interface PortBinding {
  hostIp: string; // "" or "0.0.0.0" for all addresses
  hostPort: number;
  /** With hostPort, a range to pick one free port from (Docker's HostPort "8000-8010"). */
  hostPortEnd?: number;
  containerPort: number;
  protocol: PortProtocol;
}

export interface PublishedPort {
  hostIp: string; // "0.0.0.0" for all addresses
  hostPort: number;
  containerPort: number;
  protocol: PortProtocol;
}

export interface ContainerNetworkOptions {
  containerName: string;
  /** First is the primary network (default route, published ports). [{network:'host'}], [{network:'none'}]. */
  networks: EndpointRequest[];
  portBindings: PortBinding[];
  /** -P: publishes every exposed port without a binding on a free host port. */
  publishAll: boolean;
  exposedPorts: string[]; // "80/tcp"
  hostname: string;
  domainname?: string;
  /** --dns: resolv.conf on the default bridge; upstreams of the embedded DNS server on user networks. */
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  /** --add-host "name:ip" (or "name=ip"); ip may be "host-gateway". */
  extraHosts: string[];
  signal?: AbortSignal;
}

export interface Endpoint {
  networkId: string;
  networkName: string;
  endpointId: string;
  ifName: string; // "" on host and none
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
  aliases: string[];
  /** Names the embedded DNS server answers with this endpoint's address. */
  dnsNames: string[];
}

/** Files the engine writes into the container's directory (and bind-mounts). */
export interface ContainerFiles {
  hosts: string;
  resolvConf: string;
  hostname: string;
}

export interface ContainerNetwork {
  containerId: string;
  containerName: string;
  /** The primary network as requested: "bridge", "host", "none" or a user network's name. */
  networkMode: string;
  /** null with the host network: the container stays in berthd's namespace. */
  netnsPath: string | null;
  endpoints: Endpoint[];
  ports: PublishedPort[];
  files: ContainerFiles;
}

export interface NetworkServiceConfig {
  /** Linux bridge of the default network; default "berth0". */
  bridgeName?: string;
  /** Default network's address, bip-style ("172.17.0.1/16": gateway/prefix) or a plain subnet. Default: the
   *  first pool subnet that overlaps no route and no other network. */
  defaultSubnet?: string;
  defaultAddressPools?: { base: string; size: number }[];
  mtu?: number;
  /** Resolvers replacing the host's: in default-bridge resolv.conf and as the embedded DNS server's upstreams. */
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  /** Directories holding the CNI plugins; default ["/usr/lib/cni", "/opt/cni/bin"]. */
  cniPath?: string[];
  /** Host files copied or filtered into containers; defaults /etc/resolv.conf, /etc/hosts, /etc/hostname. */
  hostResolvConf?: string;
  hostHosts?: string;
  hostHostname?: string;
  /** Host ports for -P and hostPort 0; default from /proc/sys/net/ipv4/ip_local_port_range. */
  ephemeralPorts?: { start: number; end: number };
}

export interface NetworkServiceDeps {
  /** Networks, container endpoints and IPAM leases live under <dataRoot>/network. */
  dataRoot: string;
  /** Network namespaces are pinned under <execRoot>/netns. */
  execRoot: string;
  logger: Logger;
  config?: NetworkServiceConfig;
}

export interface NetworkService {
  /** Loads state, creates the predefined networks, brings bridges and DNS servers up. */
  start(): Promise<void>;
  /** Stops the DNS servers. Bridges and container networking stay. */
  close(): Promise<void>;

  create(opts: NetworkCreateOptions): Promise<{ id: string; warning: string }>;
  /** By full id, name, or unique id prefix. */
  inspect(ref: string): Promise<Network>;
  /** Filters: driver, id, label, name, scope, type (custom|builtin), dangling. */
  list(filters?: Record<string, string[]>): Promise<Network[]>;
  remove(ref: string): Promise<void>;
  /** Removes unused user-defined networks; filters: label, label!, until. Returns the removed names. */
  prune(filters?: Record<string, string[]>): Promise<string[]>;

  /** Where a container's namespace should be pinned: <execRoot>/netns/<containerId>. */
  netnsPath(containerId: string): string;
  /** Attaches a container (its netns already created with createNetns(netnsPath(id)); null for host) to its
   *  networks and publishes ports. All or nothing: on error nothing stays allocated and the netns is unpinned. */
  setupContainer(
    containerId: string,
    netnsPath: string | null,
    opts: ContainerNetworkOptions,
  ): Promise<ContainerNetwork & { warnings: string[] }>;
  /** Detaches from every network (CNI DEL replayed from persisted state), frees ports, then unpins the
   *  netns (removeNetns). Idempotent. Works after a berthd kill and restart. */
  teardownContainer(containerId: string): Promise<void>;
  /** Attaches a set-up (running) container to one more network, as eth1, eth2... */
  connect(containerId: string, req: EndpointRequest): Promise<ContainerNetwork>;
  disconnect(containerId: string, network: string): Promise<ContainerNetwork>;
  /** Current networking of a set-up container, undefined when it has none. */
  container(containerId: string): ContainerNetwork | undefined;
  /** Keeps DNS answers in step with `docker rename`. */
  renameContainer(containerId: string, name: string): Promise<void>;
  /** Containers with networking set up (to reconcile with the runtime after a restart). */
  attachedContainers(): string[];
}

// Networks as Docker's Network JSON, and the network parts of container inspect and list (NetworkSettings,
// the HostConfig network options, the Ports of `docker ps`).
import type { Container, ContainerNetworkSpec, Endpoint, EndpointSpec, Network, PortBinding } from '../engine/types.js';

const nullIfEmpty = <T>(list: T[]): T[] | null => (list.length > 0 ? list : null);
const nullIfNone = (obj: Record<string, string>) => (Object.keys(obj).length > 0 ? obj : null);

export function networkJson(n: Network, withContainers: boolean): Record<string, unknown> {
  const containers: Record<string, unknown> = {};
  if (withContainers) {
    for (const [id, c] of Object.entries(n.containers)) {
      containers[id] = { Name: c.name, EndpointID: c.endpointId, MacAddress: c.macAddress, IPv4Address: c.ipv4Address, IPv6Address: c.ipv6Address };
    }
  }
  return {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: n.scope,
    Driver: n.driver,
    EnableIPv4: n.driver === 'bridge',
    EnableIPv6: n.enableIPv6,
    IPAM: {
      Driver: n.ipam.driver,
      Options: nullIfNone(n.ipam.options),
      Config: n.ipam.config.map((p) => ({ Subnet: p.subnet, Gateway: p.gateway, ...(p.ipRange ? { IPRange: p.ipRange } : {}) })),
    },
    Internal: n.internal,
    Attachable: n.attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: n.options,
    Labels: n.labels,
  };
}

const networkOf = (c: Container): ContainerNetworkSpec | undefined => c.spec.network;

/** One entry of NetworkSettings.Networks: live values while running, the request otherwise. */
function endpointJson(want: EndpointSpec | undefined, live: Endpoint | undefined): Record<string, unknown> {
  const aliases = live?.aliases ?? want?.aliases ?? [];
  return {
    IPAMConfig: want?.ipv4Address ? { IPv4Address: want.ipv4Address } : null,
    Links: null,
    Aliases: nullIfEmpty(aliases),
    MacAddress: live?.macAddress ?? '',
    DriverOpts: null,
    GwPriority: 0,
    NetworkID: live?.networkId ?? want?.networkId ?? '',
    EndpointID: live?.endpointId ?? '',
    Gateway: live?.gateway ?? '',
    IPAddress: live?.ipAddress ?? '',
    IPPrefixLen: live?.ipAddress ? live.prefixLen : 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: live ? nullIfEmpty(live.dnsNames) : null,
  };
}

function networksJson(c: Container): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const live = c.network?.endpoints ?? [];
  for (const want of networkOf(c)?.endpoints ?? [{ network: 'bridge', aliases: [] }]) {
    out[want.network] = endpointJson(want, live.find((e) => e.networkName === want.network));
  }
  for (const ep of live) if (!(ep.networkName in out)) out[ep.networkName] = endpointJson(undefined, ep);
  return out;
}

const portKey = (port: number, protocol: string) => `${port}/${protocol}`;

/** NetworkSettings.Ports: every exposed or published port of a running container, with its host bindings. */
function portsJson(c: Container): Record<string, { HostIp: string; HostPort: string }[] | null> {
  const out: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  if (!c.network) return out;
  for (const p of c.spec.exposedPorts) out[p] = null;
  for (const p of c.network.ports) {
    const key = portKey(p.containerPort, p.protocol);
    out[key] = [...(out[key] ?? []), { HostIp: p.hostIp, HostPort: String(p.hostPort) }];
  }
  return out;
}

export function networkSettingsJson(c: Container): Record<string, unknown> {
  const bridge = c.network?.endpoints.find((e) => e.networkName === 'bridge');
  return {
    Bridge: '',
    SandboxID: c.network?.sandboxKey ? c.id : '',
    SandboxKey: c.network?.sandboxKey ?? '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: portsJson(c),
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: bridge?.endpointId ?? '',
    Gateway: bridge?.gateway ?? '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: bridge?.ipAddress ?? '',
    IPPrefixLen: bridge?.prefixLen ?? 0,
    IPv6Gateway: '',
    MacAddress: bridge?.macAddress ?? '',
    Networks: networksJson(c),
  };
}

const hostPortText = (b: PortBinding) => (b.hostPort === 0 ? '' : b.hostPortEnd ? `${b.hostPort}-${b.hostPortEnd}` : String(b.hostPort));

/** The network options of HostConfig, as they were given. */
export function hostConfigNetworkJson(c: Container): Record<string, unknown> {
  const n = networkOf(c);
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const b of n?.portBindings ?? []) {
    const key = portKey(b.containerPort, b.protocol);
    bindings[key] = [...(bindings[key] ?? []), { HostIp: b.hostIp, HostPort: hostPortText(b) }];
  }
  return {
    NetworkMode: n?.mode ?? 'bridge',
    PortBindings: bindings,
    PublishAllPorts: n?.publishAll ?? false,
    Dns: n?.dns ?? [],
    DnsOptions: n?.dnsOptions ?? [],
    DnsSearch: n?.dnsSearch ?? [],
    ExtraHosts: nullIfEmpty(n?.extraHosts ?? []),
  };
}

/** `docker ps` data: Ports (published first, then exposed ones without a binding), NetworkMode, Networks. */
export function containerSummaryNetworkJson(c: Container): Record<string, unknown> {
  const ports: Record<string, unknown>[] = [];
  for (const p of c.network?.ports ?? []) ports.push({ IP: p.hostIp, PrivatePort: p.containerPort, PublicPort: p.hostPort, Type: p.protocol });
  if (c.network) {
    for (const spec of c.spec.exposedPorts) {
      const [port, protocol = 'tcp'] = spec.split('/');
      if (/^\d+$/.test(port) && !c.network.ports.some((p) => p.containerPort === Number(port) && p.protocol === protocol)) {
        ports.push({ PrivatePort: Number(port), Type: protocol });
      }
    }
  }
  return {
    Ports: ports,
    HostConfig: { NetworkMode: networkOf(c)?.mode ?? 'bridge' },
    NetworkSettings: { Networks: networksJson(c) },
  };
}

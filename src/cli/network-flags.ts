// The network flags of `run` and `create` (-p, -P, --expose, --network, --network-alias, --ip, --dns*, --add-host)
// and the parts of the container create body they make (docker's opts.go and go-connections/nat).
import type { ContainerCreateBody, EndpointSettings } from '../client/index.js';
import { UsageError } from './errors.js';
import { bool, list, str, type FlagValues } from './flags.js';

export const networkFlags = {
  publish: list('publish', "Publish a container's port(s) to the host", { short: 'p' }),
  publishAll: bool('publish-all', 'Publish all exposed ports to random ports', { short: 'P' }),
  expose: list('expose', 'Expose a port or a range of ports'),
  network: str('network', 'Connect a container to a network'),
  networkAlias: list('network-alias', 'Add network-scoped alias for the container'),
  ip: str('ip', 'IPv4 address (e.g., 172.30.100.104)'),
  dns: list('dns', 'Set custom DNS servers'),
  dnsSearch: list('dns-search', 'Set custom DNS search domains'),
  dnsOption: list('dns-option', 'Set DNS options'),
  addHost: list('add-host', 'Add a custom host-to-IP mapping (host:ip)'),
};

export type NetworkFlags = FlagValues<typeof networkFlags>;

type Bindings = Record<string, { HostIp: string; HostPort: string }[]>;

/** "80", "8000-8010": [start, end]; undefined for "". */
function portRange(text: string, what: string): [number, number] | undefined {
  if (text === '') return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const [start, end] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
  if (!(start >= 1 && end <= 65535 && start <= end)) throw new UsageError(`invalid ${what}: ${text}`, 1);
  return [start, end];
}

/** [ip:][hostPort:]containerPort[/proto], ranges allowed; ip may be [ipv6]. */
export function parsePublish(spec: string, exposed: Set<string>, bindings: Bindings): void {
  const slash = spec.lastIndexOf('/');
  const [rest, proto] = slash > spec.lastIndexOf(']') && slash >= 0 ? [spec.slice(0, slash), spec.slice(slash + 1).toLowerCase()] : [spec, 'tcp'];
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new UsageError(`invalid proto: ${proto}`, 1);
  const parts = /^(?:(\[[^\]]*\]|[^:]*):)??(?:([^:]*):)?([^:]+)$/.exec(rest);
  if (!parts) throw new UsageError(`invalid publish spec: ${spec}`, 1);
  const hostIp = (parts[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  const container = portRange(parts[3], 'containerPort')!;
  const host = portRange(parts[2] ?? '', 'hostPort');
  const count = container[1] - container[0] + 1;
  if (host && count > 1 && host[1] - host[0] + 1 !== count) {
    throw new UsageError(`invalid ranges specified for container and host Ports: ${parts[3]} and ${parts[2]}`, 1);
  }
  for (let i = 0; i < count; i++) {
    const key = `${container[0] + i}/${proto}`;
    const hostPort = !host ? '' : count > 1 ? String(host[0] + i) : host[0] === host[1] ? String(host[0]) : `${host[0]}-${host[1]}`;
    exposed.add(key);
    (bindings[key] ??= []).push({ HostIp: hostIp, HostPort: hostPort });
  }
}

/** --expose 80, 80/udp, 8000-8010. */
function parseExpose(spec: string, exposed: Set<string>): void {
  const [ports, proto = 'tcp'] = spec.split('/');
  const [start, end] = portRange(ports, 'port')!;
  for (let p = start; p <= end; p++) exposed.add(`${p}/${proto.toLowerCase()}`);
}

/** Config.ExposedPorts, the HostConfig network fields and NetworkingConfig of the create body: only what was asked. */
export function networkCreateFields(f: NetworkFlags): { config: Partial<ContainerCreateBody>; host: Record<string, unknown> } {
  const exposed = new Set<string>();
  const bindings: Bindings = {};
  f.expose.forEach((e) => parseExpose(e, exposed));
  f.publish.forEach((p) => parsePublish(p, exposed, bindings));
  const mode = f.network ?? 'default';
  const endpoint: EndpointSettings = {
    ...(f.networkAlias.length && { Aliases: f.networkAlias }),
    ...(f.ip && { IPAMConfig: { IPv4Address: f.ip } }),
  };
  if (mode === 'default' && f.networkAlias.length) throw new UsageError('network-scoped aliases are only supported for user-defined networks', 1);
  const host = {
    ...(f.network !== undefined && { NetworkMode: mode }),
    ...(Object.keys(bindings).length && { PortBindings: bindings }),
    ...(f.publishAll && { PublishAllPorts: true }),
    ...(f.dns.length && { Dns: f.dns }),
    ...(f.dnsSearch.length && { DnsSearch: f.dnsSearch }),
    ...(f.dnsOption.length && { DnsOptions: f.dnsOption }),
    ...(f.addHost.length && { ExtraHosts: f.addHost }),
  };
  return {
    config: {
      ...(exposed.size && { ExposedPorts: Object.fromEntries([...exposed].map((p) => [p, {}])) }),
      ...(Object.keys(endpoint).length && { NetworkingConfig: { EndpointsConfig: { [mode]: endpoint } } }),
    },
    host,
  };
}

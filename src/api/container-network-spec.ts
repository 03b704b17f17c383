// The network half of Docker's container create body (HostConfig.NetworkMode, PortBindings, PublishAllPorts,
// Dns*, ExtraHosts and NetworkingConfig.EndpointsConfig) → the engine's ContainerNetworkSpec.
import { isIP } from 'node:net';
import type { ContainerNetworkSpec, EndpointSpec, PortBinding } from '../engine/types.js';
import { invalidArgument } from '../errors.js';
import { normalizePort } from './container-spec.js';
import { fields, type Fields } from './json-fields.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON array of objects (null or absent: none), each as Fields. */
export function objectList(value: unknown, where: string): Fields[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidArgument(`invalid JSON: ${where} must be an array`);
  return value.map((v: unknown, i) => {
    if (!isObject(v)) throw invalidArgument(`invalid JSON: ${where}[${i}] must be an object`);
    return fields(v, `${where}[${i}]`);
  });
}

/** "", "8080" or "8000-8010" → [start, end]; [0, 0] picks a free port. */
function hostPortRange(text: string): [number, number] {
  if (text === '') return [0, 0];
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  const [start, end] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
  if (!(start >= 1 && end <= 65535 && start <= end)) throw invalidArgument(`invalid host port: ${JSON.stringify(text)}`);
  return [start, end];
}

/** One PortBindings entry: "80/tcp" (or "8000-8001/tcp", paired with an equal host range) to its bindings. */
function bindingsOf(key: string, value: unknown): PortBinding[] {
  const [ports, protocol] = normalizePort(key).split('/');
  if (protocol !== 'tcp' && protocol !== 'udp') throw invalidArgument(`unsupported protocol for published port: ${protocol}`);
  const [first, last = first] = ports.split('-').map(Number);
  return objectList(value, `HostConfig.PortBindings.${key}`).flatMap((b) => {
    const hostIp = b.str('HostIp') ?? '';
    if (hostIp !== '' && !isIP(hostIp)) throw invalidArgument(`invalid host IP for published port: ${JSON.stringify(hostIp)}`);
    const [start, end] = hostPortRange(b.str('HostPort') ?? '');
    const count = last - first + 1;
    if (count === 1) return [{ hostIp, hostPort: start, ...(end !== start ? { hostPortEnd: end } : {}), containerPort: first, protocol }];
    if (start !== 0 && end - start + 1 !== count) {
      throw invalidArgument(`invalid port range: container ports ${ports} and host ports ${start}-${end} differ in size`);
    }
    return Array.from({ length: count }, (_, n) => ({ hostIp, hostPort: start === 0 ? 0 : start + n, containerPort: first + n, protocol }));
  });
}

function endpointsOf(config: Fields): EndpointSpec[] {
  const networking = config.obj('NetworkingConfig');
  return (networking?.keys('EndpointsConfig') ?? []).map((name) => {
    const ep = networking?.obj('EndpointsConfig')?.obj(name);
    const ipv4Address = ep?.obj('IPAMConfig')?.str('IPv4Address');
    if (ipv4Address && isIP(ipv4Address) !== 4) throw invalidArgument(`invalid IPv4 address: ${ipv4Address}`);
    return { network: name === 'default' ? 'bridge' : name, aliases: ep?.strList('Aliases') ?? [], ...(ipv4Address ? { ipv4Address } : {}) };
  });
}

function addresses(list: string[], what: string): string[] {
  for (const a of list) if (!isIP(a)) throw invalidArgument(`invalid ${what}: ${JSON.stringify(a)} is not an IP address`);
  return list;
}

/** undefined when the body asks for nothing but the default bridge. */
export function toContainerNetworkSpec(body: Record<string, unknown>): ContainerNetworkSpec | undefined {
  const config = fields(body, 'Config');
  const host = config.obj('HostConfig');
  const rawBindings = (body.HostConfig as Record<string, unknown> | undefined)?.PortBindings;
  if (rawBindings !== undefined && rawBindings !== null && !isObject(rawBindings)) throw invalidArgument('invalid JSON: HostConfig.PortBindings must be an object');
  const mode = host?.str('NetworkMode') || 'default';
  const spec: ContainerNetworkSpec = {
    mode: mode === 'default' ? 'bridge' : mode,
    endpoints: endpointsOf(config),
    portBindings: Object.entries(rawBindings ?? {}).flatMap(([key, value]) => bindingsOf(key, value)),
    publishAll: host?.bool('PublishAllPorts') ?? false,
    dns: addresses(host?.strList('Dns') ?? [], 'DNS server'),
    dnsSearch: host?.strList('DnsSearch') ?? [],
    dnsOptions: host?.strList('DnsOptions') ?? [],
    extraHosts: host?.strList('ExtraHosts') ?? [],
  };
  const plain = spec.mode === 'bridge' && !spec.publishAll && spec.endpoints.every((e) => e.network === 'bridge' && !e.aliases.length && !e.ipv4Address);
  const empty = [spec.portBindings, spec.dns, spec.dnsSearch, spec.dnsOptions, spec.extraHosts].every((l) => l.length === 0);
  return plain && empty ? undefined : spec;
}

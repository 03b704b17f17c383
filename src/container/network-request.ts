// The network half of a create request, checked the way Docker checks it and settled before anything is
// created: known networks (stored by name), the primary network first, Docker's conflicting-option errors.
import os from 'node:os';
import type { Container, ContainerNetworkSpec, ContainerSpec, EndpointSpec, OciImageConfig } from '../engine/types.js';
import type { NetworkService } from '../network/index.js';
import { BerthError, invalidArgument, isBerthError } from '../errors.js';

const defaultNetworkSpec = (): ContainerNetworkSpec => ({
  mode: 'bridge', endpoints: [{ network: 'bridge', aliases: [] }], portBindings: [], publishAll: false, dns: [], dnsSearch: [], dnsOptions: [], extraHosts: [],
});

/** The container's network request; records made before networking existed get the default bridge. */
export const networkSpecOf = (spec: ContainerSpec): ContainerNetworkSpec => spec.network ?? defaultNetworkSpec();

export const containerModeTarget = (mode: string): string | undefined => (mode.startsWith('container:') ? mode.slice('container:'.length) : undefined);

const predefined = new Set(['bridge', 'host', 'none']);
const published = (n: ContainerNetworkSpec) => n.portBindings.length > 0 || n.publishAll;

/** Docker's checks of options that make no sense when another container's network is shared. */
function checkContainerMode(spec: ContainerSpec, n: ContainerNetworkSpec): void {
  const clash = (what: string) => invalidArgument(`conflicting options: ${what} and the network mode`);
  if (spec.hostname) throw clash('hostname');
  if (n.dns.length || n.dnsSearch.length || n.dnsOptions.length) throw clash('dns');
  if (n.extraHosts.length) throw clash('custom host-to-IP mapping');
  if (published(n)) throw invalidArgument('conflicting options: port publishing and the container type network mode');
  if (spec.exposedPorts.length) throw invalidArgument('conflicting options: port exposing and the container type network mode');
  if (n.endpoints.some((e) => e.network !== n.mode)) {
    throw new BerthError('forbidden', 'container sharing network namespace with another container or host cannot be connected to any other network');
  }
}

/**
 * Resolves every requested network, the primary first, each once. Unknown ones are refused at once (Docker only
 * finds out at start), as 400: the docker CLI takes a 404 from create for a missing image and would pull.
 */
async function resolveEndpoints(net: NetworkService, n: ContainerNetworkSpec): Promise<EndpointSpec[]> {
  const wanted = n.endpoints.some((e) => e.network === n.mode) ? n.endpoints : [{ network: n.mode, aliases: [] }, ...n.endpoints];
  const out: EndpointSpec[] = [];
  for (const e of [...wanted].sort((a, b) => Number(b.network === n.mode) - Number(a.network === n.mode))) {
    const found = await net.inspect(e.network).catch((err: unknown) => {
      throw isBerthError(err, 'not_found') ? invalidArgument(err.message) : err;
    });
    if (out.some((o) => o.networkId === found.id)) continue;
    if (e.aliases.length > 0 && predefined.has(found.name)) {
      throw invalidArgument('network-scoped alias is supported only for containers in user defined networks');
    }
    if (e.ipv4Address && predefined.has(found.name)) throw invalidArgument('user specified IP address is supported on user defined networks only');
    out.push({ network: found.name, networkId: found.id, aliases: [...e.aliases], ...(e.ipv4Address ? { ipv4Address: e.ipv4Address } : {}) });
  }
  const special = out.find((e) => e.network === 'host' || e.network === 'none');
  if (special && out.length > 1) {
    throw new BerthError('forbidden', `container cannot be connected to multiple networks with one of the networks in ${special.network} mode`);
  }
  return out;
}

/**
 * Checks spec's networking and returns the spec to store: networks resolved, the image's exposed ports merged,
 * the host's hostname on the host network, container:<name> turned into container:<id>.
 */
export async function settleNetworkRequest(
  net: NetworkService,
  spec: ContainerSpec,
  image: OciImageConfig,
  find: (ref: string) => Container | undefined,
): Promise<{ spec: ContainerSpec; warnings: string[] }> {
  const asked = networkSpecOf(spec);
  const mode = !asked.mode || asked.mode === 'default' ? 'bridge' : asked.mode;
  const n: ContainerNetworkSpec = { ...asked, mode };
  const warnings: string[] = [];
  const exposedPorts = [...new Set([...Object.keys(image.ExposedPorts ?? {}).map((p) => (p.includes('/') ? p : `${p}/tcp`).toLowerCase()), ...spec.exposedPorts])];
  const target = containerModeTarget(mode);
  if (target !== undefined) {
    checkContainerMode(spec, n);
    const other = find(target);
    if (!other) throw invalidArgument(`No such container: ${target}`);
    return { spec: { ...spec, exposedPorts, network: { ...n, mode: `container:${other.id}`, endpoints: [] } }, warnings };
  }
  const endpoints = await resolveEndpoints(net, n);
  const primary = endpoints[0].network;
  if ((primary === 'host' || primary === 'none') && published(n)) {
    warnings.push(`Published ports are discarded when using ${primary} network mode`);
  }
  const hostname = primary === 'host' && !spec.hostname ? os.hostname() : spec.hostname;
  return { spec: { ...spec, exposedPorts, ...(hostname ? { hostname } : {}), network: { ...n, endpoints } }, warnings };
}

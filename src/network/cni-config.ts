// The plugin chain berth runs for one container endpoint on a bridge network: bridge (host-local IPAM), then
// portmap with published ports. Masquerading and isolation are the network's own rules (bridge-firewall.ts).
import { cniVersion, type CniPluginConfig } from './cni.js';
import { broadcast, formatIPv4, parseCidr } from './ipv4.js';
import type { NetworkRecord } from './records.js';
import type { PublishedPort } from './types.js';

/** The CNI network name: names host-local's lease directory and the plugins' iptables chains. */
export const cniNetworkName = (net: Pick<NetworkRecord, 'id'>): string => `berth-${net.id.slice(0, 12)}`;

export interface EndpointChainOptions {
  ipamDir: string;
  defaultGateway: boolean;
  ports: PublishedPort[];
  ipv4Address?: string;
}

/** Dynamic addresses come from the ip range; a requested one (--ip) may be anywhere in the subnet. */
function ipamRange(net: NetworkRecord, requested: boolean): Record<string, string> {
  const pool = net.pool!;
  const range: Record<string, string> = { subnet: pool.subnet, gateway: pool.gateway };
  if (pool.ipRange && !requested) {
    const subnet = parseCidr(pool.subnet);
    const r = parseCidr(pool.ipRange);
    range.rangeStart = formatIPv4(Math.max(r.network, subnet.network + 1));
    range.rangeEnd = formatIPv4(Math.min(broadcast(r), broadcast(subnet) - 1));
  }
  return range;
}

export function endpointChain(net: NetworkRecord, opts: EndpointChainOptions): CniPluginConfig[] {
  const name = cniNetworkName(net);
  const prefix = parseCidr(net.pool!.subnet).prefix;
  const bridge: CniPluginConfig = {
    cniVersion,
    name,
    type: 'bridge',
    bridge: net.bridge,
    isGateway: true,
    isDefaultGateway: opts.defaultGateway && !net.internal,
    hairpinMode: true,
    ...(net.mtu ? { mtu: net.mtu } : {}),
    ipam: { type: 'host-local', ranges: [[ipamRange(net, !!opts.ipv4Address)]], dataDir: opts.ipamDir },
    ...(opts.ipv4Address ? { runtimeConfig: { ips: [`${opts.ipv4Address}/${prefix}`] } } : {}),
  };
  const chain = [bridge];
  if (opts.ports.length > 0) {
    chain.push({
      cniVersion,
      name,
      type: 'portmap',
      snat: true,
      capabilities: { portMappings: true },
      runtimeConfig: {
        portMappings: opts.ports.map((p) => ({
          hostPort: p.hostPort,
          containerPort: p.containerPort,
          protocol: p.protocol,
          ...(p.hostIp !== '0.0.0.0' ? { hostIP: p.hostIp } : {}),
        })),
      },
    });
  }
  return chain;
}

// Which names the embedded DNS server of a network answers: containers on user-defined networks by name,
// network alias and short id (also as <name>.<network>), looked up on the networks of the asking container.
import { shortId } from '../util/ids.js';
import { activeContainers, upstreamsFor, type Context } from './context.js';
import { QTYPE, reverseIPv4 } from './dns-wire.js';
import type { DnsResolver } from './dns-server.js';
import type { ContainerRecord, EndpointRecord, NetworkRecord } from './records.js';

/** The names an endpoint is known by on its network (none on the default bridge, like Docker). */
export function dnsNames(net: NetworkRecord | undefined, container: ContainerRecord, ep: EndpointRecord): string[] {
  if (!net || net.predefined) return [];
  const names = [container.containerName.replace(/^\//, ''), ...ep.aliases, shortId(container.containerId)];
  return [...new Set(names.filter(Boolean))];
}

const ready = (ep: EndpointRecord) => ep.ipAddress !== '' && ep.plugins.length > 0 && ep.done === ep.plugins.length;

export function networkResolver(ctx: Context, networkId: string): DnsResolver {
  function asker(client: string): ContainerRecord | undefined {
    for (const c of activeContainers(ctx)) {
      if (c.endpoints.some((ep) => ep.ipAddress === client && ready(ep))) return c;
    }
    return undefined;
  }

  /** The networks whose names the client sees: a container sees its own user networks (this one first),
   *  whichever gateway it asks; any other client (the host) sees this network. */
  function scope(client: string): NetworkRecord[] {
    const own = asker(client)?.endpoints.map((ep) => ep.networkId);
    const ids = own ? [...own].sort((a, b) => Number(b === networkId) - Number(a === networkId)) : [networkId];
    return [...new Set(ids)].map((id) => ctx.networks.get(id)).filter((n): n is NetworkRecord => !!n && !n.predefined);
  }

  return {
    lookup(q, client) {
      const nets = scope(client);
      const members = (net: NetworkRecord) =>
        activeContainers(ctx).flatMap((c) =>
          c.endpoints.filter((ep) => ep.networkId === net.id && ready(ep)).map((ep) => ({ c, ep })),
        );
      if (q.type === QTYPE.PTR) {
        const ip = reverseIPv4(q.name);
        for (const net of ip ? nets : []) {
          const hit = members(net).find(({ ep }) => ep.ipAddress === ip);
          if (hit) return { kind: 'ptr', name: `${hit.c.containerName.replace(/^\//, '')}.${net.name}` };
        }
        return undefined;
      }
      for (const net of nets) {
        const suffix = `.${net.name.toLowerCase()}`;
        const bare = q.name.endsWith(suffix) ? q.name.slice(0, -suffix.length) : q.name;
        const ips = members(net)
          .filter(({ c, ep }) => dnsNames(net, c, ep).some((n) => n.toLowerCase() === q.name || n.toLowerCase() === bare))
          .map(({ ep }) => ep.ipAddress);
        if (ips.length > 0) return { kind: 'name', ips: [...new Set(ips)] };
      }
      return undefined;
    },
    upstreams(client) {
      if (ctx.networks.get(networkId)?.internal) return [];
      return upstreamsFor(ctx, asker(client));
    },
  };
}

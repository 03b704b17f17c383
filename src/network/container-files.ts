// A set-up container's /etc/hosts, /etc/resolv.conf and /etc/hostname, from its endpoints.
import { upstreamsFor, type Context } from './context.js';
import {
  parseExtraHost,
  renderEmbeddedResolvConf,
  renderHostname,
  renderHosts,
  renderResolvConf,
  type HostEntry,
} from './files.js';
import type { ContainerRecord } from './records.js';
import type { ContainerFiles } from './types.js';

/** "host-gateway" in --add-host: the default bridge's gateway address, as with Docker. */
function hostGateway(ctx: Context): string {
  return [...ctx.networks.values()].find((n) => n.predefined && n.name === 'bridge')?.pool?.gateway ?? '';
}

export function containerFiles(ctx: Context, c: ContainerRecord): ContainerFiles {
  const extraHosts: HostEntry[] = c.extraHosts.map((e) => parseExtraHost(e, hostGateway(ctx)));
  const overrides = { dns: c.dns, dnsSearch: c.dnsSearch, dnsOptions: c.dnsOptions };
  const primary = c.endpoints[0] && ctx.networks.get(c.endpoints[0].networkId);

  if (primary?.driver === 'host') {
    const hosts = ctx.host.hosts + (ctx.host.hosts.endsWith('\n') || !ctx.host.hosts ? '' : '\n');
    return {
      hosts: hosts + extraHosts.map((h) => `${h.ip}\t${h.name}\n`).join(''),
      resolvConf: ctx.host.resolvText,
      hostname: renderHostname(ctx.host.hostname),
    };
  }
  const withAddress = c.endpoints.filter((ep) => ep.ipAddress);
  const hosts = renderHosts({
    hostname: c.hostname,
    domainname: c.domainname,
    addresses: withAddress.map((ep) => ep.ipAddress),
    aliases: [...new Set(withAddress.flatMap((ep) => ep.aliases))],
    extraHosts,
  });
  // As with Docker, joining any user-defined network (connect included) brings the embedded DNS server.
  const dnsNet = c.endpoints.map((ep) => ctx.networks.get(ep.networkId)).find((n) => n?.driver === 'bridge' && !n.predefined);
  return {
    hosts,
    resolvConf: dnsNet
      ? renderEmbeddedResolvConf(dnsNet.pool!.gateway, dnsNet.internal ? [] : upstreamsFor(ctx, c), ctx.host.resolv, overrides)
      : renderResolvConf(ctx.host.resolv, overrides),
    hostname: renderHostname(c.hostname),
  };
}

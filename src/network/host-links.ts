// The host side of bridge networks, through iproute2: the Linux bridge with the gateway address (created with
// the network so the DNS server can listen on it before any container), and the routes that tell which
// subnets are taken.
import { BerthError } from '../errors.js';
import { run, runChecked } from '../util/run.js';
import { parseCidr, type Cidr } from './ipv4.js';

/**
 * The bridge gets a fixed MAC address derived from its gateway address: a bridge left to itself takes the
 * lowest MAC among its ports and changes it as containers come and go, which strands the ARP caches of the
 * other containers (their packets to the gateway, DNS included, go nowhere until the entry expires).
 */
export async function ensureBridge(name: string, gatewayCidr: string, mtu?: number): Promise<void> {
  const mac = ['02', '42', ...gatewayCidr.split('/')[0].split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
  const add = await run('ip', ['link', 'add', 'name', name, 'type', 'bridge']);
  if (add.code !== 0 && !/exists/i.test(add.stderr)) {
    throw new BerthError('internal', `cannot create bridge ${name}: ${add.stderr.trim()}`);
  }
  await runChecked('ip', ['addr', 'replace', gatewayCidr, 'dev', name]);
  await runChecked('ip', ['link', 'set', name, 'address', mac, ...(mtu ? ['mtu', String(mtu)] : []), 'up']);
}

/** Deletes the bridge. Tolerates what is already gone. */
export async function deleteBridge(name: string): Promise<void> {
  const del = await run('ip', ['link', 'del', name]);
  if (del.code !== 0 && !/Cannot find device|does not exist/i.test(del.stderr)) {
    throw new BerthError('internal', `cannot delete bridge ${name}: ${del.stderr.trim()}`);
  }
}

/** IPv4 destinations routed in this network namespace (the default route excluded). */
export async function routedSubnets(): Promise<Cidr[]> {
  const routes = JSON.parse(await runChecked('ip', ['-j', '-4', 'route', 'show'])) as { dst: string }[];
  return routes
    .map((r) => r.dst)
    .filter((d) => d !== 'default' && /^[\d.]+(\/\d+)?$/.test(d))
    .map((d) => parseCidr(d.includes('/') ? d : `${d}/32`));
}

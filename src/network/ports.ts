// Host port allocation for published ports. Ports are forwarded by iptables DNAT (portmap), with no process
// listening, so a port counts as taken when berth already published it, when some CNI portmap rule
// forwards it, or when a probe socket cannot bind it.
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { conflict, invalidArgument, isErrno } from '../errors.js';
import { isIPv4 } from './ipv4.js';
import { run } from '../util/run.js';
import { splitRule } from './iptables-rule.js';
import type { PortBinding, PortProtocol, PublishedPort } from './types.js';

export interface PortAllocator {
  /** Chooses host ports for every binding (all or none) and holds them for owner. */
  reserve(owner: string, bindings: PortBinding[]): Promise<PublishedPort[]>;
  /** Holds ports already published (state loaded at start). */
  hold(owner: string, ports: PublishedPort[]): void;
  release(owner: string): void;
}

const anyIp = '0.0.0.0';

function clash(a: PublishedPort, b: Pick<PublishedPort, 'hostIp' | 'hostPort' | 'protocol'>): boolean {
  return a.protocol === b.protocol && a.hostPort === b.hostPort && (a.hostIp === b.hostIp || a.hostIp === anyIp || b.hostIp === anyIp);
}

/** Binds and closes a probe socket: false when the port is in use. */
function probe(protocol: PortProtocol, hostIp: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      if (isErrno(err, 'EADDRINUSE') || isErrno(err, 'EACCES')) resolve(false);
      else if (isErrno(err, 'EADDRNOTAVAIL')) reject(invalidArgument(`Bind for ${hostIp}:${port} failed: cannot assign requested address`));
      else reject(err);
    };
    if (protocol === 'udp') {
      const sock = createSocket('udp4');
      sock.once('error', fail);
      sock.bind({ address: hostIp, port, exclusive: true }, () => sock.close(() => resolve(true)));
    } else {
      const srv = createServer();
      srv.once('error', fail);
      srv.listen({ host: hostIp, port, exclusive: true }, () => srv.close(() => resolve(true)));
    }
  });
}

/** Ports forwarded by any portmap plugin run in this namespace (other daemons included). */
async function forwardedPorts(): Promise<PublishedPort[]> {
  const r = await run('iptables', ['-w', '-t', 'nat', '-S', 'CNI-HOSTPORT-DNAT']);
  if (r.code !== 0) return [];
  const ports: PublishedPort[] = [];
  for (const line of r.stdout.split('\n')) {
    const args = splitRule(line);
    const proto = args[args.indexOf('-p') + 1];
    const dports = args[args.indexOf('--dports') + 1];
    if (!args.includes('--dports') || (proto !== 'tcp' && proto !== 'udp')) continue;
    for (const p of dports.split(',')) ports.push({ hostIp: anyIp, hostPort: Number(p), containerPort: 0, protocol: proto });
  }
  return ports;
}

export async function ephemeralPortRange(): Promise<{ start: number; end: number }> {
  try {
    const [start, end] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/).map(Number);
    if (start > 0 && end >= start) return { start, end };
  } catch {
    // fall through to Docker's defaults
  }
  return { start: 32768, end: 60999 };
}

function validate(b: PortBinding): void {
  const portOk = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;
  if (!portOk(b.containerPort)) throw invalidArgument(`invalid container port: ${b.containerPort}`);
  if (b.hostPort !== 0 && !portOk(b.hostPort)) throw invalidArgument(`invalid host port: ${b.hostPort}`);
  if (b.hostPortEnd !== undefined && (!portOk(b.hostPortEnd) || b.hostPortEnd < b.hostPort || b.hostPort === 0)) {
    throw invalidArgument(`invalid host port range: ${b.hostPort}-${b.hostPortEnd}`);
  }
  if (b.protocol !== 'tcp' && b.protocol !== 'udp') throw invalidArgument(`unsupported protocol for published port: ${b.protocol}`);
  if (b.hostIp !== '' && !isIPv4(b.hostIp)) throw invalidArgument(`invalid or unsupported (IPv6) host IP for published port: ${b.hostIp}`);
}

export function createPortAllocator(ephemeral: { start: number; end: number }): PortAllocator {
  const held = new Map<string, PublishedPort[]>();
  let cursor = 0;

  async function reserve(owner: string, bindings: PortBinding[]): Promise<PublishedPort[]> {
    bindings.forEach(validate);
    const taken = [...[...held.values()].flat(), ...(await forwardedPorts())];
    const chosen: PublishedPort[] = [];
    const free = async (want: PublishedPort) =>
      !taken.some((t) => clash(t, want)) && !chosen.some((c) => clash(c, want)) && probe(want.protocol, want.hostIp, want.hostPort);

    for (const b of bindings) {
      const hostIp = b.hostIp === '' ? anyIp : b.hostIp;
      const base = { hostIp, containerPort: b.containerPort, protocol: b.protocol };
      const [start, end] = b.hostPort === 0 ? [ephemeral.start, ephemeral.end] : [b.hostPort, b.hostPortEnd ?? b.hostPort];
      const count = end - start + 1;
      const offset = b.hostPort === 0 ? cursor % count : 0;
      let picked: PublishedPort | undefined;
      for (let i = 0; i < count && !picked; i++) {
        const want = { ...base, hostPort: start + ((offset + i) % count) };
        if (await free(want)) picked = want;
      }
      if (!picked) {
        const what = count === 1 ? `${hostIp}:${start}` : `${hostIp}:${start}-${end}`;
        throw conflict(`Bind for ${what} failed: ${count === 1 ? 'port is already allocated' : 'all ports are allocated'}`);
      }
      if (b.hostPort === 0) cursor = picked.hostPort - start + 1;
      chosen.push(picked);
    }
    held.set(owner, [...(held.get(owner) ?? []), ...chosen]);
    return chosen;
  }

  return {
    reserve,
    hold: (owner, ports) => held.set(owner, [...(held.get(owner) ?? []), ...ports]),
    release: (owner) => void held.delete(owner),
  };
}

// The network filters of `docker ps`: network=<name|id>, publish=<port>[/<proto>] and expose=<port>[/<proto>]
// (ports may be ranges; they name container ports, as in Docker).
import type { Container } from '../engine/types.js';
import { invalidArgument } from '../errors.js';
import { networkSpecOf } from './network-request.js';

export const networkFilterKeys = ['network', 'publish', 'expose'];

/** "80", "80/udp", "8000-8010/tcp" → ["80/tcp"], ["80/udp"], ["8000/tcp", ..., "8010/tcp"]. */
export function portKeys(spec: string): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/(\w+))?$/.exec(spec);
  const [start, end] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
  if (!(start >= 1 && end <= 65535 && start <= end)) throw invalidArgument(`invalid port specification: ${JSON.stringify(spec)}`);
  return Array.from({ length: end - start + 1 }, (_, i) => `${start + i}/${(m![3] ?? 'tcp').toLowerCase()}`);
}

export function matchesNetworkFilters(c: Container, f: Record<string, string[]>): boolean {
  const n = networkSpecOf(c.spec);
  const anyPort = (values: string[] | undefined, ports: string[]) => !values?.length || values.some((v) => portKeys(v).some((k) => ports.includes(k)));
  return (
    (!f.network?.length || f.network.some((v) => n.endpoints.some((e) => e.network === v || e.networkId === v))) &&
    anyPort(f.publish, n.portBindings.map((b) => `${b.containerPort}/${b.protocol}`)) &&
    anyPort(f.expose, c.spec.exposedPorts.flatMap(portKeys))
  );
}

// Daemon addresses as docker spells them: unix:///path/to.sock or tcp://host:port.
import { invalidArgument } from '../errors.js';

export const defaultHost = 'unix:///run/berth/berth.sock';

export type Endpoint =
  | { kind: 'unix'; url: string; socketPath: string }
  | { kind: 'tcp'; url: string; hostname: string; port: number };

/** Parses a daemon address; `tcp://host` defaults to port 2375 like docker. */
export function parseHost(host: string): Endpoint {
  const m = /^([a-z]+):\/\/(.*)$/.exec(host.trim());
  if (!m) throw invalidArgument(`invalid daemon address ${JSON.stringify(host)}: expected unix:///path or tcp://host:port`);
  const [, scheme, rest] = m;
  if (scheme === 'unix') {
    const socketPath = rest || new URL(defaultHost).pathname;
    if (!socketPath.startsWith('/')) throw invalidArgument(`invalid unix socket path in ${JSON.stringify(host)}: must be absolute`);
    return { kind: 'unix', url: `unix://${socketPath}`, socketPath };
  }
  if (scheme === 'tcp' || scheme === 'http') {
    const hp = /^(\[[0-9a-fA-F:.]+\]|[^:/]*)(?::(\d+))?\/?$/.exec(rest);
    if (!hp) throw invalidArgument(`invalid tcp address ${JSON.stringify(host)}`);
    const hostname = (hp[1] || '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
    const port = hp[2] === undefined ? 2375 : Number(hp[2]);
    if (port < 1 || port > 65535) throw invalidArgument(`invalid port in ${JSON.stringify(host)}`);
    const shown = hostname.includes(':') ? `[${hostname}]` : hostname;
    return { kind: 'tcp', url: `tcp://${shown}:${port}`, hostname, port };
  }
  throw invalidArgument(`unsupported daemon address scheme ${JSON.stringify(scheme)} in ${JSON.stringify(host)}`);
}

/** The daemon to talk to: the -H flag, then BERTH_HOST, then DOCKER_HOST, then the default socket. */
export function resolveHost(flag: string | undefined, env: Record<string, string | undefined>): string {
  return flag || env.BERTH_HOST || env.DOCKER_HOST || defaultHost;
}

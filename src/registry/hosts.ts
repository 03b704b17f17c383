// Where a registry domain is reached: scheme (loopback and configured insecure registries use plain HTTP, as
// Docker does), Docker Hub's real host, and mirrors tried before the origin.
import { BlockList, isIP } from 'node:net';
import { invalidArgument } from '../errors.js';
import type { Endpoint, RegistryHosts, RegistryHostsConfig } from './types.js';

const dockerHubDomain = 'docker.io';
const dockerHubHost = 'registry-1.docker.io';

/** "[::1]:5000" → "::1", "host:5000" → "host". */
export function hostOnly(hostPort: string): string {
  if (hostPort.startsWith('[')) return hostPort.slice(1, hostPort.indexOf(']'));
  const colon = hostPort.lastIndexOf(':');
  return colon > 0 && hostPort.indexOf(':') === colon ? hostPort.slice(0, colon) : hostPort;
}

function normalizeMirror(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidArgument(`invalid mirror URL ${JSON.stringify(raw)}: it must be http:// or https://`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidArgument(`invalid mirror URL ${JSON.stringify(raw)}: it must be http:// or https://`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw invalidArgument(`invalid mirror URL ${JSON.stringify(raw)}: no credentials, query or fragment allowed`);
  }
  return url.href.replace(/\/+$/, '');
}

export function createRegistryHosts(config: RegistryHostsConfig = {}): RegistryHosts {
  const cidrs = new BlockList();
  cidrs.addSubnet('127.0.0.0', 8, 'ipv4');
  cidrs.addAddress('::1', 'ipv6');
  const names = new Set<string>();
  for (const raw of config.insecureRegistries ?? []) {
    const entry = raw.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, '');
    const slash = entry.indexOf('/');
    if (slash < 0) {
      names.add(entry.toLowerCase());
      continue;
    }
    const [addr, bits] = [entry.slice(0, slash), Number(entry.slice(slash + 1))];
    const family = isIP(addr);
    if (!family || !Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) {
      throw invalidArgument(`invalid insecure registry ${JSON.stringify(raw)}: expected host[:port] or a CIDR`);
    }
    cidrs.addSubnet(addr, bits, family === 4 ? 'ipv4' : 'ipv6');
  }
  const mirrors = new Map<string, string[]>();
  for (const [domain, urls] of Object.entries(config.mirrorMap ?? {})) mirrors.set(domain, urls.map(normalizeMirror));
  if (config.registryMirrors?.length) {
    mirrors.set(dockerHubDomain, [...config.registryMirrors.map(normalizeMirror), ...(mirrors.get(dockerHubDomain) ?? [])]);
  }

  function isInsecure(hostPort: string): boolean {
    const lower = hostPort.toLowerCase();
    const host = hostOnly(lower);
    if (host === 'localhost' || names.has(lower) || names.has(host)) return true;
    const family = isIP(host);
    return family !== 0 && cidrs.check(host, family === 4 ? 'ipv4' : 'ipv6');
  }

  function origin(domain: string): Endpoint {
    const host = domain === dockerHubDomain ? dockerHubHost : domain;
    return { url: `${isInsecure(host) ? 'http' : 'https'}://${host}`, domain, mirror: false };
  }

  return {
    isInsecure,
    origin,
    pullEndpoints: (domain) => [
      ...(mirrors.get(domain) ?? []).map((url) => ({ url, domain, mirror: true })),
      origin(domain),
    ],
  };
}

/** Reads the registry settings out of a parsed daemon.json. */
export function registryHostsConfig(daemonJson: Record<string, unknown>): RegistryHostsConfig {
  const strings = (key: string): string[] | undefined => {
    const v = daemonJson[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
      throw invalidArgument(`daemon.json: "${key}" must be a list of strings`);
    }
    return v;
  };
  const map = daemonJson['registry-mirror-map'];
  if (map !== undefined && (typeof map !== 'object' || map === null || Array.isArray(map))) {
    throw invalidArgument('daemon.json: "registry-mirror-map" must map registry domains to lists of mirror URLs');
  }
  const mirrorMap: Record<string, string[]> = {};
  for (const [domain, urls] of Object.entries((map ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(urls) || !urls.every((s) => typeof s === 'string')) {
      throw invalidArgument(`daemon.json: "registry-mirror-map"."${domain}" must be a list of mirror URLs`);
    }
    mirrorMap[domain] = urls;
  }
  return {
    insecureRegistries: strings('insecure-registries'),
    registryMirrors: strings('registry-mirrors'),
    mirrorMap,
  };
}

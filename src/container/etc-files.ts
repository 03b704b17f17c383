// /etc/hostname, /etc/hosts and /etc/resolv.conf for containers that have no network service configuring them.
import { readFile } from 'node:fs/promises';

export const hostnameFile = (hostname: string): string => `${hostname}\n`;

export function hostsFile(hostname: string, entries: { ip: string; names: string[] }[] = []): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
    ...entries.map((e) => `${e.ip}\t${e.names.join(' ')}`),
  ];
  if (!entries.some((e) => e.names.includes(hostname))) lines.push(`127.0.1.1\t${hostname}`);
  return lines.join('\n') + '\n';
}

/** The host's resolv.conf without loopback resolvers, which mean nothing inside another network namespace. */
export async function resolvConfFromHost(file = '/etc/resolv.conf'): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const kept = text.split('\n').filter((l) => !/^\s*nameserver\s+(127\.|::1\b)/.test(l));
  return kept.join('\n').trimEnd() + '\n';
}

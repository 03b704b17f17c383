// IPv4 addresses and CIDR blocks as unsigned 32-bit numbers: parsing, overlap, pools.
import { invalidArgument } from '../errors.js';

export interface Cidr {
  /** Network address (host bits cleared). */
  network: number;
  prefix: number;
  /** The address as written, which may have host bits set ("172.17.0.1/16" names a gateway). */
  address: number;
}

export function parseIPv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    throw invalidArgument(`invalid IPv4 address: ${JSON.stringify(text)}`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export const isIPv4 = (text: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(text) && text.split('.').every((p) => Number(p) <= 255);

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const maskOf = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

export function parseCidr(text: string): Cidr {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m || Number(m[2]) > 32) throw invalidArgument(`invalid CIDR address: ${JSON.stringify(text)}`);
  const address = parseIPv4(m[1]);
  const prefix = Number(m[2]);
  return { network: (address & maskOf(prefix)) >>> 0, prefix, address };
}

export const size = (c: Cidr): number => 2 ** (32 - c.prefix);
export const broadcast = (c: Cidr): number => c.network + size(c) - 1;
export const formatCidr = (c: Cidr): string => `${formatIPv4(c.network)}/${c.prefix}`;

export function contains(c: Cidr, ip: number): boolean {
  return ip >= c.network && ip <= broadcast(c);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.network <= broadcast(b) && b.network <= broadcast(a);
}

/** A usable host address of c: neither the network nor the broadcast address. */
export function isHostAddress(c: Cidr, ip: number): boolean {
  return contains(c, ip) && ip !== c.network && ip !== broadcast(c);
}

export interface AddressPool {
  base: string;
  size: number;
}

/** Docker's default pools: 172.17.0.0/16 to 172.31.0.0/16, then 192.168.0.0/16 cut into /20s. */
export const defaultAddressPools: AddressPool[] = [
  ...Array.from({ length: 15 }, (_, i) => ({ base: `172.${17 + i}.0.0/16`, size: 16 })),
  { base: '192.168.0.0/16', size: 20 },
];

/** Every subnet the pools offer, in order. */
export function* poolSubnets(pools: AddressPool[]): Generator<Cidr> {
  for (const pool of pools) {
    const base = parseCidr(pool.base);
    if (pool.size < base.prefix || pool.size > 30) {
      throw invalidArgument(`invalid address pool ${pool.base} with size ${pool.size}`);
    }
    const step = 2 ** (32 - pool.size);
    for (let n = base.network; n <= broadcast(base); n += step) {
      yield { network: n, prefix: pool.size, address: n };
    }
  }
}

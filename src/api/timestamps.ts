// Docker's timestamp parameters (since/until of logs and events): "<seconds>[.<fraction>]" as the CLI sends them.
import { invalidArgument } from '../errors.js';

/** Unix seconds with fraction, or undefined when absent or empty. */
export function parseTimestamp(key: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(value.trim());
  if (!m) throw invalidArgument(`invalid value for "${key}": ${JSON.stringify(value)} is not a Unix timestamp`);
  return Number(m[1]) + (m[2] ? Number(`0.${m[2]}`) : 0);
}

/** Go's RFC3339NanoFixed, used for `docker logs --timestamps`: always nine fractional digits, UTC. */
export function rfc3339NanoFixed(t: Date): string {
  return t.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

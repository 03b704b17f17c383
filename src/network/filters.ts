// Docker's filters for `network ls` and `network prune`.
import { invalidArgument } from '../errors.js';
import type { NetworkRecord } from './records.js';
import type { Network } from './types.js';

/** Docker matches name and id filters as unanchored regular expressions. */
function matchesPattern(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return value.includes(pattern);
  }
}

function matchesLabels(labels: Record<string, string>, wanted: string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? w in labels : labels[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

function parseBool(key: string, v: string): boolean {
  if (['true', '1'].includes(v.toLowerCase())) return true;
  if (['false', '0'].includes(v.toLowerCase())) return false;
  throw invalidArgument(`invalid filter '${key}=${v}'`);
}

const listKeys = new Set(['driver', 'id', 'label', 'name', 'scope', 'type', 'dangling']);

/** builtin: one of the predefined networks (bridge, host, none). */
export function matchesNetworkFilters(n: Network, builtin: boolean, filters: Record<string, string[]>): boolean {
  for (const key of Object.keys(filters)) if (!listKeys.has(key)) throw invalidArgument(`invalid filter '${key}'`);
  const any = (key: string, test: (v: string) => boolean) => !filters[key]?.length || filters[key].some(test);
  return (
    any('driver', (v) => v === n.driver) &&
    any('id', (v) => matchesPattern(v, n.id)) &&
    any('name', (v) => matchesPattern(v, n.name)) &&
    any('scope', (v) => v === n.scope) &&
    any('type', (v) => {
      if (v !== 'custom' && v !== 'builtin') throw invalidArgument(`invalid filter: 'type'='${v}'`);
      return (v === 'builtin') === builtin;
    }) &&
    any('dangling', (v) => parseBool('dangling', v) === (Object.keys(n.containers).length === 0)) &&
    matchesLabels(n.labels, filters.label ?? [])
  );
}

/** "until" as RFC 3339, Unix seconds or a Go duration before now ("24h", "1h30m"). */
export function parseUntil(v: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(v)) {
    let ms = 0;
    for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * units[m[2]];
    return now - ms;
  }
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalidArgument(`invalid filter 'until=${v}'`);
  return t;
}

export function matchesPruneFilters(n: NetworkRecord, filters: Record<string, string[]>): boolean {
  for (const key of Object.keys(filters)) {
    if (!['until', 'label', 'label!'].includes(key)) throw invalidArgument(`invalid filter '${key}'`);
  }
  const created = Date.parse(n.created);
  if (!(filters.until ?? []).every((u) => created < parseUntil(u))) return false;
  if (!matchesLabels(n.labels, filters.label ?? [])) return false;
  return (filters['label!'] ?? []).every((w) => !matchesLabels(n.labels, [w]));
}

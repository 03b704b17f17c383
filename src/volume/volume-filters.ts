// Docker's filter semantics for volume ls and volume prune (filters.Args: Match, MatchKVList, bool values).
import { invalidArgument } from '../errors.js';

export type Filters = Record<string, string[]>;

export function validateFilters(filters: Filters, accepted: string[]): void {
  for (const key of Object.keys(filters)) {
    if (!accepted.includes(key)) throw invalidArgument(`invalid filter '${key}'`);
  }
}

/** filters.Args.Match: any pattern equal to value or matching it as a regular expression. */
export function matchAny(value: string, patterns: string[]): boolean {
  return patterns.some((p) => {
    if (p === value) return true;
    try {
      return new RegExp(p).test(value);
    } catch {
      return false;
    }
  });
}

/** filters.Args.MatchKVList: every "key" or "key=value" holds for labels. */
export function matchLabels(labels: Record<string, string>, wanted: string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    if (eq === -1) return w in labels;
    const key = w.slice(0, eq);
    return key in labels && labels[key] === w.slice(eq + 1);
  });
}

/** A boolean filter ("true", "1", "false", "0"); undefined when absent. */
export function boolFilter(filters: Filters, key: string): boolean | undefined {
  const values = filters[key];
  if (values === undefined || values.length === 0) return undefined;
  const parsed = values.map((v) => {
    const l = v.toLowerCase();
    if (l === 'true' || l === '1') return true;
    if (l === 'false' || l === '0') return false;
    throw invalidArgument(`invalid filter '${key}=${v}'`);
  });
  return parsed.some(Boolean);
}

// Docker's `filters` query parameter (api/types/filters): JSON {"key": {"value": true}} or legacy {"key": ["value"]}.
import { invalidArgument } from '../errors.js';

export interface Filters {
  keys(): string[];
  get(key: string): string[];
  has(key: string): boolean;
  /** True when the key has no values, or source is one of them. */
  exactMatch(key: string, source: string): boolean;
  /** exactMatch, or source starts with one of the values. */
  fuzzyMatch(key: string, source: string): boolean;
  /** Every value "k" or "k=v" must be present in sources (true when the key has no values). */
  matchKVList(key: string, sources: Record<string, string>): boolean;
  /** As the engine takes them. */
  toRecord(): Record<string, string[]>;
}

export function parseFilters(raw: string | undefined): Filters {
  const fields = new Map<string, Set<string>>();
  if (raw) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(raw);
    } catch (err) {
      throw invalidArgument(`invalid filter: ${(err as Error).message}`);
    }
    if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw invalidArgument('invalid filter: expected a JSON object');
    for (const [key, value] of Object.entries(decoded)) {
      const values = new Set<string>();
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) value.forEach((v) => values.add(v));
      else if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'boolean')) {
        for (const [v, on] of Object.entries(value)) if (on) values.add(v);
      } else throw invalidArgument(`invalid filter: values of "${key}" must be a list or a map of strings`);
      fields.set(key, values);
    }
  }
  const get = (key: string) => [...(fields.get(key) ?? [])];
  const exactMatch = (key: string, source: string) => {
    const values = fields.get(key);
    return !values || values.size === 0 || values.has(source);
  };
  return {
    keys: () => [...fields.keys()],
    get,
    has: (key) => fields.has(key),
    exactMatch,
    fuzzyMatch: (key, source) => exactMatch(key, source) || get(key).some((prefix) => source.startsWith(prefix)),
    matchKVList(key, sources) {
      const values = get(key);
      if (values.length === 0) return true;
      return values.every((v) => {
        const eq = v.indexOf('=');
        const k = eq < 0 ? v : v.slice(0, eq);
        return k in sources && (eq < 0 || sources[k] === v.slice(eq + 1));
      });
    },
    toRecord: () => Object.fromEntries([...fields].map(([k, v]) => [k, [...v]])),
  };
}

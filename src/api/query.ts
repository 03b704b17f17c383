// Query strings the way Docker's Go handlers read them (r.Form.Get, httputils.BoolValue, ...).
import { invalidArgument } from '../errors.js';

export interface Query {
  /** First value, or undefined when the key is absent. */
  get(key: string): string | undefined;
  /** Every value of a repeated key (`changes=a&changes=b`). */
  all(key: string): string[];
  has(key: string): boolean;
  /** Docker's BoolValue: false only when absent, empty, "0", "no", "false" or "none" (any case). */
  bool(key: string): boolean;
  /** Docker's BoolValueOrDefault: the default when the key is absent, else bool(). */
  boolOr(key: string, fallback: boolean): boolean;
  /** Integer value; undefined when absent or empty; invalid_argument when not an integer. */
  int(key: string): number | undefined;
}

const falsy = new Set(['', '0', 'no', 'false', 'none']);

export function parseBool(value: string | undefined): boolean {
  return value !== undefined && !falsy.has(value.trim().toLowerCase());
}

export function parseQuery(search: string): Query {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const get = (key: string) => params.get(key) ?? undefined;
  return {
    get,
    all: (key) => params.getAll(key),
    has: (key) => params.has(key),
    bool: (key) => parseBool(get(key)),
    boolOr: (key, fallback) => (params.has(key) ? parseBool(get(key)) : fallback),
    int(key) {
      const raw = get(key)?.trim();
      if (raw === undefined || raw === '') return undefined;
      if (!/^[+-]?\d+$/.test(raw)) throw invalidArgument(`invalid value for "${key}": ${JSON.stringify(raw)} is not an integer`);
      return Number(raw);
    },
  };
}

// --filter name=value flags into the API's filters map (docker's `{"name": {"value": true}}`).
import type { Filters } from '../client/index.js';
import { UsageError } from './errors.js';

export function parseFilters(flags: string[]): Filters | undefined {
  if (!flags.length) return undefined;
  const filters: Filters = {};
  for (const f of flags) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new UsageError(`bad format of filter (expected name=value)`, 1);
    const name = f.slice(0, eq).trim().toLowerCase();
    (filters[name] ??= {})[f.slice(eq + 1).trim()] = true;
  }
  return filters;
}

// The filters of Docker's prune endpoints: until (a timestamp or a duration before now), label and label!.
import { invalidArgument } from '../errors.js';

export type Filters = Record<string, string[]>;

const durationUnits: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go's time.ParseDuration, in seconds; undefined when text is no duration. */
export function parseGoDuration(text: string): number | undefined {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!m) return text === '0' ? 0 : undefined;
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * durationUnits[part[2]];
  return m[1] === '-' ? -total : total;
}

/**
 * Docker's timetypes.GetTimestamp as unix seconds: a duration ("24h", meaning that long before now),
 * an RFC 3339 date or time (local time when no zone is given), or unix seconds with a fraction.
 */
export function parseUntil(value: string, now: number = Date.now()): number {
  const duration = parseGoDuration(value);
  if (duration !== undefined) return now / 1000 - duration;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/.test(value)) {
    const t = Date.parse(/^\d{4}-\d\d-\d\d$/.test(value) ? `${value}T00:00:00` : value.replace(' ', 'T'));
    if (!Number.isNaN(t)) return t / 1000;
  }
  throw invalidArgument(`failed to parse value as time or duration: ${JSON.stringify(value)}`);
}

export function validatePruneFilters(filters: Filters, allowed: string[]): void {
  for (const key of Object.keys(filters)) if (!allowed.includes(key)) throw invalidArgument(`invalid filter '${key}'`);
}

/** "k" or "k=v" present in labels. */
const labelMatches = (labels: Record<string, string>, filter: string): boolean => {
  const eq = filter.indexOf('=');
  return eq < 0 ? filter in labels : labels[filter.slice(0, eq)] === filter.slice(eq + 1);
};

/**
 * The predicate of until, label and label!: created before until; every label filter present;
 * none of the label! filters present.
 */
export function prunePredicate(filters: Filters, now: number = Date.now()): (created: number, labels: Record<string, string>) => boolean {
  const until = filters.until?.length ? Math.min(...filters.until.map((u) => parseUntil(u, now))) : undefined;
  const wanted = filters.label ?? [];
  const unwanted = filters['label!'] ?? [];
  return (created, labels) =>
    (until === undefined || created < until) &&
    wanted.every((l) => labelMatches(labels, l)) &&
    !unwanted.some((l) => labelMatches(labels, l));
}

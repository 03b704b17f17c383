// Docker's --since/--until values: a Go duration before now ("10m", "1h30m"), an RFC 3339 date or date-time
// (with or without zone; without, local time), or Unix seconds ("1700000000.5"). Sent as "seconds.nanoseconds".
import { UsageError } from './errors.js';

const durationUnits: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds; undefined when the text is not a duration. */
export function parseGoDuration(text: string): number | undefined {
  const m = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!m) return text === '0' ? 0 : undefined;
  let total = 0;
  for (const [, num, unit] of m[2].matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(num) * durationUnits[unit];
  return m[1] === '-' ? -total : total;
}

const dateTime = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?(Z|[+-]\d{2}:\d{2})?$/;

function parseDateTime(text: string): { seconds: number; nanos: number } | undefined {
  const m = dateTime.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((v) => Number(v ?? 0));
  const nanos = Number((m[7] ?? '').padEnd(9, '0'));
  const zone = m[8];
  let ms: number;
  if (zone === undefined) ms = new Date(y, mo - 1, d, h, mi, s).getTime();
  else {
    const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    ms = Date.UTC(y, mo - 1, d, h, mi, s) - offset * 60_000;
  }
  return { seconds: Math.floor(ms / 1000), nanos };
}

/** The API's form of a --since/--until value, relative to `now` for durations. */
export function apiTimestamp(value: string, now = Date.now()): string {
  const duration = value === '0' ? undefined : parseGoDuration(value);
  if (duration !== undefined) return String(Math.floor((now - duration) / 1000));
  const t = parseDateTime(value);
  if (t) return `${t.seconds}.${String(t.nanos).padStart(9, '0')}`;
  if (/^\d+(\.\d{1,9})?$/.test(value)) return value;
  throw new UsageError(`failed to parse value as time or duration: ${JSON.stringify(value)}`, 1);
}

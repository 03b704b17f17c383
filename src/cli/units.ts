// Human-readable durations, sizes and times, as docker/go-units and Go print them.
import { humanDuration } from '../util/human-duration.js';

/** "5 seconds ago" from a time in milliseconds since the epoch. */
export const timeAgo = (timeMs: number, now = Date.now()): string => `${humanDuration(now - timeMs)} ago`;

/** Go's %.{precision}g: significant digits, no trailing zeros. */
function formatG(n: number, precision: number): string {
  const [mantissa, exp] = n.toPrecision(precision).split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  if (exp === undefined) return trimmed;
  const e = Number(exp);
  return `${trimmed}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function scaled(size: number, base: number, units: string[], precision: number): string {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return `${formatG(size, precision)}${units[i]}`;
}

/** Decimal units, 3 significant digits: "1.23MB", "4.1kB", "0B" (docker images, ps -s, history). */
export const humanSize = (bytes: number, precision = 3): string =>
  scaled(bytes, 1000, ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'], precision);

/** Binary units, 4 significant digits: "3.822GiB" (docker info's memory). */
export const bytesSize = (bytes: number): string => scaled(bytes, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'], 4);

/** Shortens to maxWidth characters, the last one being "…" (docker's formatter.Ellipsis). */
export function ellipsis(s: string, maxWidth: number): string {
  const chars = [...s];
  if (chars.length <= maxWidth) return s;
  if (maxWidth <= 1) return chars.slice(0, maxWidth).join('');
  return `${chars.slice(0, maxWidth - 1).join('')}…`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local date, time and UTC offset parts of a time, as Go formats them. */
function localParts(d: Date) {
  const off = -d.getTimezoneOffset();
  return {
    date: `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`,
    time: `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`,
    offset: (sep: string) => `${off < 0 ? '-' : '+'}${pad2(Math.trunc(Math.abs(off) / 60))}${sep}${pad2(Math.abs(off) % 60)}`,
    utc: off === 0,
  };
}

/** Go's time.Time String(): "2024-01-02 15:04:05 +0000 UTC", in local time. */
export function goTimeString(d: Date): string {
  const p = localParts(d);
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((x) => x.type === 'timeZoneName')?.value ?? '';
  return `${p.date} ${p.time} ${p.offset('')} ${zone}`;
}

/** Go's RFC 3339 in local time ("2024-01-02T15:04:05Z" or "...+02:00"); with nanos, a 9-digit fraction. */
export function rfc3339(d: Date, nanos?: number): string {
  const p = localParts(d);
  const fraction = nanos === undefined ? '' : `.${String(nanos).padStart(9, '0')}`;
  return `${p.date}T${p.time}${fraction}${p.utc ? 'Z' : p.offset(':')}`;
}

// conmon's k8s-file log format: one record per line, "<RFC3339Nano> <stdout|stderr> <F|P> <data>". F closes a line
// (its newline is not stored), P is a piece of a longer or unfinished line that the next records of the same
// stream continue.
import type { StreamName } from './types.js';

export interface LogRecord {
  stream: StreamName;
  time: Date;
  /** Unix seconds with the record's full (nanosecond) precision, for since/until. */
  seconds: number;
  partial: boolean;
  data: Buffer;
}

/** A whole line of output: partial records joined, newline restored (absent when the output stopped mid-line). */
export interface LogLine {
  stream: StreamName;
  time: Date;
  seconds: number;
  data: Buffer;
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

export function parseTimestamp(text: string): { time: Date; seconds: number } | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(m[1] + (m[3] === 'Z' ? 'Z' : m[3]));
  if (Number.isNaN(ms)) return undefined;
  const fraction = m[2] ? Number(`0.${m[2]}`) : 0;
  return { time: new Date(ms + Math.floor(fraction * 1000)), seconds: ms / 1000 + fraction };
}

const SPACE = 0x20;

/** One log file line (without its "\n"); undefined when it is not a k8s-file record. */
export function parseRecord(line: Buffer): LogRecord | undefined {
  const s1 = line.indexOf(SPACE);
  const s2 = s1 < 0 ? -1 : line.indexOf(SPACE, s1 + 1);
  if (s2 < 0) return undefined;
  const tag = line.toString('latin1', s2 + 1, s2 + 2);
  if ((tag !== 'F' && tag !== 'P') || (line.length > s2 + 2 && line[s2 + 2] !== SPACE)) return undefined;
  const stream = line.toString('latin1', s1 + 1, s2);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const ts = parseTimestamp(line.toString('latin1', 0, s1));
  if (!ts) return undefined;
  return { stream, ...ts, partial: tag === 'P', data: line.subarray(Math.min(s2 + 3, line.length)) };
}

/** True when the record line (without "\n") closes a line of output: an F record. */
export function isFullRecord(line: Buffer): boolean {
  return parseRecord(line)?.partial === false;
}

export interface LineAssembler {
  /** The completed line, if this record completes one. */
  push(record: LogRecord): LogLine | undefined;
  /** Lines still waiting for their end, oldest first; the assembler is empty afterwards. */
  flush(): LogLine[];
}

export function createLineAssembler(): LineAssembler {
  const pending = new Map<StreamName, { first: LogRecord; parts: Buffer[] }>();
  const line = (first: LogRecord, parts: Buffer[]): LogLine => ({
    stream: first.stream, time: first.time, seconds: first.seconds, data: Buffer.concat(parts),
  });
  return {
    push(record) {
      const open = pending.get(record.stream);
      if (record.partial) {
        if (open) open.parts.push(record.data);
        else pending.set(record.stream, { first: record, parts: [record.data] });
        return undefined;
      }
      pending.delete(record.stream);
      const newline = Buffer.from('\n');
      return open ? line(open.first, [...open.parts, record.data, newline]) : line(record, [record.data, newline]);
    },
    flush() {
      const lines = [...pending.values()].map((p) => line(p.first, p.parts)).sort((a, b) => a.seconds - b.seconds);
      pending.clear();
      return lines;
    },
  };
}

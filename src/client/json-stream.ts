// Decodes a stream of concatenated JSON values (newline-separated or not), as the daemon streams progress and events.
import type { Readable } from 'node:stream';

/** Splits text into complete top-level JSON object/array texts; returns them and the incomplete rest. */
export function splitJsonValues(text: string): { values: string[]; rest: string } {
  const values: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (depth++ === 0) start = i;
    } else if ((ch === '}' || ch === ']') && depth > 0 && --depth === 0) {
      values.push(text.slice(start, i + 1));
      start = -1;
    }
  }
  return { values, rest: start === -1 ? '' : text.slice(start) };
}

/** Yields each JSON value of the stream as it completes. */
export async function* jsonValues<T>(source: Readable): AsyncGenerator<T> {
  let pending = '';
  const decoder = new TextDecoder();
  for await (const chunk of source) {
    const { values, rest } = splitJsonValues(pending + decoder.decode(chunk as Buffer, { stream: true }));
    pending = rest;
    for (const v of values) yield JSON.parse(v) as T;
  }
  if (pending.trim()) throw new Error(`the daemon's JSON stream ended in the middle of a value: ${pending.slice(0, 80)}`);
}

// Progress streams (import, load, and later pull and push) printed like docker's jsonmessage: a line per
// status; on a terminal, progress lines per layer ID updated in place.
import type { Writable } from 'node:stream';
import type { JsonMessage } from '../client/index.js';

function progressBar(m: JsonMessage): string {
  if (m.progress) return m.progress;
  const { current = 0, total = 0 } = m.progressDetail ?? {};
  if (total <= 0) return current > 0 ? String(current) : '';
  const width = 50;
  const filled = Math.min(width, Math.floor((current / total) * width));
  return `[${'='.repeat(Math.max(0, filled - 1))}${filled ? '>' : ''}${' '.repeat(width - filled)}] ${current}/${total}`;
}

/** Prints the messages; an error message in the stream rejects with its text. */
export async function printJsonMessages(messages: AsyncIterable<JsonMessage>, out: Writable, isTerminal: boolean): Promise<void> {
  const lines = new Map<string, number>();
  for await (const m of messages) {
    if (m.error || m.errorDetail?.message) throw new Error(m.errorDetail?.message || m.error);
    const bar = progressBar(m);
    const prefix = m.id ? `${m.id}: ` : '';
    if (isTerminal && m.id && (m.progressDetail !== undefined || m.progress !== undefined)) {
      // One line per ID, rewritten in place: cursor up to it, clear it, write, back down.
      if (!lines.has(m.id)) {
        lines.set(m.id, lines.size);
        out.write('\n');
      }
      const up = lines.size - (lines.get(m.id) as number);
      out.write(`\x1b[${up}A\x1b[2K\r${prefix}${m.status ?? ''}${bar && ` ${bar}`}\r\x1b[${up}B`);
      continue;
    }
    // Anything else ends the block of progress lines; progress bars are not printed off a terminal.
    lines.clear();
    if (bar && !isTerminal) continue;
    if (m.stream !== undefined) out.write(m.stream);
    else if (m.status !== undefined) out.write(`${prefix}${m.status}${bar && ` ${bar}`}\n`);
  }
}

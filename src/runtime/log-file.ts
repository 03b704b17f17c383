// Reading a k8s-file log by byte ranges: complete record lines forward from an offset, and the offset where the
// last N lines of output start, found by reading backwards from the end (a tail never reads the whole file).
import type { FileHandle } from 'node:fs/promises';
import { isFullRecord } from './log-record.js';

const BLOCK = 64 * 1024;
/** How much one readLines call reads at most (more only to finish a line): memory stays bounded on any log. */
const BATCH = 4 * BLOCK;
const NEWLINE = 0x0a;

/** A cursor over one open log file: complete lines from `offset` on; an unterminated last line waits. */
export interface LogCursor {
  readonly file: FileHandle;
  offset: number;
  /** The next complete record lines (without "\n") from the cursor on; none when nothing complete follows. */
  readLines(): Promise<Buffer[]>;
}

export function createLogCursor(file: FileHandle, offset: number): LogCursor {
  const cursor: LogCursor = {
    file,
    offset,
    async readLines() {
      const lines: Buffer[] = [];
      let carry = Buffer.alloc(0);
      for (let read = 0; read < BATCH || lines.length === 0; ) {
        const buf = Buffer.allocUnsafe(BLOCK);
        const { bytesRead } = await file.read(buf, 0, BLOCK, cursor.offset + carry.length);
        if (bytesRead === 0) break;
        read += bytesRead;
        const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
        let start = 0;
        let nl: number;
        while ((nl = data.indexOf(NEWLINE, start)) >= 0) {
          lines.push(Buffer.from(data.subarray(start, nl)));
          start = nl + 1;
        }
        cursor.offset += start;
        carry = Buffer.from(data.subarray(start));
      }
      return lines;
    },
  };
  return cursor;
}

/** The complete record lines of the file's first `size` bytes, last first, with their offsets. */
async function* linesBackward(file: FileHandle, size: number): AsyncGenerator<{ offset: number; line: Buffer }> {
  let end = size; // bytes from `end` on have been read
  let rest = Buffer.alloc(0); // bytes [end, end + rest.length): a line whose start lies further back
  let trailing = true; // an unterminated last line is not a record (yet)
  while (end > 0) {
    const start = Math.max(0, end - BLOCK);
    const buf = Buffer.allocUnsafe(end - start);
    await file.read(buf, 0, buf.length, start);
    const data = Buffer.concat([buf, rest]);
    let lineEnd = data.length; // just after the "\n" of the line to yield next
    if (trailing) {
      lineEnd = data.lastIndexOf(NEWLINE) + 1;
      trailing = lineEnd === 0;
    }
    while (lineEnd > 0) {
      const prev = lineEnd >= 2 ? data.lastIndexOf(NEWLINE, lineEnd - 2) : -1;
      if (prev < 0 && start > 0) break;
      yield { offset: start + prev + 1, line: data.subarray(prev + 1, lineEnd - 1) };
      lineEnd = prev + 1;
    }
    rest = Buffer.from(data.subarray(0, lineEnd));
    end = start;
  }
}

/**
 * Offset of the first record of the last `lines` lines of output in the file's first `size` bytes. A line ends
 * with an F record; the partial records before it belong to it. Fewer lines in the file: 0.
 */
export async function tailOffset(file: FileHandle, size: number, lines: number): Promise<number> {
  let seen = 0;
  for await (const { offset, line } of linesBackward(file, size)) {
    if (lines <= 0) return offset + line.length + 1;
    if (isFullRecord(line) && ++seen > lines) return offset + line.length + 1;
  }
  return 0;
}

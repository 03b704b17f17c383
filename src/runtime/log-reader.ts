// `docker logs` over conmon's k8s-file log: tail, since/until, stream selection, and follow. Following watches the
// log's directory, reads what is appended, and notices when conmon rotates the file (it writes a new file and
// renames it over the old one at --log-size-max); it ends once the container has stopped and everything is read.
import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { isErrno } from '../errors.js';
import type { StreamName } from './types.js';
import { createLogCursor, tailOffset, type LogCursor } from './log-file.js';
import { createLineAssembler, parseRecord, type LogLine } from './log-record.js';

export interface ReadLogsOptions {
  follow: boolean;
  stdout: boolean;
  stderr: boolean;
  /** Unix seconds (fractional); 0: from the start. */
  since: number;
  /** Unix seconds (fractional); 0: no end. */
  until: number;
  /** Only the last `tail` lines (of both streams, as Docker counts them); undefined: all. */
  tail?: number;
}

export interface LogEntry {
  stream: StreamName;
  time: Date;
  data: Buffer;
}

/** How long follow waits for a file event before it looks at the container again. */
const FOLLOW_POLL_MS = 250;

async function openLog(file: string): Promise<FileHandle | undefined> {
  try {
    return await open(file, 'r');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

/** Resolves true on the next change in the log's directory (or abort), false after FOLLOW_POLL_MS without one. */
function createChangeWaiter(file: string, signal: AbortSignal | undefined): { wait(): Promise<boolean>; close(): void } {
  let wake: (() => void) | undefined;
  let changed = false;
  const notify = () => {
    changed = true;
    wake?.();
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(path.dirname(file), (_event, name) => {
      if (name === null || name.toString().startsWith(path.basename(file))) notify();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined; // no directory to watch: polling alone
  }
  signal?.addEventListener('abort', notify);
  return {
    wait() {
      if (changed || signal?.aborted) {
        changed = false;
        return Promise.resolve(true);
      }
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(done, FOLLOW_POLL_MS);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve(changed);
          changed = false;
        }
        wake = done;
      });
    },
    close() {
      watcher?.close();
      signal?.removeEventListener('abort', notify);
    },
  };
}

export async function* readLogs(
  file: string,
  opts: ReadLogsOptions,
  signal: AbortSignal | undefined,
  isRunning: () => Promise<boolean>,
): AsyncGenerator<LogEntry> {
  const assembler = createLineAssembler();
  const wanted = (line: LogLine) => (line.stream === 'stdout' ? opts.stdout : opts.stderr) && !(opts.since && line.seconds < opts.since);
  const pastUntil = (line: LogLine) => opts.until > 0 && line.seconds > opts.until;
  const toEntry = ({ stream, time, data }: LogLine): LogEntry => ({ stream, time, data });
  const flushed = () => assembler.flush().filter((line) => wanted(line) && !pastUntil(line));

  let pastEnd = false; // a line beyond `until` has been seen: nothing more to show
  /** The lines completed by what the cursor has not read yet, batch by batch. */
  async function* readNew(cursor: LogCursor): AsyncGenerator<LogLine> {
    for (let raw = await cursor.readLines(); raw.length > 0 && !pastEnd; raw = await cursor.readLines()) {
      for (const text of raw) {
        const record = parseRecord(text);
        const line = record && assembler.push(record);
        if (!line) continue;
        if (pastUntil(line)) {
          pastEnd = true;
          return;
        }
        if (wanted(line)) yield line;
      }
    }
  }

  let handle = await openLog(file);
  const waiter = opts.follow ? createChangeWaiter(file, signal) : undefined;
  try {
    let cursor: LogCursor | undefined;
    if (handle) {
      const { size } = await handle.stat();
      cursor = createLogCursor(handle, opts.tail === undefined ? 0 : await tailOffset(handle, size, opts.tail));
    }
    for (;;) {
      if (signal?.aborted) return;
      if (cursor) for await (const line of readNew(cursor)) yield toEntry(line);
      if (pastEnd) return;
      if (!opts.follow) break;
      // A rotated log is a new file under the old name: finish the old one (done above), then switch.
      const current = await stat(file).catch(() => undefined);
      if (current && (!handle || current.ino !== (await handle.stat()).ino)) {
        await handle?.close();
        handle = await openLog(file);
        cursor = handle && createLogCursor(handle, 0);
        continue;
      }
      if (!(await isRunning())) {
        // The last output may have landed between our read and the check.
        if (cursor) for await (const line of readNew(cursor)) yield toEntry(line);
        if (pastEnd) return;
        break;
      }
      if (!(await waiter!.wait())) {
        // Nothing new for a while: an unfinished line (a prompt) is shown as it is, as Docker shows its pieces.
        for (const line of flushed()) yield toEntry(line);
      }
      if (signal?.aborted) return;
    }
    for (const line of flushed()) yield toEntry(line);
  } finally {
    waiter?.close();
    await handle?.close();
  }
}

// Docker's JSON progress stream for long operations (pull, push): the 200 and headers go out with the first
// message, so an error before it is a plain HTTP error (404 for a missing image); an error after it can only be
// the stream's last message, `{"errorDetail":{"message":...},"error":...}`.
import type { ServerResponse } from 'node:http';
import type { ProgressMessage } from '../registry/types.js';
import { errorMessage, jsonMessage, startStream } from './streaming.js';

export interface ProgressStream {
  /** Writes one message (the first one starts the response). */
  send(m: ProgressMessage): void;
  /** Ends the stream with err as its last message; rethrows err when nothing was sent yet. */
  fail(err: unknown): void;
  end(): void;
}

export function progressStream(res: ServerResponse): ProgressStream {
  const open = () => !res.destroyed && !res.writableEnded;
  const write = (text: string) => {
    if (!res.headersSent) startStream(res, 'application/json');
    // Messages are small and throttled; a client that stops reading slows nothing but its own socket buffer.
    if (open()) res.write(text);
  };
  return {
    send: (m) => write(jsonMessage({ ...m })),
    fail(err) {
      if (!res.headersSent) throw err;
      write(errorMessage(err));
      res.end();
    },
    end() {
      if (!res.headersSent) startStream(res, 'application/json');
      if (open()) res.end();
    },
  };
}

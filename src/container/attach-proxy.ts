// An attachment that exists before the container's process does: `docker run` attaches, then starts.
// Once the runtime's attach socket is up, connect() joins the two.
import { PassThrough } from 'node:stream';
import type { Attachment } from '../runtime/types.js';

export interface AttachProxy {
  attachment: Attachment;
  connect(real: Attachment): void;
  /** Ends the proxy without a process (the container was removed or failed to start). */
  fail(): void;
  readonly closed: boolean;
}

export function createAttachProxy(withStdin: boolean): AttachProxy {
  const output = new PassThrough({ objectMode: true });
  const stdin = withStdin ? new PassThrough() : undefined;
  let real: Attachment | undefined;
  let closed = false;
  const proxy: AttachProxy = {
    attachment: {
      output,
      stdin,
      close() {
        closed = true;
        real?.close();
        output.end();
      },
    },
    connect(r) {
      if (closed) return r.close();
      real = r;
      r.output.pipe(output);
      if (stdin && r.stdin) stdin.pipe(r.stdin);
      else stdin?.resume();
    },
    fail() {
      closed = true;
      output.end();
    },
    get closed() {
      return closed;
    },
  };
  return proxy;
}

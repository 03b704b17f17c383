// docker's attached run: attach (hijack) before start, register the wait, start, stream, exit with the
// container's status. Shared by run, start -a and attach.
import type { CliContext } from './command.js';
import { StatusError } from './errors.js';
import { monitorTtySize, proxySignals, streamHijacked } from './hijack-io.js';

export interface SessionOptions {
  id: string;
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  detachKeys?: string;
  /** Forward signals berth receives to the container (not with a TTY: they arrive as keys). */
  sigProxy: boolean;
  /** Start the container once attached (run, start -a); attach only attaches. */
  start: boolean;
  /** The container removes itself (--rm): wait for its removal rather than its exit. */
  autoRemove: boolean;
}

/** "the input device is not a TTY" when a TTY would read from a pipe, like docker. */
export function checkTtyInput(ctx: CliContext, tty: boolean, stdin: boolean): void {
  if (tty && stdin && !ctx.stdin.isTTY) throw new StatusError(1, 'the input device is not a TTY');
}

/** Resolves with the exit status: the container's, or 0 after the user detached. */
export async function runSession(ctx: CliContext, o: SessionOptions): Promise<number> {
  const { containers } = ctx.client;
  // Signals are forwarded from the start, as docker does, so none is lost between attach and start.
  const stopSignals = o.sigProxy && !o.tty ? proxySignals((sig) => containers.kill(o.id, { killSignal: sig })) : () => {};
  try {
    return await attachAndRun(ctx, o);
  } finally {
    stopSignals();
  }
}

async function attachAndRun(ctx: CliContext, o: SessionOptions): Promise<number> {
  const { containers } = ctx.client;
  const socket = await containers.attach(o.id, { stream: true, stdin: o.stdin, stdout: o.stdout, stderr: o.stderr, detachKeys: o.detachKeys });
  const condition = !o.start ? 'not-running' : o.autoRemove ? 'removed' : 'next-exit';
  let wait;
  try {
    wait = await containers.wait(o.id, { condition });
  } catch (err) {
    socket.destroy();
    throw err;
  }
  const streaming = streamHijacked(ctx, socket, { tty: o.tty, stdin: o.stdin, output: o.stdout || o.stderr, detachKeys: o.detachKeys });
  // The stream's outcome is awaited below; a failed start must not leave its rejection unhandled.
  streaming.catch(() => {});
  if (o.start) {
    try {
      await containers.start(o.id);
    } catch (err) {
      socket.destroy();
      if (o.autoRemove) await wait.result.catch(() => undefined);
      throw err;
    }
  }
  const stopResize = o.tty ? monitorTtySize(ctx, (size) => containers.resize(o.id, size)) : () => {};
  try {
    if ((await streaming) === 'detached') return 0;
    const status = await wait.result;
    if (status.Error?.Message) {
      ctx.stderr.write(`Error waiting for container: ${status.Error.Message}\n`);
      return 125;
    }
    return status.StatusCode;
  } finally {
    stopResize();
  }
}

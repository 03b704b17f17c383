// Launching conmon the way podman does (libpod/oci_conmon_common.go): detached in its own session, its parent
// exiting once the monitor has forked away, pipes passed as fds 3.. and named in _OCI_* variables. conmon answers
// on the sync pipe with JSON lines {"data": N, "message"?: "..."}: the pid after `runtime create|exec`, a negative
// number and the runtime's error when that failed, and for exec sessions the exit code at the end.
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { BerthError } from '../errors.js';

export interface SyncMessage {
  data: number;
  message?: string;
}

export interface MessageReader {
  /** The next message, or undefined once conmon has closed the pipe. */
  next(): Promise<SyncMessage | undefined>;
}

function messageReader(stream: Readable): MessageReader {
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let buffered = '';
  let closed = false;
  const deliver = () => {
    while (waiting.length > 0 && (lines.length > 0 || closed)) waiting.shift()!(lines.shift());
  };
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    buffered += text;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      lines.push(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
    deliver();
  });
  const close = () => {
    if (buffered.trim()) lines.push(buffered);
    buffered = '';
    closed = true;
    deliver();
  };
  stream.on('end', close);
  stream.on('close', close);
  stream.on('error', close);
  return {
    async next() {
      const line = await new Promise<string | undefined>((resolve) => {
        waiting.push(resolve);
        deliver();
      });
      if (line === undefined) return undefined;
      try {
        return JSON.parse(line) as SyncMessage;
      } catch {
        throw new BerthError('internal', `conmon sent an unreadable message: ${line}`);
      }
    },
  };
}

export interface ConmonProcess {
  /** The launched process (for an exec session, conmon itself; for a container, its parent until it forks). */
  pid: number | undefined;
  sync: MessageReader;
  /** exec sessions only: conmon says here when its attach socket is ready. */
  attach?: MessageReader;
  /** exec sessions only: one byte lets conmon proceed (cgroup setup), a second one starts `runtime exec`. */
  start?: Writable;
  /** Resolves when the launching conmon process has exited (its pidfile is written by then). */
  launched: Promise<void>;
  /** Drops berth's ends of the pipes: conmon carries on alone. */
  release(): void;
}

export interface ConmonLaunchOptions {
  conmonPath: string;
  args: string[];
  cwd: string;
  /** Adds the start and attach pipes of an attached exec session. */
  exec: boolean;
}

export function launchConmon(opts: ConmonLaunchOptions): ConmonProcess {
  const pipes = opts.exec ? 3 : 1;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    _OCI_SYNCPIPE: '3',
    ...(opts.exec ? { _OCI_STARTPIPE: '4', _OCI_ATTACHPIPE: '5' } : {}),
  };
  const child = spawn(opts.conmonPath, opts.args, {
    cwd: opts.cwd,
    env,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe', ...Array<'pipe'>(pipes).fill('pipe')],
  });
  const stdio = child.stdio as unknown as (Readable & Writable)[];
  // A dead conmon shows as end-of-file on the message pipes; an EPIPE on the start pipe must not crash berthd.
  for (const s of stdio.slice(2)) s.on('error', () => undefined);
  const stderr: Buffer[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d));
  const launched = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new BerthError('unavailable', `cannot run ${opts.conmonPath}: ${err.message}`, { cause: err })));
    // 'exit', not 'close': the monitor that conmon forks keeps the sync pipe open.
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve();
      const fail = () => {
        const text = Buffer.concat(stderr).toString('utf8').trim();
        reject(new BerthError('internal', `conmon failed (${signal ?? `exit status ${code}`})${text ? `: ${text}` : ''}`));
      };
      if (child.stderr!.readableEnded) fail();
      else child.stderr!.once('close', fail);
    });
  });
  launched.catch(() => undefined); // observed by the caller; never an unhandled rejection
  return {
    pid: child.pid,
    sync: messageReader(stdio[3]),
    attach: opts.exec ? messageReader(stdio[5]) : undefined,
    start: opts.exec ? stdio[4] : undefined,
    launched,
    release() {
      for (const s of stdio.slice(3)) s.destroy();
    },
  };
}

// Runs a helper program (ip, iptables, unshare, a CNI plugin, the OCI runtime) and collects its output. Programs
// are started from one worker thread (see run-thread.ts), so the event loop never waits for a fork.
import { Worker } from 'node:worker_threads';
import { BerthError } from '../errors.js';

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunRequest {
  id: number;
  cmd: string;
  args: string[];
  input?: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export interface RunReply {
  id: number;
  result?: RunResult;
  error?: { message: string; code?: string };
}

const pending = new Map<number, { resolve: (r: RunResult) => void; reject: (e: Error) => void }>();
let thread: Worker | undefined;
let nextId = 0;

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function runThread(): Worker {
  if (thread) return thread;
  // Not berthd's own node flags: they may not apply to a module file (--input-type, for one).
  const t = new Worker(new URL('./run-thread.js', import.meta.url), { execArgv: [] });
  t.on('message', (m: RunReply) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (pending.size === 0) t.unref(); // an idle thread does not keep the process alive
    if (!p) return;
    if (m.result) p.resolve(m.result);
    else p.reject(Object.assign(new Error(m.error?.message ?? 'cannot run the program'), { code: m.error?.code }));
  });
  t.on('error', (err) => failAll(err));
  t.on('exit', (code) => {
    if (thread === t) thread = undefined;
    failAll(new BerthError('internal', `the thread running helper programs exited (${code})`));
  });
  return (thread = t);
}

/** Resolves with the exit status whatever it is; rejects only when the program cannot be started. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t = runThread();
    const id = nextId++;
    pending.set(id, { resolve, reject });
    t.ref();
    t.postMessage({ id, cmd, args, input: opts.input, env: opts.env ?? process.env, timeoutMs: opts.timeoutMs ?? 60_000 } satisfies RunRequest);
  });
}

/** Like run, but a non-zero exit is an error carrying the program's stderr. */
export async function runChecked(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new BerthError('internal', `${cmd} ${args.join(' ')}: ${(r.stderr || r.stdout).trim() || `exit status ${r.code}`}`);
  }
  return r.stdout;
}

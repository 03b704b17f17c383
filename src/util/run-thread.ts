// The thread that starts the programs of run.ts. Starting a program forks berthd: on a virtual machine, copying a
// process of ~100 MB takes 5-20 ms, during which the forking thread waits. Here that thread is not the event loop.
import { spawn } from 'node:child_process';
import { parentPort } from 'node:worker_threads';
import type { RunRequest, RunReply } from './run.js';

const port = parentPort!;

port.on('message', (req: RunRequest) => {
  const reply = (r: Omit<RunReply, 'id'>) => port.postMessage({ id: req.id, ...r } satisfies RunReply);
  const child = spawn(req.cmd, req.args, { env: req.env, timeout: req.timeoutMs, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.on('error', (e: NodeJS.ErrnoException) => reply({ error: { message: e.message, code: e.code } }));
  child.on('close', (code, signal) => {
    reply({
      result: { code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') },
    });
  });
  child.stdin.on('error', () => {}); // a program that exits without reading its input
  child.stdin.end(req.input ?? '');
});

// `docker top`: the host's ps output, restricted to the container's processes (as Docker does).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { invalidArgument } from '../errors.js';
import type { Top } from '../engine/types.js';

const run = promisify(execFile);

export async function topProcesses(pids: number[], psArgs = '-ef'): Promise<Top> {
  const args = psArgs.split(/\s+/).filter(Boolean);
  let stdout: string;
  try {
    ({ stdout } = await run('ps', args, { maxBuffer: 16 << 20 }));
  } catch (err) {
    throw invalidArgument(`Error running ps: ${(err as Error).message}`);
  }
  const lines = stdout.split('\n').filter((l) => l.trim());
  const titles = lines[0].trim().split(/\s+/);
  const pidCol = titles.indexOf('PID');
  if (pidCol < 0) throw invalidArgument(`Couldn't find PID field in ps output`);
  const wanted = new Set(pids);
  const processes = lines
    .slice(1)
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      // The last column (the command) may contain spaces.
      return [...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')];
    })
    .filter((row) => wanted.has(Number(row[pidCol])));
  return { titles, processes };
}

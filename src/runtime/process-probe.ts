// Is a process still there? /proc answers without signalling it; a zombie (which nobody may ever reap when
// conmon has been re-parented to an init that does not reap) counts as gone: its command line reads empty.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** True while pid is alive and has `marker` among its arguments (guards against a recycled pid). */
export async function processAlive(pid: number, marker: string): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').includes(marker);
  } catch {
    return false;
  }
}

/** Resolves true once the process is gone, false if it is still there after timeoutMs. */
export async function waitProcessGone(pid: number, marker: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 1; await processAlive(pid, marker); delay = Math.min(delay * 2, 50)) {
    if (Date.now() > deadline) return false;
    await sleep(delay);
  }
  return true;
}

// Starting a created container without spawning `runc start`. After `runc create`, the container's init blocks
// opening <state dir>/exec.fifo for writing; `runc start` only opens it for reading, reads the byte init writes,
// and removes the fifo (runc then reports the container as running). Doing the same here saves a runtime process
// per start. When the fifo is not there (another runtime, an already started container), or init is gone, the
// caller falls back to `runtime start`, which also gives the proper error.
import { constants } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isErrno } from '../errors.js';

const WAIT_MS = 5000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when the container was started through its exec fifo; false when `runtime start` must do it. */
export async function startThroughExecFifo(stateDir: string, initPid: number): Promise<boolean> {
  const fifo = path.join(stateDir, 'exec.fifo');
  let fh;
  try {
    // Non-blocking: opening for reading succeeds at once, and wakes init's blocked open for writing.
    fh = await open(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
  try {
    const buf = Buffer.alloc(16);
    const deadline = Date.now() + WAIT_MS;
    for (let delay = 0; ; delay = Math.min(delay + 1, 10)) {
      let bytes = 0;
      try {
        ({ bytesRead: bytes } = await fh.read(buf, 0, buf.length, null));
      } catch (err) {
        if (!isErrno(err, 'EAGAIN')) throw err; // init has it open and has not written yet
      }
      if (bytes > 0) break;
      if (!alive(initPid) || Date.now() > deadline) return false;
      await sleep(delay);
    }
  } finally {
    await fh.close();
  }
  await unlink(fifo);
  return true;
}

// One berthd per exec root: a pid file that a second daemon on the same roots refuses to take over.
import { readFile, writeFile, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { conflict, isErrno } from '../errors.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isErrno(err, 'EPERM');
  }
};

export async function acquirePidLock(execRoot: string): Promise<() => Promise<void>> {
  await mkdir(execRoot, { recursive: true, mode: 0o700 });
  const file = path.join(execRoot, 'berthd.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw conflict(`berthd is already running with exec root ${execRoot} (pid ${pid})`);
      }
      await rm(file, { force: true });
    }
  }
  throw conflict(`cannot take the pid file in ${execRoot}`);
}

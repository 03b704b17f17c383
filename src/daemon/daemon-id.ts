// A stable identity for this daemon (Docker's ID in /info), made once per data root.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { atomicWrite } from '../util/atomic-write.js';
import { isErrno } from '../errors.js';

export async function loadDaemonId(dataRoot: string): Promise<string> {
  const file = path.join(dataRoot, 'engine-id');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    const id = randomUUID();
    await atomicWrite(file, id);
    return id;
  }
}

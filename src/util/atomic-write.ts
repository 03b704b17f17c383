import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A temp file beside file, for writing it whole before a rename puts it in place. */
const tempFor = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);

/** Writes a file so that readers see either the old or the new content, even across a crash: temp, fsync, rename. */
export async function atomicWrite(file: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = tempFor(file);
  const fh = await open(tmp, 'w', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  await fsyncDir(dir);
}

/**
 * Temp file + rename, without fsync: a reader never sees half a file and a kill -9 loses nothing, but a power
 * loss may. For state that does not outlive a reboot anyway (processes, mounts, network namespaces), or that is
 * flushed later, before anything durable refers to it (fsyncFile and fsyncDir).
 */
export async function replaceFile(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempFor(file);
  await writeFile(tmp, data);
  await rename(tmp, file);
}

export async function atomicWriteJson(file: string, value: unknown): Promise<void> {
  await atomicWrite(file, JSON.stringify(value));
}

/** Makes a file's content durable. */
export async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename or create inside dir durable. */
export const fsyncDir = fsyncFile;

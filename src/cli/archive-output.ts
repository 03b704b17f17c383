// Where a command's tar goes (save, export): stdout, or a file written beside its target and renamed into place
// so that a failure leaves no partial file, like docker's CopyToFile.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CliContext } from './command.js';
import { StatusError } from './errors.js';

/** Refuses a terminal as stdout before anything is asked of the daemon. */
export function checkArchiveOutput(ctx: CliContext, output: string | undefined): void {
  if (!output && ctx.stdout.isTTY) throw new StatusError(1, 'cowardly refusing to save to a terminal. Use the -o flag or redirect');
}

export async function writeArchiveOutput(ctx: CliContext, archive: Readable, output: string | undefined): Promise<void> {
  if (!output) return pipeline(archive, ctx.stdout, { end: false });
  const temp = path.join(path.dirname(output), `.berth_temp_${randomBytes(6).toString('hex')}`);
  try {
    await pipeline(archive, createWriteStream(temp, { mode: 0o644 }));
    await rename(temp, output);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

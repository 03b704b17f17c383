// `network inspect` / `volume inspect`: every name looked up, found ones printed, missing ones reported after.
import { isDaemonError } from '../client/index.js';
import type { CliContext } from './command.js';
import { StatusError } from './errors.js';
import { formatObjects } from './format.js';

export async function inspectEach<T>(
  ctx: CliContext,
  names: string[],
  kind: string,
  format: string | undefined,
  inspect: (name: string) => Promise<T>,
): Promise<void> {
  const found: T[] = [];
  const missing: string[] = [];
  for (const name of names) {
    try {
      found.push(await inspect(name));
    } catch (err) {
      if (!isDaemonError(err, 404)) throw err;
      missing.push(`Error: No such ${kind}: ${name}`);
    }
  }
  ctx.stdout.write(format ? formatObjects(found, format) : `${JSON.stringify(found, null, 4)}\n`);
  if (missing.length) throw new StatusError(1, missing.join('\n'));
}

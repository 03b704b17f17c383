// Commands over several names (stop a b c, rm a b): act on each, print what each returns, report each failure,
// and fail at the end if any did (unless tolerated), like docker.
import type { CliContext } from './command.js';
import { StatusError, errorText } from './errors.js';

export async function forEach(
  ctx: CliContext,
  names: string[],
  act: (name: string) => Promise<string | void>,
  o: { summary?: (failed: string[]) => string; tolerate?: (err: unknown) => boolean } = {},
): Promise<void> {
  const failed: string[] = [];
  for (const name of names) {
    try {
      const shown = await act(name);
      if (shown !== undefined) ctx.stdout.write(`${shown}\n`);
    } catch (err) {
      ctx.stderr.write(`${errorText(err)}\n`);
      if (!o.tolerate?.(err)) failed.push(name);
    }
  }
  if (failed.length) throw new StatusError(1, o.summary?.(failed) ?? '');
}

// docker's confirmation prompt (prune commands): true only for an answer of y or yes.
import { createInterface } from 'node:readline';
import type { CliContext } from './command.js';

export async function confirm(ctx: CliContext, question: string): Promise<boolean> {
  ctx.stdout.write(`${question} [y/N] `);
  const rl = createInterface({ input: ctx.stdin });
  const answer = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

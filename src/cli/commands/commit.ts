// berth commit: a new image from a container's changes.
import { defineCommand } from '../command.js';
import { list, str } from '../flags.js';
import { UsageError } from '../errors.js';
import { splitReference } from '../reference.js';

export const commitCommand = defineCommand({
  names: [['commit'], ['container', 'commit']],
  usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  description: "Create a new image from a container's changes",
  flags: {
    author: str('author', 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")', { short: 'a' }),
    change: list('change', 'Apply Dockerfile instruction to the created image', { short: 'c' }),
    message: str('message', 'Commit message', { short: 'm' }),
  },
  minArgs: 1,
  maxArgs: 2,
  async run(ctx, { flags: f, args: [container, target] }) {
    const ref = target ? splitReference(target) : undefined;
    if (ref?.digest) throw new UsageError('refusing to create a tag with a digest reference', 1);
    const { Id } = await ctx.client.containers.commit(container, {
      repo: ref?.repository,
      tag: ref?.tag,
      comment: f.message,
      author: f.author,
      changes: f.change,
    });
    ctx.stdout.write(`${Id}\n`);
  },
});

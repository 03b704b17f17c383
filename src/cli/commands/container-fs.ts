// berth export and berth diff: a container's filesystem as a tar, and its changes against the image.
import { checkArchiveOutput, writeArchiveOutput } from '../archive-output.js';
import { defineCommand } from '../command.js';
import { str } from '../flags.js';

export const exportCommand = defineCommand({
  names: [['export'], ['container', 'export']],
  usage: '[OPTIONS] CONTAINER',
  description: "Export a container's filesystem as a tar archive",
  flags: { output: str('output', 'Write to a file, instead of STDOUT', { short: 'o' }) },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, { flags: f, args }) {
    checkArchiveOutput(ctx, f.output);
    await writeArchiveOutput(ctx, await ctx.client.files.export(args[0]), f.output);
  },
});

const kinds = ['C', 'A', 'D'];

export const diffCommand = defineCommand({
  names: [['diff'], ['container', 'diff']],
  usage: 'CONTAINER',
  description: "Inspect changes to files or directories on a container's filesystem",
  flags: {},
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, { args }) {
    const changes = (await ctx.client.files.changes(args[0])) ?? [];
    ctx.stdout.write(changes.map((c) => `${kinds[c.Kind]} ${c.Path}\n`).join(''));
  },
});

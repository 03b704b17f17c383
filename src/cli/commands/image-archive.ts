// berth import, load, save: images in and out as tar archives.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { checkArchiveOutput, writeArchiveOutput } from '../archive-output.js';
import { defineCommand } from '../command.js';
import { StatusError } from '../errors.js';
import { bool, list, str } from '../flags.js';
import { printJsonMessages } from '../json-messages.js';

/** A local file as a stream, opened before any request so that a missing file fails first. */
async function openFile(file: string): Promise<Readable> {
  const stream = createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  return stream;
}

export const importCommand = defineCommand({
  names: [['import'], ['image', 'import']],
  usage: '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
  description: 'Import the contents from a tarball to create a filesystem image',
  flags: {
    change: list('change', 'Apply Dockerfile instruction to the created image', { short: 'c' }),
    message: str('message', 'Set commit message for imported image', { short: 'm' }),
    platform: str('platform', 'Set platform if server is multi-platform capable'),
  },
  minArgs: 1,
  maxArgs: 2,
  async run(ctx, { flags: f, args: [source, repo] }) {
    const input = source === '-' ? ctx.stdin : /^https?:\/\//.test(source) ? new URL(source) : await openFile(source);
    const messages = await ctx.client.images.import(input, { repo, changes: f.change, message: f.message, platform: f.platform });
    await printJsonMessages(messages, ctx.stdout, ctx.stdout.isTTY);
  },
});

export const loadCommand = defineCommand({
  names: [['load'], ['image', 'load']],
  usage: '[OPTIONS]',
  description: 'Load an image from a tar archive or STDIN',
  flags: {
    input: str('input', 'Read from tar archive file, instead of STDIN', { short: 'i' }),
    quiet: bool('quiet', 'Suppress the load output', { short: 'q' }),
  },
  maxArgs: 0,
  async run(ctx, { flags: f }) {
    if (!f.input && ctx.stdin.isTTY) throw new StatusError(1, 'requested load from stdin, but stdin is empty');
    const archive = f.input ? await openFile(f.input) : ctx.stdin;
    const messages = await ctx.client.images.load(archive, { quiet: f.quiet || !ctx.stdout.isTTY });
    await printJsonMessages(messages, ctx.stdout, ctx.stdout.isTTY);
  },
});

export const saveCommand = defineCommand({
  names: [['save'], ['image', 'save']],
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  flags: { output: str('output', 'Write to a file, instead of STDOUT', { short: 'o' }) },
  minArgs: 1,
  async run(ctx, { flags: f, args }) {
    checkArchiveOutput(ctx, f.output);
    await writeArchiveOutput(ctx, await ctx.client.images.save(args), f.output);
  },
});

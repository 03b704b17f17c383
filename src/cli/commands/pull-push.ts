// berth pull and berth push: the daemon's progress stream drawn as docker draws it (per-layer lines updated in
// place on a terminal, plain status lines otherwise), with the stored login for the image's registry.
import type { JsonMessage } from '../../client/index.js';
import { normalizeReference, parseReference } from '../../image/reference.js';
import { defineCommand, type CliContext } from '../command.js';
import { authFor, cliCredentials } from '../credentials.js';
import { UsageError } from '../errors.js';
import { bool, str } from '../flags.js';
import { printJsonMessages } from '../json-messages.js';

/** Draws the progress stream on out, or with quiet only reads it through; an error message in it rejects. */
async function render(messages: AsyncIterable<JsonMessage>, out: CliContext['stdout'] | undefined): Promise<void> {
  if (out) return printJsonMessages(messages, out, out.isTTY);
  for await (const m of messages) if (m.error || m.errorDetail?.message) throw new Error(m.errorDetail?.message || m.error);
}

/** Pulls name with the stored login for its registry, drawing the progress on out (none: quiet). */
export async function pullImage(ctx: CliContext, name: string, opts: { platform?: string; out?: CliContext['stdout'] }): Promise<void> {
  const auth = await authFor(cliCredentials(ctx.env), name);
  await render(await ctx.client.registry.pull(name, { auth, platform: opts.platform }), opts.out);
}

const hasTagOrDigest = (ref: string) => ref.includes('@') || ref.lastIndexOf(':') > ref.lastIndexOf('/');

export const pullCommand = defineCommand({
  names: [['pull'], ['image', 'pull']],
  usage: '[OPTIONS] NAME[:TAG|@DIGEST]',
  description: 'Download an image from a registry',
  flags: {
    platform: str('platform', 'Set platform if server is multi-platform capable'),
    quiet: bool('quiet', 'Suppress verbose output', { short: 'q' }),
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, { flags: f, args: [name] }) {
    parseReference(name);
    if (!hasTagOrDigest(name) && !f.quiet) ctx.stdout.write('Using default tag: latest\n');
    await pullImage(ctx, name, { platform: f.platform, out: f.quiet ? undefined : ctx.stdout });
    ctx.stdout.write(`${normalizeReference(name)}\n`);
  },
});

export const pushCommand = defineCommand({
  names: [['push'], ['image', 'push']],
  usage: '[OPTIONS] NAME[:TAG]',
  description: 'Upload an image to a registry',
  flags: {
    allTags: bool('all-tags', 'Push all tags of an image to the repository', { short: 'a' }),
    quiet: bool('quiet', 'Suppress verbose output', { short: 'q' }),
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, { flags: f, args: [name] }) {
    parseReference(name);
    if (f.allTags && hasTagOrDigest(name)) throw new UsageError('tag can\'t be used with --all-tags/-a', 1);
    let ref = name;
    if (!f.allTags && !hasTagOrDigest(name)) {
      ref = `${name}:latest`;
      if (!f.quiet) ctx.stdout.write('Using default tag: latest\n');
    }
    const auth = await authFor(cliCredentials(ctx.env), ref);
    const messages = await ctx.client.registry.push(ref, { auth });
    await render(messages, f.quiet ? undefined : ctx.stdout);
    if (f.quiet) ctx.stdout.write(`${ref}\n`);
  },
});

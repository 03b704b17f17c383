// berth inspect (containers and images), container inspect, image inspect, top.
import { isDaemonError } from '../../client/index.js';
import { defineCommand, type CliContext } from '../command.js';
import { StatusError } from '../errors.js';
import { bool, str } from '../flags.js';
import { formatObjects } from '../format.js';
import { alignColumns } from '../table.js';

type Kind = 'container' | 'image';

async function inspectOne(ctx: CliContext, name: string, kinds: Kind[], size: boolean): Promise<unknown> {
  for (const kind of kinds) {
    try {
      return kind === 'container' ? await ctx.client.containers.inspect(name, { size }) : await ctx.client.images.inspect(name);
    } catch (err) {
      if (!isDaemonError(err, 404)) throw err;
    }
  }
  throw new StatusError(1, `Error: No such ${kinds.length === 1 ? kinds[0] : 'object'}: ${name}`);
}

/** Prints what was found (a JSON array, or the format per object), then fails if anything was not. */
async function inspect(ctx: CliContext, names: string[], kinds: Kind[], o: { format?: string; size: boolean }): Promise<void> {
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const name of names) {
    try {
      found.push(await inspectOne(ctx, name, kinds, o.size));
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
      errors.push(err.message);
    }
  }
  ctx.stdout.write(o.format ? formatObjects(found, o.format) : `${JSON.stringify(found, null, 4)}\n`);
  if (errors.length) throw new StatusError(1, errors.join('\n'));
}

const formatFlag = str('format', 'Format output using a custom template ("json", or a Go template)', { short: 'f' });

export const inspectCommand = defineCommand({
  names: [['inspect']],
  usage: '[OPTIONS] NAME|ID [NAME|ID...]',
  description: 'Return low-level information on containers and images',
  flags: {
    format: formatFlag,
    size: bool('size', 'Display total file sizes if the type is container', { short: 's' }),
    type: str('type', 'Only inspect objects of the given type (container, image)'),
  },
  minArgs: 1,
  run(ctx, { flags: f, args }) {
    if (f.type !== undefined && f.type !== 'container' && f.type !== 'image') {
      throw new StatusError(1, `"${f.type}" is not a valid value for --type`);
    }
    const kinds: Kind[] = f.type ? [f.type] : ['container', 'image'];
    return inspect(ctx, args, kinds, { format: f.format, size: f.size });
  },
});

export const containerInspectCommand = defineCommand({
  names: [['container', 'inspect']],
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Display detailed information on one or more containers',
  flags: { format: formatFlag, size: bool('size', 'Display total file sizes', { short: 's' }) },
  minArgs: 1,
  run: (ctx, { flags: f, args }) => inspect(ctx, args, ['container'], { format: f.format, size: f.size }),
});

export const imageInspectCommand = defineCommand({
  names: [['image', 'inspect']],
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Display detailed information on one or more images',
  flags: { format: formatFlag },
  minArgs: 1,
  run: (ctx, { flags: f, args }) => inspect(ctx, args, ['image'], { format: f.format, size: false }),
});

export const topCommand = defineCommand({
  names: [['top'], ['container', 'top']],
  usage: 'CONTAINER [ps OPTIONS]',
  description: 'Display the running processes of a container',
  flags: {},
  minArgs: 1,
  interspersed: false,
  async run(ctx, { args: [name, ...psArgs] }) {
    const top = await ctx.client.containers.top(name, { psArgs: psArgs.length ? psArgs.join(' ') : undefined });
    const lines = [top.Titles, ...top.Processes].map((row) => row.join('\t'));
    ctx.stdout.write(alignColumns(lines, { minWidth: 20, padding: 3 }).map((l) => `${l}\n`).join(''));
  },
});

// berth tag, rmi, history.
import { isDaemonError } from '../../client/index.js';
import { shortId } from '../../util/ids.js';
import { defineCommand } from '../command.js';
import { forEach } from '../each.js';
import { StatusError } from '../errors.js';
import { bool, str } from '../flags.js';
import { formatList } from '../format.js';
import { splitReference } from '../reference.js';
import { ellipsis, humanSize, rfc3339, timeAgo } from '../units.js';

export const tagCommand = defineCommand({
  names: [['tag'], ['image', 'tag']],
  usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  description: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  flags: {},
  minArgs: 2,
  maxArgs: 2,
  async run(ctx, { args: [source, target] }) {
    const ref = splitReference(target);
    if (ref.digest) throw new StatusError(1, 'refusing to create a tag with a digest reference');
    await ctx.client.images.tag(source, ref.repository, ref.tag);
  },
});

export const rmiCommand = defineCommand({
  names: [['rmi'], ['image', 'rm'], ['image', 'remove']],
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Remove one or more images',
  flags: {
    force: bool('force', 'Force removal of the image', { short: 'f' }),
    noPrune: bool('no-prune', 'Do not delete untagged parents'),
  },
  minArgs: 1,
  run: (ctx, { flags: f, args }) =>
    forEach(
      ctx,
      args,
      async (name) => {
        const items = await ctx.client.images.remove(name, { force: f.force, noPrune: f.noPrune });
        return items.map((i) => (i.Deleted ? `Deleted: ${i.Deleted}` : `Untagged: ${i.Untagged}`)).join('\n') || undefined;
      },
      // With --force, images that are already gone are reported but do not fail the command.
      { tolerate: (err) => f.force && isDaemonError(err, 404) },
    ),
});

const historyHeaders = { Comment: 'COMMENT', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', CreatedSince: 'CREATED', ID: 'IMAGE', Size: 'SIZE' };
const historyTable = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';

export const historyCommand = defineCommand({
  names: [['history'], ['image', 'history']],
  usage: '[OPTIONS] IMAGE',
  description: 'Show the history of an image',
  flags: {
    format: str('format', 'Format output using a custom template ("table", "json", or a Go template)'),
    human: bool('human', 'Print sizes and dates in human readable format', { short: 'H', default: true }),
    noTrunc: bool('no-trunc', "Don't truncate output"),
    quiet: bool('quiet', 'Only show image IDs', { short: 'q' }),
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, { flags: f, args: [name] }) {
    const items = await ctx.client.images.history(name);
    const now = Date.now();
    const trunc = !f.noTrunc;
    const rows = items.map((h) => {
      const createdAt = rfc3339(new Date(h.Created * 1000));
      const createdBy = h.CreatedBy.replace(/\t/g, ' ');
      return {
        Comment: h.Comment,
        CreatedAt: createdAt,
        CreatedBy: trunc ? ellipsis(createdBy, 45) : createdBy,
        CreatedSince: f.human ? timeAgo(h.Created * 1000, now) : createdAt,
        ID: trunc ? shortId(h.Id) : h.Id,
        Size: f.human ? humanSize(h.Size) : String(h.Size),
      };
    });
    const format = f.quiet ? '{{.ID}}' : f.format || historyTable;
    ctx.stdout.write(formatList(rows, format, { table: historyTable, headers: historyHeaders }));
  },
});

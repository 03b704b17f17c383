// berth logs: the container's output, demultiplexed to stdout and stderr unless it has a TTY.
import { defineCommand } from '../command.js';
import { bool, str } from '../flags.js';
import { copyOutput } from '../hijack-io.js';
import { apiTimestamp } from '../timestamp.js';

export const logsCommand = defineCommand({
  names: [['logs'], ['container', 'logs']],
  usage: '[OPTIONS] CONTAINER',
  description: 'Fetch the logs of a container',
  flags: {
    details: bool('details', 'Show extra details provided to logs'),
    follow: bool('follow', 'Follow log output', { short: 'f' }),
    since: str('since', 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)'),
    tail: str('tail', 'Number of lines to show from the end of the logs', { short: 'n', default: 'all' }),
    timestamps: bool('timestamps', 'Show timestamps', { short: 't' }),
    until: str('until', 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)'),
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, { flags: f, args: [name] }) {
    const c = await ctx.client.containers.inspect(name);
    const now = Date.now();
    const stream = await ctx.client.containers.logs(c.Id, {
      follow: f.follow,
      since: f.since && apiTimestamp(f.since, now),
      until: f.until && apiTimestamp(f.until, now),
      timestamps: f.timestamps,
      tail: f.tail,
      details: f.details,
    });
    await copyOutput(stream, ctx, Boolean(c.Config.Tty));
  },
});

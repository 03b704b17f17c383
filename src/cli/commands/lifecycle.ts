// berth start, stop, kill, restart, rm, rename, wait.
import { isDaemonError } from '../../client/index.js';
import { defineCommand } from '../command.js';
import { checkTtyInput, runSession } from '../container-session.js';
import { forEach } from '../each.js';
import { StatusError, UsageError, errorText } from '../errors.js';
import { bool, int, str } from '../flags.js';

export const startCommand = defineCommand({
  names: [['start'], ['container', 'start']],
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Start one or more stopped containers',
  flags: {
    attach: bool('attach', 'Attach STDOUT/STDERR and forward signals', { short: 'a' }),
    interactive: bool('interactive', "Attach container's STDIN", { short: 'i' }),
    detachKeys: str('detach-keys', 'Override the key sequence for detaching a container'),
  },
  minArgs: 1,
  async run(ctx, { flags: f, args }) {
    if (!f.attach && !f.interactive) {
      return forEach(ctx, args, async (name) => {
        await ctx.client.containers.start(name);
        return name;
      }, { summary: (failed) => `Error: failed to start containers: ${failed.join(', ')}` });
    }
    if (args.length > 1) throw new UsageError('you cannot start and attach multiple containers at once', 1);
    const c = await ctx.client.containers.inspect(args[0]);
    const tty = Boolean(c.Config.Tty);
    const stdin = f.interactive && Boolean(c.Config.OpenStdin);
    checkTtyInput(ctx, tty, stdin);
    // Like docker, -i alone attaches the output too.
    return runSession(ctx, {
      id: c.Id, tty, stdin, stdout: true, stderr: true, detachKeys: f.detachKeys,
      sigProxy: true, start: true, autoRemove: Boolean(c.HostConfig.AutoRemove),
    });
  },
});

const stopFlags = {
  signal: str('signal', 'Signal to send to the container', { short: 's' }),
  timeout: int('timeout', 'Seconds to wait before killing the container', { short: 't' }),
};

export const stopCommand = defineCommand({
  names: [['stop'], ['container', 'stop']],
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Stop one or more running containers',
  flags: stopFlags,
  minArgs: 1,
  run: (ctx, { flags: f, args }) =>
    forEach(ctx, args, async (name) => {
      await ctx.client.containers.stop(name, { stopSignal: f.signal, timeout: f.timeout });
      return name;
    }),
});

export const restartCommand = defineCommand({
  names: [['restart'], ['container', 'restart']],
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Restart one or more containers',
  flags: stopFlags,
  minArgs: 1,
  run: (ctx, { flags: f, args }) =>
    forEach(ctx, args, async (name) => {
      await ctx.client.containers.restart(name, { stopSignal: f.signal, timeout: f.timeout });
      return name;
    }),
});

export const killCommand = defineCommand({
  names: [['kill'], ['container', 'kill']],
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Kill one or more running containers',
  flags: { signal: str('signal', 'Signal to send to the container', { short: 's' }) },
  minArgs: 1,
  run: (ctx, { flags: f, args }) =>
    forEach(ctx, args, async (name) => {
      await ctx.client.containers.kill(name, { killSignal: f.signal });
      return name;
    }),
});

export const rmCommand = defineCommand({
  names: [['rm'], ['container', 'rm'], ['container', 'remove']],
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Remove one or more containers',
  flags: {
    force: bool('force', 'Force the removal of a running container (uses SIGKILL)', { short: 'f' }),
    volumes: bool('volumes', 'Remove anonymous volumes associated with the container', { short: 'v' }),
  },
  minArgs: 1,
  run: (ctx, { flags: f, args }) =>
    forEach(ctx, args, async (name) => {
      try {
        await ctx.client.containers.remove(name, { force: f.force, volumes: f.volumes });
      } catch (err) {
        // With --force, a container that is already gone is not an error (docker 23+).
        if (f.force && isDaemonError(err, 404)) return;
        throw err;
      }
      return name;
    }),
});

export const renameCommand = defineCommand({
  names: [['rename'], ['container', 'rename']],
  usage: 'CONTAINER NEW_NAME',
  description: 'Rename a container',
  flags: {},
  minArgs: 2,
  maxArgs: 2,
  async run(ctx, { args: [from, to] }) {
    if (!from.trim() || !to.trim()) throw new UsageError('Error: Neither old nor new names may be empty', 1);
    try {
      await ctx.client.containers.rename(from, to.trim());
    } catch (err) {
      throw new StatusError(1, `${errorText(err)}\nError: failed to rename container named ${from}`);
    }
  },
});

export const waitCommand = defineCommand({
  names: [['wait'], ['container', 'wait']],
  usage: 'CONTAINER [CONTAINER...]',
  description: 'Block until one or more containers stop, then print their exit codes',
  flags: {},
  minArgs: 1,
  run: (ctx, { args }) =>
    forEach(ctx, args, async (name) => {
      const { result } = await ctx.client.containers.wait(name);
      return String((await result).StatusCode);
    }),
});

// berth run and berth create.
import { defineCommand, type CliContext } from '../command.js';
import { attachStreams, containerCreateBody, containerFlags, type ContainerFlags } from '../container-config.js';
import { checkTtyInput, runSession } from '../container-session.js';
import { UsageError, errorText, withHelp } from '../errors.js';
import { bool, str } from '../flags.js';
import { terminalSize } from '../hijack-io.js';
import { isDaemonError } from '../../client/index.js';
import { familiarString, normalizeReference } from '../../image/reference.js';
import { pullImage } from './pull-push.js';

const pullFlags = {
  pull: str('pull', 'Pull image before running ("always", "missing", "never")', { default: 'missing' }),
  quiet: bool('quiet', 'Suppress the pull output', { short: 'q' }),
  platform: str('platform', 'Set platform if server is multi-platform capable'),
};
type PullFlags = { pull: string; quiet: boolean; platform?: string };

/** Creates the container, pulling its image first or when it is missing as --pull says (docker prints on stderr). */
async function createPulling<T>(ctx: CliContext, f: PullFlags, image: string, create: () => Promise<T>): Promise<T> {
  if (!['always', 'missing', 'never'].includes(f.pull)) throw new UsageError(`invalid pull option: '${f.pull}': must be one of "always", "missing" or "never"`, 125);
  const pull = () => pullImage(ctx, image, { platform: f.platform || undefined, out: f.quiet ? undefined : ctx.stderr });
  if (f.pull === 'always') await pull();
  try {
    return await create();
  } catch (err) {
    if (f.pull !== 'missing' || !isDaemonError(err, 404) || !/No such image/i.test(err.message)) throw err;
    ctx.stderr.write(`Unable to find image '${familiarString(normalizeReference(image))}' locally\n`);
    await pull();
    return create();
  }
}

async function create(ctx: CliContext, f: ContainerFlags & PullFlags, args: string[], o: { detach: boolean; entrypointChanged: boolean }) {
  const streams = o.detach ? { stdin: false, stdout: false, stderr: false } : attachStreams(f);
  if (!o.detach) checkTtyInput(ctx, f.tty, streams.stdin);
  const size = f.tty ? terminalSize(ctx) : undefined;
  const body = containerCreateBody(f, {
    image: args[0],
    cmd: args.slice(1),
    streams,
    consoleSize: size && [size.height, size.width],
    env: ctx.env,
    entrypointChanged: o.entrypointChanged,
  });
  const created = await createPulling(ctx, f, args[0], () => ctx.client.containers.create(body, { name: f.name }));
  for (const w of created.Warnings ?? []) ctx.stderr.write(`WARNING: ${w}\n`);
  return { id: created.Id, streams };
}

/** docker's exit status when run fails: 127 command not found, 126 not executable, else 125. */
export function runFailureStatus(message: string): number {
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(message)) return 127;
  if (/permission denied|is a directory/.test(message)) return 126;
  return 125;
}

export const runCommand = defineCommand({
  names: [['run'], ['container', 'run']],
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create and run a new container from an image',
  flags: {
    ...containerFlags,
    ...pullFlags,
    detach: bool('detach', 'Run container in background and print container ID', { short: 'd' }),
    sigProxy: bool('sig-proxy', 'Proxy received signals to the process', { default: true }),
    detachKeys: str('detach-keys', 'Override the key sequence for detaching a container'),
  },
  minArgs: 1,
  interspersed: false,
  async run(ctx, { flags: f, args, changed }) {
    if (f.detach && f.attach.length) throw new UsageError('Conflicting options: -a and -d', 1);
    try {
      const { id, streams } = await create(ctx, f, args, { detach: f.detach, entrypointChanged: changed.has('entrypoint') });
      if (f.detach) {
        await ctx.client.containers.start(id);
        ctx.stdout.write(`${id}\n`);
        return 0;
      }
      return await runSession(ctx, {
        id, tty: f.tty, ...streams, detachKeys: f.detachKeys, sigProxy: f.sigProxy, start: true, autoRemove: f.rm,
      });
    } catch (err) {
      throw withHelp(err, 'run', runFailureStatus(errorText(err)));
    }
  },
});

export const createCommand = defineCommand({
  names: [['create'], ['container', 'create']],
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create a new container',
  flags: { ...containerFlags, ...pullFlags },
  minArgs: 1,
  interspersed: false,
  async run(ctx, { flags: f, args, changed }) {
    try {
      const { id } = await create(ctx, f, args, { detach: false, entrypointChanged: changed.has('entrypoint') });
      ctx.stdout.write(`${id}\n`);
    } catch (err) {
      throw withHelp(err, 'create', 125);
    }
  },
});

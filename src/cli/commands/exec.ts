// berth exec: run a command in a running container, exit with its status.
import { setTimeout } from 'node:timers/promises';
import { defineCommand } from '../command.js';
import { checkTtyInput } from '../container-session.js';
import { readEnv } from '../container-config.js';
import { StatusError } from '../errors.js';
import { bool, list, str } from '../flags.js';
import { monitorTtySize, streamHijacked, terminalSize } from '../hijack-io.js';

export const execCommand = defineCommand({
  names: [['exec'], ['container', 'exec']],
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  description: 'Execute a command in a running container',
  flags: {
    detach: bool('detach', 'Detached mode: run command in the background', { short: 'd' }),
    detachKeys: str('detach-keys', 'Override the key sequence for detaching a container'),
    env: list('env', 'Set environment variables', { short: 'e' }),
    envFile: list('env-file', 'Read in a file of environment variables'),
    interactive: bool('interactive', 'Keep STDIN open even if not attached', { short: 'i' }),
    privileged: bool('privileged', 'Give extended privileges to the command'),
    tty: bool('tty', 'Allocate a pseudo-TTY', { short: 't' }),
    user: str('user', 'Username or UID (format: "<name|uid>[:<group|gid>]")', { short: 'u' }),
    workdir: str('workdir', 'Working directory inside the container', { short: 'w' }),
  },
  minArgs: 2,
  interspersed: false,
  async run(ctx, { flags: f, args: [container, ...cmd] }) {
    const { client } = ctx;
    // Inspect first so that "No such container" wins over other errors, as with docker.
    await client.containers.inspect(container);
    const attach = !f.detach;
    const stdin = attach && f.interactive;
    if (attach) checkTtyInput(ctx, f.tty, stdin);
    const size = f.tty ? terminalSize(ctx) : undefined;
    const { Id: execId } = await client.exec.create(container, {
      Cmd: cmd,
      Env: readEnv(f.envFile, f.env, ctx.env),
      User: f.user,
      WorkingDir: f.workdir,
      Privileged: f.privileged,
      Tty: f.tty,
      AttachStdin: stdin,
      AttachStdout: attach,
      AttachStderr: attach,
      DetachKeys: f.detachKeys,
      ...(size && { ConsoleSize: [size.height, size.width] }),
    });
    if (f.detach) return client.exec.startDetached(execId);
    const socket = await client.exec.start(execId, { tty: f.tty, consoleSize: size });
    const stopResize = f.tty ? monitorTtySize(ctx, (s) => client.exec.resize(execId, s)) : () => {};
    try {
      if ((await streamHijacked(ctx, socket, { tty: f.tty, stdin, output: true, detachKeys: f.detachKeys })) === 'detached') return 0;
    } finally {
      stopResize();
    }
    // The output ends when the process does; the daemon may record the exit a moment later. No exit code for
    // an exec that is not running means it could not be started: docker's 126.
    for (let i = 0; ; i++) {
      const { Running, ExitCode } = await client.exec.inspect(execId);
      if (!Running) return ExitCode ?? 126;
      if (i === 100) throw new StatusError(1, `exec ${execId} ended its output but the daemon still reports it running`);
      await setTimeout(20);
    }
  },
});

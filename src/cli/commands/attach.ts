// berth attach: connect the terminal to a running container's main process.
import { defineCommand } from '../command.js';
import { checkTtyInput, runSession } from '../container-session.js';
import { StatusError } from '../errors.js';
import { bool, str } from '../flags.js';

export const attachCommand = defineCommand({
  names: [['attach'], ['container', 'attach']],
  usage: '[OPTIONS] CONTAINER',
  description: "Attach local standard input, output, and error streams to a running container",
  flags: {
    detachKeys: str('detach-keys', 'Override the key sequence for detaching a container'),
    noStdin: bool('no-stdin', 'Do not attach STDIN'),
    sigProxy: bool('sig-proxy', 'Proxy all received signals to the process', { default: true }),
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, { flags: f, args: [name] }) {
    const c = await ctx.client.containers.inspect(name);
    if (!c.State.Running) throw new StatusError(1, 'You cannot attach to a stopped container, start it first');
    if (c.State.Paused) throw new StatusError(1, 'You cannot attach to a paused container, unpause it first');
    if (c.State.Restarting) throw new StatusError(1, 'You cannot attach to a restarting container, wait until it is running');
    const tty = Boolean(c.Config.Tty);
    const stdin = !f.noStdin && Boolean(c.Config.OpenStdin);
    checkTtyInput(ctx, tty, stdin);
    return runSession(ctx, {
      id: c.Id, tty, stdin, stdout: true, stderr: true, detachKeys: f.detachKeys, sigProxy: f.sigProxy, start: false, autoRemove: false,
    });
  },
});

// berth port: a container's published ports, all of them or those of one private port.
import { defineCommand } from '../command.js';
import { StatusError } from '../errors.js';

type Ports = Record<string, { HostIp: string; HostPort: string }[] | null>;

const hostAddress = (b: { HostIp: string; HostPort: string }) => `${b.HostIp.includes(':') ? `[${b.HostIp}]` : b.HostIp}:${b.HostPort}`;
const byPort = (a: string, b: string) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b);

export const portCommand = defineCommand({
  names: [['port'], ['container', 'port']],
  usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
  description: 'List port mappings or a specific mapping for the container',
  flags: {},
  minArgs: 1,
  maxArgs: 2,
  async run(ctx, { args }) {
    const c = await ctx.client.containers.inspect(args[0]);
    const ports = ((c.NetworkSettings as { Ports?: Ports } | undefined)?.Ports ?? {}) as Ports;
    if (args[1] === undefined) {
      for (const key of Object.keys(ports).sort(byPort)) {
        for (const b of ports[key] ?? []) ctx.stdout.write(`${key} -> ${hostAddress(b)}\n`);
      }
      return;
    }
    const [port, proto = 'tcp'] = args[1].split('/');
    if (!/^\d+$/.test(port)) throw new StatusError(1, `Error: invalid port (${port}): must be a number`);
    const bindings = ports[`${port}/${proto}`];
    if (!bindings?.length) throw new StatusError(1, `Error: No public port '${port}/${proto}' published for ${args[0]}`);
    for (const b of bindings) ctx.stdout.write(`${hostAddress(b)}\n`);
  },
});

#!/usr/bin/env node
// berth: the command-line client of berthd, with docker's commands, flags, output and exit statuses.
import { createClient, resolveHost, type Client } from '../client/index.js';
import { cliVersion } from './about.js';
import type { Command, Io } from './command.js';
import { findCommand, managementGroups } from './commands.js';
import { StatusError, UsageError, errorText } from './errors.js';
import { parseFlags } from './flags.js';
import { globalFlags } from './global-flags.js';
import { commandHelp, groupHelp, mainHelp, usageLine } from './help.js';

/** docker's message for a wrong number of arguments (cli/required.go), status 1. */
function checkArgCount(c: Command, path: string[], count: number): void {
  const { minArgs = 0, maxArgs = Infinity } = c;
  if (count >= minArgs && count <= maxArgs) return;
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  const [what, verb] =
    maxArgs === 0 ? ['accepts no arguments', 'Run']
    : minArgs === maxArgs ? [`requires ${plural(minArgs)}`, 'Run']
    : count < minArgs && maxArgs === Infinity ? [`requires at least ${plural(minArgs)}`, 'See']
    : count < minArgs ? [`requires at least ${minArgs} and at most ${plural(maxArgs)}`, 'See']
    : [`requires at most ${plural(maxArgs)}`, 'See'];
  throw new StatusError(1, `berth: 'berth ${path.join(' ')}' ${what}\n\n${usageLine(c, path)}\n\n${verb} 'berth ${path.join(' ')} --help' for more information`);
}

async function main(argv: string[], io: Io, env: Record<string, string | undefined>): Promise<number> {
  let client: Client | undefined;
  let current: { command: Command; path: string[] } | undefined;
  const print = (text: string) => {
    io.stdout.write(text);
    return 0;
  };
  try {
    const global = parseFlags(globalFlags, argv, { interspersed: false });
    const words = global.args;
    if (global.flags.version) return print(`berth version ${cliVersion}\n`);
    if (global.help || !words.length) return print(mainHelp());
    // `berth help ps` is `berth ps --help`.
    if (words[0] === 'help') {
      const topic = findCommand(words.slice(1));
      if (topic) return print(commandHelp(topic.command, topic.path));
      return print(words[1] in managementGroups ? groupHelp(words[1]) : mainHelp());
    }
    const found = findCommand(words);
    if (!found) {
      const group = words[0] in managementGroups ? words[0] : undefined;
      if (group && (words.length === 1 || words[1] === '--help' || words[1] === '-h')) return print(groupHelp(group));
      const usage = group ? `\n\nUsage:  berth ${group}` : '';
      throw new StatusError(1, `berth: unknown command: berth ${words.slice(0, group ? 2 : 1).join(' ')}${usage}\n\nRun 'berth ${group ? `${group} ` : ''}--help' for more information`);
    }
    current = found;
    const { command, path } = found;
    const inv = parseFlags(command.flags, words.slice(path.length), { interspersed: command.interspersed ?? true });
    if (inv.help) return print(commandHelp(command, path));
    checkArgCount(command, path, inv.args.length);
    client = createClient({ host: resolveHost(global.flags.host, env), apiVersion: env.DOCKER_API_VERSION || undefined, userAgent: `berth-cli/${cliVersion}` });
    return (await command.run({ ...io, client, env }, inv)) ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      const usage = current ? `\n\n${usageLine(current.command, current.path)}` : '';
      const name = current ? `berth ${current.path.join(' ')}` : 'berth';
      io.stderr.write(`${err.message}${usage}\n\nRun '${name} --help' for more information\n`);
      return err.status;
    }
    if (err instanceof StatusError) {
      if (err.message) io.stderr.write(`${err.message}\n`);
      return err.status;
    }
    io.stderr.write(`${errorText(err)}\n`);
    return 1;
  } finally {
    client?.close();
  }
}

// A closed pipe on stdout (berth ps | head -1) ends berth quietly, as SIGPIPE ends docker.
process.stdout.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 1));

main(process.argv.slice(2), process, process.env).then((status) => {
  // Exit even if stdin or a stream is still open (run -i after the container exited); flush stdout first.
  process.stdout.write('', () => process.exit(status));
});

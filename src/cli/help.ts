// Help texts in docker's layout.
import type { Command } from './command.js';
import { commands, managementGroups } from './commands.js';
import { flagUsages, type FlagSet } from './flags.js';
import { globalFlags } from './global-flags.js';

const listing = (rows: [string, string][]) => {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, text]) => `  ${name.padEnd(width)}   ${text}`);
};

const optionsBlock = (title: string, flags: FlagSet) => (Object.keys(flags).length ? ['', `${title}:`, ...flagUsages(flags)] : []);

export function mainHelp(): string {
  const top = commands.filter((c) => c.names.some((n) => n.length === 1));
  return [
    'Usage:  berth [OPTIONS] COMMAND',
    '',
    'A container engine: the berth CLI, speaking the Docker Engine API to berthd',
    '',
    'Management Commands:',
    ...listing(Object.entries(managementGroups)),
    '',
    'Commands:',
    ...listing(top.map((c): [string, string] => [c.names.find((n) => n.length === 1)![0], c.description]).sort(([a], [b]) => a.localeCompare(b))),
    ...optionsBlock('Global Options', globalFlags),
    '',
    "Run 'berth COMMAND --help' for more information on a command.",
    '',
  ].join('\n');
}

export function groupHelp(group: string): string {
  const subs = commands.flatMap((c) => c.names.filter((n) => n.length === 2 && n[0] === group).slice(0, 1).map((n): [string, string] => [n[1], c.description]));
  return [
    `Usage:  berth ${group} COMMAND`,
    '',
    managementGroups[group],
    '',
    'Commands:',
    ...listing(subs.sort(([a], [b]) => a.localeCompare(b))),
    '',
    `Run 'berth ${group} COMMAND --help' for more information on a command.`,
    '',
  ].join('\n');
}

export function commandHelp(c: Command, path: string[]): string {
  const aliases = c.names.length > 1 ? ['', 'Aliases:', `  ${c.names.map((n) => `berth ${n.join(' ')}`).join(', ')}`] : [];
  return [usageLine(c, path), '', c.description, ...aliases, ...optionsBlock('Options', c.flags), ''].join('\n');
}

/** "Usage:  berth ps [OPTIONS]", as docker shows it in usage errors. */
export const usageLine = (c: Command, path: string[]) => `Usage:  berth ${path.join(' ')} ${c.usage}`;

// The command registry: every `berth` command, and the management groups (`berth container ...`).
// A new command (pull, push, login) is one file under commands/ and one line here.
import type { Command } from './command.js';
import { attachCommand } from './commands/attach.js';
import { execCommand } from './commands/exec.js';
import { importCommand, loadCommand, saveCommand } from './commands/image-archive.js';
import { historyCommand, rmiCommand, tagCommand } from './commands/image-edit.js';
import { imagesCommand } from './commands/images.js';
import { containerInspectCommand, imageInspectCommand, inspectCommand, topCommand } from './commands/inspect.js';
import { killCommand, renameCommand, restartCommand, rmCommand, startCommand, stopCommand, waitCommand } from './commands/lifecycle.js';
import { logsCommand } from './commands/logs.js';
import { psCommand } from './commands/ps.js';
import { createCommand, runCommand } from './commands/run.js';
import { eventsCommand, infoCommand, versionCommand } from './commands/system.js';

export const commands: Command[] = [
  runCommand, createCommand, startCommand, stopCommand, killCommand, restartCommand, rmCommand, renameCommand,
  waitCommand, attachCommand, execCommand, logsCommand, psCommand, topCommand, inspectCommand,
  containerInspectCommand, imagesCommand, imageInspectCommand, historyCommand, tagCommand, rmiCommand,
  importCommand, loadCommand, saveCommand, versionCommand, infoCommand, eventsCommand,
] as Command[];

export const managementGroups: Record<string, string> = {
  container: 'Manage containers',
  image: 'Manage images',
  system: 'Manage berth',
};

/** The command named by the first words of argv, and how many words named it. */
export function findCommand(words: string[]): { command: Command; path: string[] } | undefined {
  for (const length of [2, 1]) {
    const path = words.slice(0, length);
    if (path.length !== length) continue;
    const command = commands.find((c) => c.names.some((n) => n.length === length && n.every((w, i) => w === path[i])));
    if (command) return { command, path };
  }
  return undefined;
}

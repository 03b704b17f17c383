// The command registry: every `berth` command, and the management groups (`berth container ...`).
// A new command (pull, push, login) is one file under commands/ and one line here.
import type { Command } from './command.js';
import { attachCommand } from './commands/attach.js';
import { commitCommand } from './commands/commit.js';
import { execCommand } from './commands/exec.js';
import { importCommand, loadCommand, saveCommand } from './commands/image-archive.js';
import { historyCommand, rmiCommand, tagCommand } from './commands/image-edit.js';
import { imagesCommand } from './commands/images.js';
import { containerInspectCommand, imageInspectCommand, inspectCommand, topCommand } from './commands/inspect.js';
import { killCommand, renameCommand, restartCommand, rmCommand, startCommand, stopCommand, waitCommand } from './commands/lifecycle.js';
import { loginCommand, logoutCommand } from './commands/login.js';
import { logsCommand } from './commands/logs.js';
import { networkCommands } from './commands/network.js';
import { portCommand } from './commands/port.js';
import { psCommand } from './commands/ps.js';
import { pullCommand, pushCommand } from './commands/pull-push.js';
import { createCommand, runCommand } from './commands/run.js';
import { eventsCommand, infoCommand, versionCommand } from './commands/system.js';
import { volumeCommands } from './commands/volume.js';
import { cpCommand } from './commands/cp.js';
import { diffCommand, exportCommand } from './commands/container-fs.js';
import { pruneCommands } from './commands/prune.js';

export const commands: Command[] = [
  runCommand, createCommand, startCommand, stopCommand, killCommand, restartCommand, rmCommand, renameCommand,
  waitCommand, attachCommand, execCommand, logsCommand, psCommand, topCommand, inspectCommand,
  containerInspectCommand, imagesCommand, imageInspectCommand, historyCommand, tagCommand, rmiCommand,
  importCommand, loadCommand, saveCommand, versionCommand, infoCommand, eventsCommand,
  pullCommand, pushCommand, loginCommand, logoutCommand, commitCommand, portCommand, ...networkCommands,
  ...volumeCommands, cpCommand, exportCommand, diffCommand, ...pruneCommands,
] as Command[];

export const managementGroups: Record<string, string> = {
  container: 'Manage containers',
  image: 'Manage images',
  network: 'Manage networks',
  volume: 'Manage volumes',
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

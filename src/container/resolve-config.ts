// Merges what the user asked for with the image's defaults, as Docker does at create time.
import type { ContainerSpec, OciImageConfig } from '../engine/types.js';
import { invalidArgument } from '../errors.js';

export interface ResolvedProcess {
  path: string;
  args: string[];
  env: string[];
  workingDir: string;
  user: string;
}

/** Env lists merged by key: later entries win, order of first appearance kept. */
export function mergeEnv(...lists: string[][]): string[] {
  const out = new Map<string, string>();
  for (const list of lists) {
    for (const entry of list) {
      const eq = entry.indexOf('=');
      const key = eq < 0 ? entry : entry.slice(0, eq);
      if (!key) throw invalidArgument(`invalid environment variable: ${entry}`);
      out.set(key, entry);
    }
  }
  return [...out.values()];
}

export function resolveProcess(spec: ContainerSpec, image: OciImageConfig): ResolvedProcess {
  let entrypoint = spec.entrypoint;
  let cmd = spec.cmd;
  // Docker: an empty entrypoint from the user keeps the image's cmd; a non-empty one drops it.
  if (!entrypoint || entrypoint.length === 0) {
    if (!cmd || cmd.length === 0) cmd = image.Cmd ?? [];
    if (!entrypoint) entrypoint = image.Entrypoint ?? [];
  }
  const argv = [...entrypoint, ...(cmd ?? [])];
  if (argv.length === 0 || argv[0] === '') throw invalidArgument('No command specified');
  return {
    path: argv[0],
    args: argv.slice(1),
    env: mergeEnv(image.Env ?? [], spec.env),
    workingDir: spec.workingDir || image.WorkingDir || '/',
    user: spec.user ?? image.User ?? '',
  };
}

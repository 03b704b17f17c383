// `run` and `create` flags, and the container create body they make (docker's cli/command/container/opts.go).
import { readFileSync } from 'node:fs';
import type { ContainerCreateBody, RestartPolicy } from '../client/index.js';
import { UsageError } from './errors.js';
import { bool, int, list, str, type FlagValues } from './flags.js';
import { networkCreateFields, networkFlags } from './network-flags.js';
import { mountCreateFields, mountFlags } from './mount-flags.js';

export const containerFlags = {
  attach: list('attach', 'Attach to STDIN, STDOUT or STDERR', { short: 'a' }),
  env: list('env', 'Set environment variables', { short: 'e' }),
  envFile: list('env-file', 'Read in a file of environment variables'),
  interactive: bool('interactive', 'Keep STDIN open even if not attached', { short: 'i' }),
  tty: bool('tty', 'Allocate a pseudo-TTY', { short: 't' }),
  rm: bool('rm', 'Automatically remove the container and its associated anonymous volumes when it exits'),
  name: str('name', 'Assign a name to the container'),
  user: str('user', 'Username or UID (format: "<name|uid>[:<group|gid>]")', { short: 'u' }),
  workdir: str('workdir', 'Working directory inside the container', { short: 'w' }),
  hostname: str('hostname', 'Container host name', { short: 'h' }),
  entrypoint: str('entrypoint', 'Overwrite the default ENTRYPOINT of the image'),
  label: list('label', 'Set meta data on a container', { short: 'l' }),
  privileged: bool('privileged', 'Give extended privileges to this container'),
  capAdd: list('cap-add', 'Add Linux capabilities'),
  capDrop: list('cap-drop', 'Drop Linux capabilities'),
  readOnly: bool('read-only', "Mount the container's root filesystem as read only"),
  restart: str('restart', 'Restart policy to apply when a container exits', { default: 'no' }),
  stopSignal: str('stop-signal', 'Signal to stop the container'),
  stopTimeout: int('stop-timeout', 'Timeout (in seconds) to stop a container'),
  ...networkFlags,
  ...mountFlags,
};

export type ContainerFlags = FlagValues<typeof containerFlags>;

export interface AttachStreams {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/** -a values, or stdout+stderr by default; -i always attaches stdin. */
export function attachStreams(f: Pick<ContainerFlags, 'attach' | 'interactive'>): AttachStreams {
  const streams = { stdin: false, stdout: false, stderr: false };
  for (const a of f.attach) {
    const s = a.toLowerCase();
    if (s !== 'stdin' && s !== 'stdout' && s !== 'stderr') {
      throw new UsageError(`invalid argument "${a}" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR`);
    }
    streams[s] = true;
  }
  if (!f.attach.length) streams.stdout = streams.stderr = true;
  if (f.interactive) streams.stdin = true;
  return streams;
}

/** "no", "always", "unless-stopped", "on-failure[:max-retries]". */
export function parseRestartPolicy(text: string): RestartPolicy {
  const [name, count, extra] = text.split(':');
  if (extra !== undefined || !['', 'no', 'always', 'unless-stopped', 'on-failure'].includes(name)) {
    throw new UsageError(`invalid restart policy format: ${text}`, 1);
  }
  if (count === undefined) return { Name: name as RestartPolicy['Name'] };
  if (name !== 'on-failure') throw new UsageError(`invalid restart policy format: maximum retry count can only be used with 'on-failure'`, 1);
  if (!/^\d+$/.test(count)) throw new UsageError(`invalid restart policy format: maximum retry count must be an integer`, 1);
  return { Name: 'on-failure', MaximumRetryCount: Number(count) };
}

/** KEY=VALUE as is; a bare KEY takes the value from berth's own environment, or is dropped when unset there. */
function envEntry(entry: string, env: Record<string, string | undefined>): string[] {
  if (entry.includes('=')) return [entry];
  const value = env[entry];
  return value === undefined ? [] : [`${entry}=${value}`];
}

/** docker's env-file syntax: KEY=VALUE lines (value untrimmed), bare KEY lines, # comments and blank lines. */
export function parseEnvFile(text: string, env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trimStart();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq === -1 ? line : line.slice(0, eq);
    if (/\s/.test(key)) throw new UsageError(`variable '${key}' contains whitespaces`, 1);
    if (!key) throw new UsageError(`no variable name on line '${line}'`, 1);
    out.push(...envEntry(line, env));
  }
  return out;
}

/** --env-file contents, then -e values (docker's order). */
export function readEnv(files: string[], entries: string[], env: Record<string, string | undefined>): string[] {
  return [...files.flatMap((file) => parseEnvFile(readFileSync(file, 'utf8'), env)), ...entries.flatMap((e) => envEntry(e, env))];
}

export function parseLabels(entries: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const l of entries) {
    const eq = l.indexOf('=');
    labels[eq === -1 ? l : l.slice(0, eq)] = eq === -1 ? '' : l.slice(eq + 1);
  }
  return labels;
}

export interface CreateInput {
  image: string;
  cmd: string[];
  /** Which streams `run` attaches; create attaches none unless -a/-i ask. */
  streams: AttachStreams;
  /** [height, width] of the local terminal, for a TTY. */
  consoleSize?: [number, number];
  env: Record<string, string | undefined>;
  /** Whether --entrypoint was given (an empty one resets the image's). */
  entrypointChanged: boolean;
}

export function containerCreateBody(f: ContainerFlags, input: CreateInput): ContainerCreateBody {
  const restart = parseRestartPolicy(f.restart);
  if (f.rm && restart.Name !== '' && restart.Name !== 'no') throw new UsageError('Conflicting options: --restart and --rm', 1);
  const env = readEnv(f.envFile, f.env, input.env);
  const { stdin, stdout, stderr } = input.streams;
  const network = networkCreateFields(f);
  const mounts = mountCreateFields(f);
  return {
    Image: input.image,
    ...(input.cmd.length && { Cmd: input.cmd }),
    ...(input.entrypointChanged && { Entrypoint: [f.entrypoint ?? ''] }),
    Env: env,
    ...(f.user !== undefined && { User: f.user }),
    ...(f.workdir !== undefined && { WorkingDir: f.workdir }),
    ...(f.hostname !== undefined && { Hostname: f.hostname }),
    Labels: parseLabels(f.label),
    Tty: f.tty,
    OpenStdin: f.interactive,
    AttachStdin: stdin,
    AttachStdout: stdout,
    AttachStderr: stderr,
    StdinOnce: f.interactive && stdin,
    ...(f.stopSignal !== undefined && { StopSignal: f.stopSignal }),
    ...(f.stopTimeout !== undefined && { StopTimeout: f.stopTimeout }),
    ...network.config,
    ...mounts.config,
    HostConfig: {
      AutoRemove: f.rm,
      Privileged: f.privileged,
      CapAdd: f.capAdd,
      CapDrop: f.capDrop,
      ReadonlyRootfs: f.readOnly,
      RestartPolicy: restart,
      ...(input.consoleSize && { ConsoleSize: input.consoleSize }),
      ...network.host,
      ...mounts.host,
    },
  };
}

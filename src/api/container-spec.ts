// Docker's container create body (Config + HostConfig) → the engine's ContainerSpec, with Docker's validation.
import type { ContainerSpec, HostOptions, RestartPolicy } from '../engine/types.js';
import { invalidArgument } from '../errors.js';
import { compact, fields, type Fields } from './json-fields.js';
import { hostMountOptions } from './mounts-json.js';
import { toContainerNetworkSpec } from './container-network-spec.js';

const namePattern = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Docker's container name rule; returns the name without its leading "/". */
export function validContainerName(name: string): string {
  if (!namePattern.test(name)) {
    throw invalidArgument(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  return name.replace(/^\//, '');
}

const policies: RestartPolicy['name'][] = ['no', 'always', 'unless-stopped', 'on-failure'];

export function restartPolicy(host: Fields | undefined): RestartPolicy {
  const rp = host?.obj('RestartPolicy');
  const name = rp?.str('Name') || 'no';
  const maximumRetryCount = rp?.int('MaximumRetryCount') ?? 0;
  if (!policies.includes(name as RestartPolicy['name'])) {
    throw invalidArgument(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  }
  if (maximumRetryCount < 0) throw invalidArgument('invalid restart policy: maximum retry count must be a positive integer');
  if (maximumRetryCount > 0 && name !== 'on-failure') {
    throw invalidArgument(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  }
  return { name: name as RestartPolicy['name'], maximumRetryCount };
}

function hostOptions(host: Fields | undefined): HostOptions {
  const policy = restartPolicy(host);
  const autoRemove = host?.bool('AutoRemove') ?? false;
  if (autoRemove && policy.name !== 'no') throw invalidArgument(`can't create 'AutoRemove' container with restart policy`);
  const shmSize = host?.int('ShmSize');
  if (shmSize !== undefined && shmSize < 0) throw invalidArgument('SHM size can not be less than 0');
  const consoleSize = host && consoleSizeOf(host);
  return compact<HostOptions>({
    autoRemove,
    privileged: host?.bool('Privileged') ?? false,
    capAdd: host?.strList('CapAdd') ?? [],
    capDrop: host?.strList('CapDrop') ?? [],
    readonlyRootfs: host?.bool('ReadonlyRootfs') ?? false,
    restartPolicy: policy,
    shmSize: shmSize || undefined, // 0 means the default
    consoleSize,
  });
}

/** HostConfig.ConsoleSize [height, width]; [0, 0] (the CLI's value without a terminal) means none. */
function consoleSizeOf(host: Fields): { height: number; width: number } | undefined {
  const size = host.intList('ConsoleSize');
  if (!size) return undefined;
  if (size.length !== 2 || size.some((n) => n < 0)) throw invalidArgument('invalid JSON: HostConfig.ConsoleSize must be [height, width]');
  return size[0] > 0 && size[1] > 0 ? { height: size[0], width: size[1] } : undefined;
}

/** "80" → "80/tcp", "53/UDP" → "53/udp"; invalid_argument for anything else. */
export function normalizePort(port: string): string {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/([a-zA-Z]+))?$/.exec(port);
  if (!m || Number(m[1]) > 65535 || (m[2] !== undefined && Number(m[2]) > 65535)) {
    throw invalidArgument(`invalid port specification: ${JSON.stringify(port)}`);
  }
  return `${m[1]}${m[2] ? `-${m[2]}` : ''}/${(m[3] ?? 'tcp').toLowerCase()}`;
}

export function validEnv(env: string[]): string[] {
  for (const e of env) if (e.split('=')[0] === '') throw invalidArgument(`invalid environment variable: ${e}`);
  return env;
}

/** "" → undefined (the image's); relative paths are invalid. */
export function validWorkingDir(dir: string | undefined): string | undefined {
  if (dir && !dir.startsWith('/')) throw invalidArgument(`the working directory '${dir}' is invalid, it needs to be an absolute path`);
  return dir || undefined;
}

/** Entrypoint: absent/null → the image's; [] → none; [""] (`--entrypoint ""`) → none too. */
function entrypointOf(config: Fields): string[] | undefined {
  const ep = config.strSlice('Entrypoint');
  return ep && ep.length === 1 && ep[0] === '' ? [] : ep;
}

export function toContainerSpec(body: Record<string, unknown> | undefined, name: string | undefined): ContainerSpec {
  if (!body || Object.keys(body).length === 0) throw invalidArgument('config cannot be empty in order to create a container');
  const config = fields(body, 'Config');
  const image = config.str('Image');
  if (!image) throw invalidArgument('Config.Image is required: the image to create the container from');
  const cmd = config.strSlice('Cmd');
  return compact<ContainerSpec>({
    name: name ? validContainerName(name) : undefined,
    image,
    cmd: cmd && cmd.length > 0 ? cmd : undefined, // an empty Cmd means the image's, as in Docker
    entrypoint: entrypointOf(config),
    env: validEnv(config.strList('Env') ?? []),
    workingDir: validWorkingDir(config.str('WorkingDir')),
    user: config.str('User'),
    hostname: config.str('Hostname'),
    domainname: config.str('Domainname'),
    tty: config.bool('Tty'),
    openStdin: config.bool('OpenStdin'),
    stdinOnce: config.bool('StdinOnce'),
    attachStdin: config.bool('AttachStdin'),
    attachStdout: config.bool('AttachStdout'),
    attachStderr: config.bool('AttachStderr'),
    labels: config.strMap('Labels') ?? {},
    stopSignal: config.str('StopSignal'),
    stopTimeout: config.int('StopTimeout'),
    exposedPorts: (config.keys('ExposedPorts') ?? []).map(normalizePort),
    volumes: config.keys('Volumes')?.length ? config.keys('Volumes') : undefined,
    host: { ...hostOptions(config.obj('HostConfig')), ...hostMountOptions(config.obj('HostConfig'), body.HostConfig) },
    network: toContainerNetworkSpec(body),
  });
}

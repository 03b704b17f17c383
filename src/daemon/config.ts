// berthd settings: docker's flag names on the command line, daemon.json keys in the config file, flags win.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { invalidArgument, isErrno } from '../errors.js';
import type { LogLevel } from '../util/logger.js';
import { registryHostsConfig } from '../registry/hosts.js';

export interface DaemonConfig {
  hosts: string[];
  dataRoot: string;
  execRoot: string;
  configFile: string;
  logLevel: LogLevel;
  insecureRegistries: string[];
  registryMirrors: string[];
  /** daemon.json "registry-mirror-map": mirrors of any registry, by its domain. */
  registryMirrorMap: Record<string, string[]>;
  /** Default bridge: Linux bridge name and its address (CIDR), like dockerd's --bridge and --bip. */
  bridge: string;
  bip: string;
  /** Cap on each container's log file, bytes. */
  logSizeMax: number;
  cgroupParent: string;
}

export const defaults: DaemonConfig = {
  hosts: ['unix:///run/berth/berth.sock'],
  dataRoot: '/var/lib/berth',
  execRoot: '/run/berth',
  configFile: '/etc/berth/daemon.json',
  logLevel: 'info',
  insecureRegistries: [],
  registryMirrors: [],
  registryMirrorMap: {},
  bridge: 'berth0',
  bip: '172.31.0.1/16',
  logSizeMax: 32 << 20,
  cgroupParent: '/berth',
};

const levels: LogLevel[] = ['debug', 'info', 'warn', 'error'];

export const usage = `Usage: berthd [OPTIONS]

A container engine serving the Docker Engine API.

Options:
  -H, --host list          Daemon socket(s) to listen on (default unix:///run/berth/berth.sock)
      --data-root string   Root directory of persistent state (default "/var/lib/berth")
      --exec-root string   Root directory for execution state (default "/run/berth")
      --config-file string Daemon configuration file (default "/etc/berth/daemon.json")
  -l, --log-level string   Set the logging level ("debug"|"info"|"warn"|"error") (default "info")
  -b, --bridge string      Attach containers to a network bridge (default "berth0")
      --bip string         Bridge IP, CIDR (default "172.31.0.1/16")
      --insecure-registry list  Registries reachable over plain HTTP
      --registry-mirror list    Preferred registry mirrors
  -v, --version            Print version information and quit
  -h, --help               Print usage
`;

function fromFile(json: Record<string, unknown>): Partial<DaemonConfig> {
  const out: Partial<DaemonConfig> = {};
  const str = (k: string) => (typeof json[k] === 'string' ? (json[k] as string) : undefined);
  const list = (k: string) => (Array.isArray(json[k]) ? (json[k] as unknown[]).map(String) : undefined);
  const set = <K extends keyof DaemonConfig>(key: K, value: DaemonConfig[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('hosts', list('hosts'));
  set('dataRoot', str('data-root'));
  set('execRoot', str('exec-root'));
  set('logLevel', str('log-level') as LogLevel | undefined);
  set('insecureRegistries', list('insecure-registries'));
  set('registryMirrors', list('registry-mirrors'));
  set('registryMirrorMap', registryHostsConfig(json).mirrorMap);
  set('bridge', str('bridge'));
  set('bip', str('bip'));
  set('cgroupParent', str('cgroup-parent'));
  const opts = json['log-opts'] as Record<string, string> | undefined;
  if (opts?.['max-size']) set('logSizeMax', parseSize(opts['max-size']));
  return out;
}

export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(s.trim());
  if (!m) throw invalidArgument(`invalid size: ${s}`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * mult);
}

export type ParsedArgs = { help: true } | { version: true } | { config: DaemonConfig };

export async function loadConfig(argv: string[]): Promise<ParsedArgs> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', short: 'H', multiple: true },
      'data-root': { type: 'string' },
      'exec-root': { type: 'string' },
      'config-file': { type: 'string' },
      'log-level': { type: 'string', short: 'l' },
      bridge: { type: 'string', short: 'b' },
      bip: { type: 'string' },
      'insecure-registry': { type: 'string', multiple: true },
      'registry-mirror': { type: 'string', multiple: true },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  const configFile = values['config-file'] ?? defaults.configFile;
  let file: Partial<DaemonConfig> = {};
  try {
    file = fromFile(JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>);
  } catch (err) {
    // The default config file is optional; one named on the command line is not.
    if (!(isErrno(err, 'ENOENT') && values['config-file'] === undefined)) {
      throw invalidArgument(`unable to configure the daemon with file ${configFile}: ${(err as Error).message}`);
    }
  }
  const config: DaemonConfig = {
    ...defaults,
    ...file,
    configFile,
    ...(values.host && { hosts: values.host }),
    ...(values['data-root'] && { dataRoot: values['data-root'] }),
    ...(values['exec-root'] && { execRoot: values['exec-root'] }),
    ...(values['log-level'] && { logLevel: values['log-level'] as LogLevel }),
    ...(values.bridge && { bridge: values.bridge }),
    ...(values.bip && { bip: values.bip }),
    ...(values['insecure-registry'] && { insecureRegistries: [...(file.insecureRegistries ?? []), ...values['insecure-registry']] }),
    ...(values['registry-mirror'] && { registryMirrors: [...(file.registryMirrors ?? []), ...values['registry-mirror']] }),
  };
  if (!levels.includes(config.logLevel)) throw invalidArgument(`invalid log level: ${config.logLevel}`);
  return { config };
}

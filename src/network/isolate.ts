// Runs a node script in fresh network and mount namespaces, so that the bridges, veths, iptables rules and
// pinned namespaces it creates vanish with it. Used by the network tests and the benchmark.
import { spawn, spawnSync } from 'node:child_process';
import { BerthError } from '../errors.js';

const marker = 'BERTH_NETWORK_ISOLATED';

const unshareArgs = (script: string, args: string[], nodeArgs: string[]) => [
  '--net',
  '--mount',
  '--propagation',
  'private',
  '--',
  'sh',
  '-c',
  'ip link set lo up && exec "$@"',
  'sh',
  process.execPath,
  ...nodeArgs,
  script,
  ...args,
];

export const isolated = (): boolean => process.env[marker] === '1';

/** Unless already isolated, runs this process's script again isolated (same stdio) and exits with its status. */
export function reexecIsolated(): void {
  if (isolated()) return;
  // The same node options (those of the test runner's child, say) for the same script.
  const r = spawnSync('unshare', unshareArgs(process.argv[1], process.argv.slice(2), process.execArgv), {
    stdio: 'inherit',
    env: { ...process.env, [marker]: '1' },
  });
  process.exit(r.status ?? 1);
}

/** Runs script isolated and resolves with its standard output. */
export function runIsolated(script: string, args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', unshareArgs(script, args, []), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, [marker]: '1' },
      signal,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new BerthError('internal', `${script} failed (${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
  });
}

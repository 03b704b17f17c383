// Test-only: runs a test file again inside a network namespace of its own (loopback only, brought up), so that
// the registries and token servers it starts are reachable from nowhere else.
import { spawn } from 'node:child_process';
import type { TestContext } from 'node:test';

const marker = 'BERTH_TEST_NETNS';

/** True when this process already runs in the private network namespace made by runInOwnNetns. */
export const inOwnNetns = (): boolean => process.env[marker] === '1';

function childEnv(): NodeJS.ProcessEnv {
  // NODE_TEST_CONTEXT would make the inner `node --test` think it is a child of this runner and run nothing.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return { ...env, [marker]: '1' };
}

/** Runs `node --test file` under `unshare --net`; fails t with the child's report when a test there failed. */
export async function runInOwnNetns(t: TestContext, file: string): Promise<void> {
  const child = spawn(
    'unshare',
    ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" --test --test-reporter=spec "$1"', process.execPath, file],
    { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`tests in a private network namespace failed (exit ${code}):\n${output}`);
  for (const line of output.trimEnd().split('\n')) t.diagnostic(line);
}

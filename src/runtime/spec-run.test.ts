// Generated specs as runc runs them: what a process sees inside a default, a non-root and a privileged container.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { silentLogger } from '../util/logger.js';
import { CAPABILITY_NAMES, DEFAULT_CAPABILITIES, hostBoundingSet } from './capabilities.js';
import { createConmonRuntime } from './conmon-runtime.js';
import { collect, leftoverCgroups, makeTestBed, type TestBed } from './busybox-fixture.js';
import { hostNofileHardLimit, type SpecInput } from './spec.js';
import { resolveUser } from './user.js';
import type { Runtime } from './types.js';

const mask = (caps: readonly string[]) =>
  caps.reduce((m, c) => m | (1n << BigInt(CAPABILITY_NAMES.indexOf(c))), 0n).toString(16).padStart(16, '0');

describe('generated specs under runc', () => {
  let bed: TestBed;
  let rt: Runtime;
  before(async () => {
    bed = await makeTestBed();
    rt = createConmonRuntime({ execRoot: bed.execRoot, logger: silentLogger });
  });
  after(async () => {
    for (const id of ['plain', 'nobody', 'priv']) await rt.delete(id, true).catch(() => undefined);
    await bed.cleanup();
  });

  /** Runs script in a container built from the spec input and returns its stdout lines. */
  async function run(id: string, script: string, extra: Partial<SpecInput>): Promise<string[]> {
    await rt.create({
      id, bundle: await bed.bundle(id), spec: await bed.spec(id, ['sh', '-c', script], extra), logPath: bed.logPath(id),
      logSizeMax: 0, terminal: false, stdin: false, stdinOnce: false,
    });
    const output = collect(await rt.attach(id));
    await rt.start(id);
    assert.equal((await rt.waitExit(id)).exitCode, 0);
    await rt.delete(id);
    assert.deepEqual(await leftoverCgroups(bed.cgroupsPath(id)), []);
    return (await output).stdout.trim().split('\n');
  }

  const caps = 'grep -E "^Cap(Eff|Bnd)" /proc/self/status | tr -d "\\t"';

  test('default: Docker capabilities, masked and read-only paths, rlimits, hostname, read-only root', async () => {
    const hard = Math.min(1048576, await hostNofileHardLimit());
    const script = `${caps}; ulimit -n; ulimit -Hn; wc -c < /proc/interrupts; hostname; touch /sys/x 2>/dev/null || echo sys-ro; touch /x 2>/dev/null || echo root-ro; echo $HOSTNAME $PATH`;
    assert.deepEqual(await run('plain', script, { hostname: 'plainbox' }), [
      `CapEff:${mask(DEFAULT_CAPABILITIES)}`, `CapBnd:${mask(DEFAULT_CAPABILITIES)}`, '1024', String(hard), '0', 'plainbox', 'sys-ro', 'root-ro',
      'plainbox /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ]);
  });

  test('a user from the rootfs passwd: its ids, no effective capabilities', async () => {
    const user = await resolveUser(bed.rootfs, 'nobody');
    assert.deepEqual(user, { uid: 65534, gid: 65534, additionalGids: [65534] });
    assert.deepEqual(await run('nobody', `${caps}; id -u; id -g`, { user }), [
      `CapEff:${mask([])}`, `CapBnd:${mask(DEFAULT_CAPABILITIES)}`, '65534', '65534',
    ]);
  });

  test('privileged: the host bounding set, host devices, writable /sys', async () => {
    const bounding = await hostBoundingSet();
    const device = ['/dev/loop0', '/dev/kmsg', '/dev/full'].find((d) => existsSync(d))!;
    const lines = await run('priv', `${caps}; test -e ${device} && echo has-device; grep -c " /sys sysfs rw" /proc/self/mounts`, { privileged: true });
    assert.deepEqual(lines, [`CapEff:${mask(bounding)}`, `CapBnd:${mask(bounding)}`, 'has-device', '1']);
  });
});

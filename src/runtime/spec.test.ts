import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { isBerthError } from '../errors.js';
import { CAPABILITY_NAMES, DEFAULT_CAPABILITIES, capabilitiesFromMask, containerCapabilities, hostBoundingSet } from './capabilities.js';
import { hostDevices, splitDeviceNumber } from './host-devices.js';
import { containerEnv, generateSpec, hostNofileHardLimit, type SpecInput } from './spec.js';
import type { OciMount } from './types.js';

// This machine's bounding set: everything but CAP_SYS_RESOURCE (bit 24).
const BOUNDING = capabilitiesFromMask(0x1fffeffffffn);

const input = (extra: Partial<SpecInput> = {}): SpecInput => ({
  args: ['sh'], env: ['FOO=bar'], cwd: '/', user: { uid: 0, gid: 0, additionalGids: [0] }, hostname: 'box', terminal: false,
  rootfsPath: '/r', readonlyRootfs: false, privileged: false, capAdd: [], capDrop: [], cgroupsPath: '/berth/x', mounts: [], ...extra,
});
const host = { boundingSet: BOUNDING, nofileHardLimit: 20000, devices: async () => [{ path: '/dev/loop0', type: 'b' as const, major: 7, minor: 0, fileMode: 0o600, uid: 0, gid: 0 }] };
const linux = (spec: { linux: Record<string, unknown> }) => spec.linux as Record<string, unknown[] & Record<string, unknown>>;

test('capability masks map to names; the host bounding set is read from /proc', async () => {
  assert.equal(BOUNDING.length, 40);
  assert.ok(!BOUNDING.includes('CAP_SYS_RESOURCE'));
  assert.deepEqual(capabilitiesFromMask(0b101n), ['CAP_CHOWN', 'CAP_DAC_READ_SEARCH']);
  const mine = await hostBoundingSet();
  assert.ok(mine.includes('CAP_CHOWN') && mine.every((c) => CAPABILITY_NAMES.includes(c)));
});

test('capabilities follow Docker: defaults, add, drop, ALL, unknown names, nothing beyond the bounding set', () => {
  const caps = (capAdd: string[], capDrop: string[], privileged = false) => containerCapabilities({ capAdd, capDrop, privileged }, BOUNDING);
  assert.deepEqual(caps([], []), [...DEFAULT_CAPABILITIES]);
  assert.deepEqual(caps(['net_admin', 'CAP_SYS_PTRACE'], ['MKNOD', 'cap_kill']), [
    ...DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_MKNOD' && c !== 'CAP_KILL'), 'CAP_NET_ADMIN', 'CAP_SYS_PTRACE',
  ]);
  assert.deepEqual(caps(['ALL'], ['NET_RAW']), BOUNDING.filter((c) => c !== 'CAP_NET_RAW'));
  assert.deepEqual(caps(['CHOWN'], ['ALL']), ['CAP_CHOWN']);
  assert.deepEqual(caps([], [], true), BOUNDING);
  assert.deepEqual(caps(['SYS_RESOURCE'], []), [...DEFAULT_CAPABILITIES]);
  assert.throws(() => caps(['CAP_MAGIC'], []), (err: unknown) => isBerthError(err, 'invalid_argument') && err.message === 'unknown capability: "CAP_MAGIC"');
});

test('default spec: namespaces, mounts, masks, devices, rlimits within the host limit, env', async () => {
  const spec = await generateSpec(input(), host);
  assert.deepEqual(spec.root, { path: '/r', readonly: false });
  assert.equal(spec.hostname, 'box');
  assert.deepEqual(spec.process.env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=box', 'FOO=bar']);
  assert.deepEqual(spec.process.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 20000 }]);
  assert.deepEqual(spec.process.capabilities?.effective, [...DEFAULT_CAPABILITIES]);
  assert.deepEqual((linux(spec).namespaces as unknown as { type: string }[]).map((n) => n.type).sort(), ['cgroup', 'ipc', 'mount', 'network', 'pid', 'uts']);
  assert.equal(linux(spec).cgroupsPath, '/berth/x');
  assert.deepEqual(spec.mounts.map((m) => m.destination), ['/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/dev/shm']);
  assert.ok(spec.mounts.find((m) => m.destination === '/sys')!.options!.includes('ro'));
  assert.ok(spec.mounts.find((m) => m.destination === '/dev/shm')!.options!.includes(`size=${64 * 1024 * 1024}`));
  assert.ok(linux(spec).maskedPaths.includes('/proc/kcore'));
  assert.ok(linux(spec).readonlyPaths.includes('/proc/sys'));
  assert.deepEqual((linux(spec).devices as unknown as { path: string }[]).map((d) => d.path), ['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom', '/dev/tty']);
  assert.deepEqual((linux(spec).resources.devices as unknown[])[0], { allow: false, access: 'rwm' });
  assert.deepEqual(linux(spec).sysctl, { 'net.ipv4.ip_unprivileged_port_start': '0', 'net.ipv4.ping_group_range': '0 2147483647' });

  const low = await generateSpec(input(), { ...host, nofileHardLimit: 512 });
  assert.deepEqual(low.process.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 512, hard: 512 }]);
  const high = await generateSpec(input(), { ...host, nofileHardLimit: 4_000_000 });
  assert.deepEqual(high.process.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 1048576 }]);
});

test('a non-root user gets bounding capabilities only', async () => {
  const spec = await generateSpec(input({ user: { uid: 1000, gid: 1000, additionalGids: [1000] } }), host);
  assert.deepEqual(spec.process.capabilities?.bounding, [...DEFAULT_CAPABILITIES]);
  assert.deepEqual(spec.process.capabilities?.effective, []);
  assert.deepEqual(spec.process.capabilities?.permitted, []);
});

test('privileged: every host capability and device, nothing masked, /sys writable', async () => {
  const spec = await generateSpec(input({ privileged: true }), host);
  assert.deepEqual(spec.process.capabilities?.bounding, BOUNDING);
  assert.deepEqual(linux(spec).maskedPaths, []);
  assert.deepEqual(linux(spec).readonlyPaths, []);
  assert.deepEqual((linux(spec).devices as unknown as { path: string }[]).map((d) => d.path), ['/dev/loop0']);
  assert.deepEqual(linux(spec).resources.devices, [{ allow: true, access: 'rwm' }]);
  assert.ok(spec.mounts.find((m) => m.destination === '/sys')!.options!.includes('rw'));
});

test('network: a joined namespace, or the host one without namespace and sysctls', async () => {
  const joined = await generateSpec(input({ netnsPath: '/run/netns/n1' }), host);
  assert.deepEqual((linux(joined).namespaces as unknown[]).find((n) => (n as { type: string }).type === 'network'), { type: 'network', path: '/run/netns/n1' });
  const hostNet = await generateSpec(input({ hostNetwork: true, sysctls: { 'kernel.msgmax': '1' } }), host);
  assert.ok(!(linux(hostNet).namespaces as unknown as { type: string }[]).some((n) => n.type === 'network'));
  assert.deepEqual(linux(hostNet).sysctl, { 'kernel.msgmax': '1' });
});

test('user mounts replace defaults at the same place and come parents first', async () => {
  const bind = (destination: string): OciMount => ({ destination, type: 'bind', source: `/src${destination}`, options: ['rbind', 'ro'] });
  const spec = await generateSpec(input({ mounts: [bind('/data/sub'), bind('/etc/hosts'), bind('/data'), bind('/dev/shm')], shmSize: 1024 }), host);
  assert.deepEqual(spec.mounts.map((m) => `${m.destination}${m.type === 'bind' ? '*' : ''}`), [
    '/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/data*', '/data/sub*', '/etc/hosts*', '/dev/shm*',
  ]);
  const dev = await generateSpec(input({ mounts: [bind('/dev')] }), host);
  assert.deepEqual(dev.mounts.map((m) => m.destination), ['/proc', '/sys', '/sys/fs/cgroup', '/dev']);
});

test('the default environment: PATH, HOSTNAME, TERM with a tty, all overridable', () => {
  assert.deepEqual(containerEnv(['PATH=/x', 'A=1'], { hostname: 'h', tty: true }), ['PATH=/x', 'HOSTNAME=h', 'TERM=xterm', 'A=1']);
  assert.deepEqual(containerEnv(['TERM=vt100'], { hostname: 'h', tty: true })[2], 'TERM=vt100');
  assert.ok(!containerEnv([], { hostname: 'h', tty: false }).some((e) => e.startsWith('TERM=')));
});

test('host facts: the hard RLIMIT_NOFILE and the device nodes', async () => {
  const shell = Number(execFileSync('sh', ['-c', 'ulimit -Hn']).toString().trim());
  assert.equal(await hostNofileHardLimit(), shell);
  const devices = await hostDevices();
  assert.deepEqual(devices.find((d) => d.path === '/dev/null'), { path: '/dev/null', type: 'c', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 });
  assert.ok(!devices.some((d) => d.path.startsWith('/dev/pts/') || d.path === '/dev/console'));
  assert.deepEqual(splitDeviceNumber(0x10300), { major: 259, minor: 0 });
});

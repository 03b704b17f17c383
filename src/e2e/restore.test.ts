// berthd killed with SIGKILL while a container runs: the container keeps running and berthd picks it up again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBusyboxDaemon, ok, eventually } from './harness.js';
import { cgroupMounts } from '../runtime/monitor-cgroup.js';

const daemon = useBusyboxDaemon();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a running container survives kill -9 of berthd: logs, exec, stop and rm work after restart', async () => {
  const d = daemon();
  const id = ok(await d.docker(['run', '-d', '--name', 'survivor', 'busybox', 'sh', '-c',
    'trap "exit 0" TERM; i=0; while true; do echo line$i; i=$((i+1)); sleep 0.1; done']));
  await sleep(500);
  const pid = ok(await d.docker(['inspect', '-f', '{{.State.Pid}}', id]));
  await d.kill9();
  await sleep(500);
  assert.equal((await d.nsenter(['kill', '-0', pid])).code, 0, 'the container process is still alive');
  await d.start();
  assert.equal(ok(await d.docker(['inspect', '-f', '{{.State.Status}} {{.State.Pid}}', id])), `running ${pid}`);
  const logs = ok(await d.docker(['logs', id])).split('\n');
  assert.equal(logs[0], 'line0');
  assert.ok(logs.length >= 8, 'lines written while berthd was down are in the log');
  logs.forEach((l, i) => assert.equal(l, `line${i}`));
  assert.equal(ok(await d.docker(['exec', id, 'echo', 'still here'])), 'still here');
  ok(await d.docker(['stop', id]));
  assert.equal(ok(await d.docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', id])), 'exited 0');
  ok(await d.docker(['rm', id]));
});

const hasCgroup2 = (await cgroupMounts()).some((m) => m.version === 2);

test('berthd stopped with its whole cgroup, as a service manager does: containers and their monitors live on', { skip: !hasCgroup2 && 'no cgroup2 hierarchy to track berthd in' }, async () => {
  const d = daemon();
  const id = ok(await d.docker(['run', '-d', 'busybox', 'sh', '-c', 'trap "exit 3" TERM; i=0; while true; do echo tick$i; i=$((i+1)); sleep 0.1; done']));
  const pid = ok(await d.docker(['inspect', '-f', '{{.State.Pid}}', id]));
  await d.killGroup();
  await sleep(500);
  await d.start();
  assert.equal(ok(await d.docker(['inspect', '-f', '{{.State.Status}} {{.State.Pid}}', id])), `running ${pid}`);
  const logs = ok(await d.docker(['logs', id])).split('\n');
  assert.ok(logs.length >= 5, 'conmon kept logging while berthd was gone');
  assert.equal(ok(await d.docker(['exec', id, 'echo', 'still here'])), 'still here');
  ok(await d.docker(['stop', id]));
  assert.equal(ok(await d.docker(['inspect', '-f', '{{.State.ExitCode}}', id])), '3', 'conmon recorded the exit');
  ok(await d.docker(['rm', id]));
});

test('a container that exits while berthd is down is seen as exited with its code; stale runtime state is released', async () => {
  const d = daemon();
  const id = ok(await d.docker(['run', '-d', 'busybox', 'sh', '-c', 'sleep 1; exit 4']));
  await d.kill9();
  // What a berthd killed in the middle of releasing a removed container leaves: runtime state nothing refers to.
  const stale = 'f'.repeat(64);
  ok(await d.nsenter(['sh', '-c', `mkdir -p ${d.root}/exec/conmon/${stale} && echo 0 > ${d.root}/exec/exits/${stale}`]));
  await sleep(1500);
  await d.start();
  assert.equal(ok(await d.docker(['wait', id])), '4');
  assert.equal(ok(await d.docker(['inspect', '-f', '{{.State.Status}}', id])), 'exited');
  assert.equal(ok(await d.nsenter(['sh', '-c', `ls -A ${d.root}/exec/conmon ${d.root}/exec/exits`])).includes(stale), false);
  ok(await d.docker(['rm', id]));
});

test('nothing is left once containers are removed: mounts, processes, exec-root files, cgroups', async () => {
  const d = daemon();
  const ids = [
    ok(await d.docker(['run', '-d', 'busybox', 'sleep', '1000'])),
    ok(await d.docker(['run', '-d', '-t', '-i', 'busybox', 'sh'])),
    ok(await d.docker(['create', 'busybox', 'true'])),
  ];
  ok(await d.docker(['exec', ids[0], 'true']));
  ok(await d.docker(['rm', '-f', ...ids]));
  // The netns directory itself stays a (shared) mount point, like /run/netns; a pinned namespace in it would not.
  const netnsDir = `${d.root}/exec/netns`;
  // Runtime state and network namespaces are released in the background once a container is gone.
  await eventually(async () => {
    const mounts = (await d.nsenter(['cat', '/proc/self/mountinfo'])).stdout.split('\n').filter((l) => l.includes(d.root) && l.split(' ')[4] !== netnsDir);
    assert.deepEqual(mounts, [], `no mount under the daemon's roots remains`);
    const left = (await d.nsenter(['sh', '-c', `ls -A ${d.root}/exec/containers ${d.root}/exec/conmon ${d.root}/exec/oci 2>/dev/null; ls -A /sys/fs/cgroup/memory/berth 2>/dev/null | grep -E '^[0-9a-f]{64}$' || true`])).stdout.trim();
    for (const id of ids) assert.ok(!left.includes(id), `nothing of ${id} remains: ${left}`);
    const procs = (await d.nsenter(['sh', '-c', 'ps -eo args | grep -E "conmon|sleep 1000" | grep -v grep || true'])).stdout;
    for (const id of ids) assert.ok(!procs.includes(id), `no process of ${id} remains`);
  });
});

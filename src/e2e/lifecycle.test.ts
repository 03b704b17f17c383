// Container lifecycle through berthd: detached runs, stop/kill/restart, logs, exec, wait, rename, top, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBusyboxDaemon, ok } from './harness.js';

const daemon = useBusyboxDaemon();


test('stop delivers SIGTERM and the container exits on it', async () => {
  const d = daemon();
  ok(await d.docker(['run', '-d', '--name', 'term', 'busybox', 'sh', '-c',
    'trap "echo got-term; exit 0" TERM; echo ready; while true; do sleep 0.1; done']));
  for (let i = 0; i < 50 && !ok(await d.docker(['logs', 'term'])).includes('ready'); i++) await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  ok(await d.docker(['stop', 'term']));
  assert.ok(Date.now() - t0 < 5000, 'stopped well before the 10 s timeout');
  assert.equal(ok(await d.docker(['logs', 'term'])), 'ready\ngot-term');
  assert.equal(ok(await d.docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'term'])), 'exited 0');
  ok(await d.docker(['rm', 'term']));
});

test('kill sends any signal; wait reports the exit code', async () => {
  const d = daemon();
  // PID 1 ignores signals it has no handler for, so the container traps the one it is sent.
  const id = ok(await d.docker(['run', '-d', 'busybox', 'sh', '-c', 'trap "exit 42" USR1; echo ready; while true; do sleep 0.1; done']));
  for (let i = 0; i < 50 && !ok(await d.docker(['logs', id])).includes('ready'); i++) await new Promise((r) => setTimeout(r, 100));
  ok(await d.docker(['kill', '-s', 'USR1', id]));
  assert.equal(ok(await d.docker(['wait', id])), '42');
  const again = await d.docker(['kill', id]);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /is not running/);
  ok(await d.docker(['rm', id]));
});

test('logs: stdout/stderr split, tail, timestamps, follow', async () => {
  const d = daemon();
  ok(await d.docker(['run', '--name', 'logs', 'busybox', 'sh', '-c', 'for i in 1 2 3 4; do echo out$i; echo err$i >&2; done']));
  const split = await d.docker(['logs', 'logs']);
  assert.equal(split.stdout, 'out1\nout2\nout3\nout4\n');
  assert.equal(split.stderr, 'err1\nerr2\nerr3\nerr4\n');
  ok(await d.docker(['run', '--name', 'tail', 'busybox', 'sh', '-c', 'for i in 1 2 3 4; do echo line$i; done']));
  assert.equal((await d.docker(['logs', '--tail', '2', 'tail'])).stdout, 'line3\nline4\n');
  const ts = await d.docker(['logs', '-t', '--tail', '1', 'tail']);
  assert.match(ts.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line4\n$/);
  ok(await d.docker(['rm', 'tail']));
  ok(await d.docker(['rm', 'logs']));
  ok(await d.docker(['run', '-d', '--name', 'follow', 'busybox', 'sh', '-c', 'echo a; sleep 0.5; echo b']));
  const f = await d.docker(['logs', '-f', 'follow']);
  assert.equal(f.stdout, 'a\nb\n');
  ok(await d.docker(['rm', 'follow']));
});

test('exec runs in the container, with stdin, tty, env and exit codes', async () => {
  const d = daemon();
  ok(await d.docker(['run', '-d', '--name', 'ex', 'busybox', 'sleep', '1000']));
  assert.equal(ok(await d.docker(['exec', 'ex', 'cat', '/etc/hostname'])), ok(await d.docker(['inspect', '-f', '{{.Config.Hostname}}', 'ex'])));
  assert.equal((await d.docker(['exec', 'ex', 'sh', '-c', 'exit 7'])).code, 7);
  assert.equal(ok(await d.docker(['exec', '-i', 'ex', 'cat'], { input: 'piped' })), 'piped');
  assert.equal(ok(await d.docker(['exec', '-e', 'X=1', '-u', 'nobody', '-w', '/tmp', 'ex', 'sh', '-c', 'echo $X $(id -un) $(pwd)'])), '1 nobody /tmp');
  assert.match(ok(await d.docker(['exec', '-t', 'ex', 'sh', '-c', 'test -t 1 && echo tty'])), /^tty/);
  const top = ok(await d.docker(['top', 'ex']));
  assert.match(top, /PID/);
  assert.match(top, /sleep 1000/);
  ok(await d.docker(['rm', '-f', 'ex']));
});

test('names are unique; rename; wrong-state operations answer like docker', async () => {
  const d = daemon();
  ok(await d.docker(['create', '--name', 'n1', 'busybox', 'sleep', '1000']));
  const dup = await d.docker(['create', '--name', 'n1', 'busybox', 'true']);
  assert.notEqual(dup.code, 0);
  assert.match(dup.stderr, /Conflict. The container name "\/n1" is already in use/);
  ok(await d.docker(['rename', 'n1', 'n2']));
  ok(await d.docker(['start', 'n2']));
  const rm = await d.docker(['rm', 'n2']);
  assert.notEqual(rm.code, 0);
  assert.match(rm.stderr, /container is running: stop the container before removing or force remove/);
  assert.equal(ok(await d.docker(['ps', '--filter', 'name=n2', '--format', '{{.Names}} {{.Status}}'])).split(' ')[0], 'n2');
  ok(await d.docker(['restart', '-t', '1', 'n2']));
  assert.equal(ok(await d.docker(['inspect', '-f', '{{.State.Running}}', 'n2'])), 'true');
  ok(await d.docker(['rm', '-f', 'n2']));
  const gone = await d.docker(['inspect', 'n2']);
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /No such (object|container): n2/);
});

test('save, rmi and load round trip an image', async () => {
  const d = daemon();
  ok(await d.docker(['tag', 'busybox', 'copy:1']));
  const archive = `${d.root}/copy.tar`;
  ok(await d.docker(['save', '-o', archive, 'copy:1']));
  const id = ok(await d.docker(['inspect', '-f', '{{.Id}}', 'copy:1']));
  const untag = ok(await d.docker(['rmi', 'copy:1']));
  assert.match(untag, /Untagged: copy:1/);
  assert.equal((await d.docker(['inspect', 'copy:1'])).code, 1);
  assert.match(ok(await d.docker(['load', '-i', archive])), /Loaded image: copy:1/);
  assert.equal(ok(await d.docker(['inspect', '-f', '{{.Id}}', 'copy:1'])), id);
  const used = ok(await d.docker(['create', 'copy:1', 'true']));
  const refused = await d.docker(['rmi', 'copy:1']);
  assert.equal(refused.code, 0, 'another tag (busybox) keeps the image: rmi only untags');
  ok(await d.docker(['rm', used]));
});

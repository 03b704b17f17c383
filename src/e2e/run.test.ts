// docker run through berthd: the process, its stdio, its identity and its exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBusyboxDaemon } from './harness.js';

const daemon = useBusyboxDaemon();

test('output and exit codes propagate', async () => {
  const d = daemon();
  const hello = await d.docker(['run', '--rm', 'busybox', 'echo', 'hello']);
  assert.equal(hello.code, 0, hello.stderr);
  assert.equal(hello.stdout, 'hello\n');
  const three = await d.docker(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(three.code, 3);
  assert.equal(three.stdout, 'out\n');
  assert.equal(three.stderr, 'err\n');
});

test('stdin piped with -i reaches the process and its end closes it', async () => {
  const d = daemon();
  const r = await d.docker(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'wc -c; cat'], { input: 'abcdef' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '6');
});

test('-t gives the process a terminal', async () => {
  const d = daemon();
  const r = await d.docker(['run', '--rm', '-t', 'busybox', 'sh', '-c', 'test -t 1 && echo tty; stty size']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^tty\r\n/);
});

test('-u, -w, -e and --hostname shape the process', async () => {
  const d = daemon();
  const r = await d.docker(['run', '--rm', '-u', '65534:65534', '-w', '/tmp/work', '-e', 'FOO=bar', '--hostname', 'h1',
    'busybox', 'sh', '-c', 'id -u; id -g; pwd; echo $FOO; hostname; cat /etc/hostname']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['65534', '65534', '/tmp/work', 'bar', 'h1', 'h1']);
  const named = await d.docker(['run', '--rm', '-u', 'nobody', 'busybox', 'id', '-un']);
  assert.equal(named.stdout.trim(), 'nobody');
  const unknown = await d.docker(['run', '--rm', '-u', 'nosuchuser', 'busybox', 'true']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /unable to find user nosuchuser/);
});

test('the command is PID 1 in its own namespaces', async () => {
  const d = daemon();
  const r = await d.docker(['run', '--rm', 'busybox', 'sh', '-c', 'echo $$; ls /proc | grep -c "^[0-9]"; cat /proc/1/cmdline | tr "\\0" " "']);
  assert.equal(r.code, 0, r.stderr);
  const [pid, count, cmd] = r.stdout.trim().split('\n');
  assert.equal(pid, '1');
  assert.ok(Number(count) <= 3, `only the container's processes are visible, saw ${count}`);
  assert.match(cmd, /^sh -c /);
});

test('a command that does not exist fails like docker: 127', async () => {
  const d = daemon();
  const r = await d.docker(['run', '--rm', 'busybox', '/nonexistent']);
  assert.equal(r.code, 127, r.stderr);
  assert.match(r.stderr, /no such file or directory|not found/i);
});

test('unknown image is a 404 with docker\'s message', async () => {
  const d = daemon();
  const r = await d.docker(['create', '--pull', 'never', 'nosuchimage:1']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /No such image: nosuchimage:1/);
});

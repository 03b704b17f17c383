// Containers outlive the process that started them: a child process creates and starts them through the runtime,
// attaches, and is SIGKILLed; a new runtime object on the same exec root then takes over every operation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../util/logger.js';
import { createConmonRuntime } from './conmon-runtime.js';
import { collect, leftoverCgroups, listTree, makeTestBed, waitForOutput, type TestBed } from './busybox-fixture.js';
import type { CreateOptions } from './types.js';

const runtimeModule = fileURLToPath(new URL('./conmon-runtime.js', import.meta.url));

// Runs in the child: create, attach (a client that will die with the process), start, report, wait to be killed.
const childScript = `
import { createConmonRuntime } from ${JSON.stringify(runtimeModule)};
const { execRoot, containers } = JSON.parse(process.argv[1]);
const logger = { debug() {}, info() {}, warn() {}, error() {} };
const rt = createConmonRuntime({ execRoot, logger });
for (const opts of containers) {
  await rt.create(opts);
  const a = await rt.attach(opts.id);
  a.output.resume();
  await rt.start(opts.id);
}
process.stdout.write('ready\\n');
setInterval(() => {}, 60_000);
`;

let bed: TestBed;
before(async () => {
  bed = await makeTestBed();
});
after(async () => {
  const rt = createConmonRuntime({ execRoot: bed.execRoot, logger: silentLogger });
  for (const id of ['tty', 'victim']) await rt.delete(id, true).catch(() => undefined);
  await bed.cleanup();
});

test('a new runtime object takes over containers after the old process was SIGKILLed', async () => {
  const ttyScript = 'while [ "$(stty size)" != "20 70" ]; do sleep 0.02; done; echo resized; read x; echo got:$x; exit 7';
  const options = async (id: string, args: string[], terminal: boolean): Promise<CreateOptions> => ({
    id, bundle: await bed.bundle(id), spec: await bed.spec(id, args, { terminal }), logPath: bed.logPath(id), logSizeMax: 1 << 20,
    terminal, stdin: terminal, stdinOnce: false,
  });
  const containers = [await options('tty', ['sh', '-c', ttyScript], true), await options('victim', ['sleep', '1000'], false)];

  const child = spawn(process.execPath, ['--input-type=module', '-e', childScript, JSON.stringify({ execRoot: bed.execRoot, containers })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [firstOutput] = (await once(child.stdout, 'data')) as [Buffer];
  assert.equal(firstOutput.toString(), 'ready\n');
  child.kill('SIGKILL');
  await once(child, 'exit');

  const rt = createConmonRuntime({ execRoot: bed.execRoot, logger: silentLogger });
  for (const id of ['tty', 'victim']) {
    assert.equal(await rt.monitorAlive(id), true);
    assert.equal((await rt.state(id))?.status, 'running');
  }

  const session = await rt.exec('tty', {
    execId: 'probe', process: { user: { uid: 0, gid: 0 }, args: ['echo', 'exec-ok'], env: ['PATH=/bin'], cwd: '/' }, terminal: false, stdin: false,
  });
  assert.deepEqual(await collect(session.attachment), { stdout: 'exec-ok\n', stderr: '' });
  assert.equal((await session.exited).exitCode, 0);

  const a = await rt.attach('tty');
  const output = collect(a);
  await rt.resize('tty', 20, 70);
  await waitForOutput(a, 'resized');
  a.stdin!.write('after\n');
  assert.equal((await rt.waitExit('tty')).exitCode, 7);
  assert.match((await output).stdout, /got:after\r\n/);

  await rt.kill('victim', 'SIGKILL');
  assert.equal((await rt.waitExit('victim')).exitCode, 137);

  for (const id of ['tty', 'victim']) {
    await rt.delete(id);
    assert.equal(await rt.state(id), undefined);
    assert.deepEqual(await leftoverCgroups(bed.cgroupsPath(id)), []);
  }
  assert.deepEqual(await listTree(bed.execRoot), ['conmon', 'exits', 'oci']);
});

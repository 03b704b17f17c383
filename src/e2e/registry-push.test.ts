// docker push and docker commit through berthd: layers land in Debian's docker-registry (seen by skopeo), and a
// change made in a container survives commit → push → rmi → pull.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ok, runCommand } from './harness.js';
import { useRegistryFixture } from './registry-fixtures.js';

const user = { username: 'carol', password: 'push-pass-9' };
const fixture = useRegistryFixture({
  images: (busybox) => ({ base: { layers: [busybox, { files: { 'etc/base': 'base\n' } }], cmd: ['sh'] } }),
  privateUser: user,
});
const inspectRawPrivate = (ref: string) => fixture().inspectRaw(ref, `${user.username}:${user.password}`);

interface RawManifest {
  config: { digest: string };
  layers: { mediaType: string; digest: string; size: number }[];
}

test('docker push: the registry holds the manifest and every layer, compressed', async () => {
  const { d, reg, built, inspectRaw } = fixture();
  const base = `${reg.host}/test/base:1`;
  ok(await d.docker(['pull', base]));
  const ref = `${reg.host}/pushed/copy:v2`;
  ok(await d.docker(['tag', base, ref]));
  const out = ok(await d.docker(['push', ref]));
  assert.match(out, new RegExp(`The push refers to repository \\[${reg.host}/pushed/copy\\]`));
  const digest = /v2: digest: (sha256:[a-f0-9]{64}) size: \d+/.exec(out)?.[1];
  assert.ok(digest, out);
  const raw = await inspectRaw(ref);
  const manifest = JSON.parse(raw) as RawManifest;
  assert.equal(manifest.config.digest, built.base.images[0].config.digest);
  assert.deepEqual(manifest.layers.map((l) => l.digest), built.base.images[0].layers.map((l) => l.digest));
  // Layers pulled from this registry were mounted or found, not uploaded again.
  assert.match(out, /Mounted from test\/base|Layer already exists/);
});

test('docker commit of a stopped and of a running container, pushed, removed and pulled back', async () => {
  const { d, reg, inspectRaw } = fixture();
  const base = `${reg.host}/test/base:1`;
  ok(await d.docker(['pull', base]));
  ok(await d.docker(['run', '--name', 'changer', base, 'sh', '-c', 'echo committed > /etc/marker; rm /etc/base']));
  const ref = `${reg.host}/committed/img:1`;
  const id = ok(await d.docker(['commit', '-m', 'a change', '-a', 'tester', '-c', 'CMD ["cat", "/etc/marker"]', '-c', 'ENV STAGE=two', 'changer', ref]));
  assert.match(id, /^sha256:[a-f0-9]{64}$/);
  const inspected = JSON.parse(ok(await d.docker(['image', 'inspect', ref])))[0];
  assert.equal(inspected.Id, id);
  assert.equal(inspected.Comment, 'a change');
  assert.equal(inspected.Author, 'tester');
  assert.deepEqual(inspected.Config.Cmd, ['cat', '/etc/marker']);
  assert.ok(inspected.Config.Env.includes('STAGE=two'));
  assert.equal(inspected.RootFS.Layers.length, 3);
  assert.match(ok(await d.docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}|{{.Comment}}', ref])).split('\n')[0], /^sh -c echo committed.*\|a change$/);

  const pushed = ok(await d.docker(['push', ref]));
  assert.match(pushed, /1: digest: sha256:/);
  const manifest = JSON.parse(await inspectRaw(ref)) as RawManifest;
  assert.equal(manifest.layers.length, 3);
  assert.match(manifest.layers[2].mediaType, /gzip/);

  ok(await d.docker(['rm', 'changer']));
  ok(await d.docker(['rmi', ref]));
  assert.notEqual((await d.docker(['image', 'inspect', ref])).code, 0);
  ok(await d.docker(['pull', ref]));
  assert.equal(ok(await d.docker(['run', '--rm', ref])), 'committed');
  assert.equal(ok(await d.docker(['run', '--rm', ref, 'sh', '-c', 'test -e /etc/base && echo kept || echo removed; echo $STAGE'])), 'removed\ntwo');

  ok(await d.docker(['run', '-d', '--name', 'live', base, 'sh', '-c', 'echo alive > /live; exec sleep 1000']));
  for (let i = 0; i < 100 && (await d.docker(['exec', 'live', 'test', '-e', '/live'])).code !== 0; i++) await new Promise((r) => setTimeout(r, 50));
  const liveId = ok(await d.docker(['commit', 'live']));
  assert.equal(ok(await d.docker(['run', '--rm', liveId, 'cat', '/live'])), 'alive');
  ok(await d.docker(['rm', '-f', 'live']));

  const events = ok(await d.docker(['events', '--since', '0', '--until', String(Math.ceil(Date.now() / 1000)), '--format', '{{.Type}} {{.Action}} {{.Actor.ID}}']));
  assert.match(events, new RegExp(`^image push ${reg.host}/committed/img:1$`, 'm'));
  assert.match(events, /^container commit [a-f0-9]{64}$/m);
});

test('docker push of a missing image is an error; a private registry wants docker login first', async () => {
  const { d, dir, reg, privateReg } = fixture();
  const missing = await d.docker(['push', `${reg.host}/nothing/here:1`]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /No such image: .*nothing\/here:1/);

  const env = { DOCKER_CONFIG: path.join(dir, 'docker-config') };
  const ref = `${privateReg!.host}/mine/base:1`;
  ok(await d.docker(['pull', `${reg.host}/test/base:1`]));
  ok(await d.docker(['tag', `${reg.host}/test/base:1`, ref]));
  const anonymous = await d.docker(['push', ref], { env });
  assert.notEqual(anonymous.code, 0);
  assert.match(anonymous.stderr, /push access denied|authentication required|unauthorized/i);
  ok(await d.docker(['login', '-u', user.username, '--password-stdin', privateReg!.host], { env, input: user.password }));
  assert.match(ok(await d.docker(['push', ref], { env })), /1: digest: sha256:/);
  const manifest = JSON.parse(await inspectRawPrivate(ref)) as RawManifest;
  assert.equal(manifest.layers.length, 2);
});

const berthMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

test('the berth CLI: login, pull with progress (bars on a terminal), commit, push, run pulling a missing image, logout', async () => {
  const { d, dir, reg, privateReg } = fixture();
  const env = { ...process.env, BERTH_CONFIG: path.join(dir, 'berth-config') };
  const berth = (args: string[], input?: string) => runCommand(process.execPath, [berthMain, '-H', d.host, ...args], { env, input });
  const ref = `${privateReg!.host}/secret/base:1`;
  ok(await d.docker(['pull', `${reg.host}/test/base:1`]));
  ok(await d.docker(['tag', `${reg.host}/test/base:1`, ref]));

  const denied = await berth(['push', ref]);
  assert.notEqual(denied.code, 0);
  const wrong = await berth(['login', '-u', user.username, '--password-stdin', privateReg!.host], 'nope');
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /Error response from daemon: login attempt to .* 401 Unauthorized/);
  assert.equal(ok(await berth(['login', '-u', user.username, '--password-stdin', privateReg!.host], `${user.password}\n`)), 'Login Succeeded');
  assert.match(ok(await berth(['push', ref])), /1: digest: sha256:[a-f0-9]{64} size: \d+/);

  ok(await d.docker(['rmi', ref]));
  const pulled = ok(await berth(['pull', ref]));
  assert.match(pulled, /1: Pulling from secret\/base/);
  assert.match(pulled, new RegExp(`Status: Downloaded newer image for ${ref}\n${ref}$`));
  assert.equal(ok(await berth(['pull', '-q', ref])), ref);

  ok(await d.docker(['run', '--name', 'edited', ref, 'sh', '-c', 'echo berth > /etc/by-berth']));
  const id = ok(await berth(['commit', '-m', 'via berth', '-c', 'CMD ["cat", "/etc/by-berth"]', 'edited', `${privateReg!.host}/secret/edited:2`]));
  assert.match(id, /^sha256:[a-f0-9]{64}$/);
  assert.match(ok(await berth(['push', `${privateReg!.host}/secret/edited:2`])), /2: digest: sha256:/);
  ok(await d.docker(['rm', 'edited']));
  ok(await d.docker(['rmi', `${privateReg!.host}/secret/edited:2`]));
  // On a terminal the layer lines are redrawn in place with cursor movements.
  const tty = await runCommand('script', ['-qec', `${process.execPath} ${berthMain} -H ${d.host} pull ${privateReg!.host}/secret/edited:2`, '/dev/null'], { env });
  assert.equal(tty.code, 0, tty.stdout);
  assert.match(tty.stdout, /\x1b\[\d+A\x1b\[2K\r[0-9a-f]{12}: Already exists/);
  assert.match(tty.stdout, /\x1b\[\d+A\x1b\[2K\r[0-9a-f]{12}: Pull complete/);
  // Contents surviving the round trip are shown by the docker CLI test above; here the image is what was pushed.
  assert.equal(ok(await d.docker(['image', 'inspect', '-f', '{{.Id}} {{json .Config.Cmd}}', `${privateReg!.host}/secret/edited:2`])), `${id} ["cat","/etc/by-berth"]`);

  // berth run pulls a missing image first (progress on stderr, as docker does), unless --pull never.
  ok(await d.docker(['rmi', `${privateReg!.host}/secret/edited:2`]));
  const never = await berth(['run', '--rm', '--pull', 'never', `${privateReg!.host}/secret/edited:2`]);
  assert.equal(never.code, 125);
  assert.match(never.stderr, /No such image/);
  const run = await berth(['run', '--rm', `${privateReg!.host}/secret/edited:2`]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'berth\n');
  assert.match(run.stderr, new RegExp(`Unable to find image '${privateReg!.host}/secret/edited:2' locally`));
  assert.match(run.stderr, /Pull complete/);

  assert.equal(ok(await berth(['logout', privateReg!.host])), `Removing login credentials for ${privateReg!.host}`);
  const after = await berth(['pull', ref]);
  assert.notEqual(after.code, 0);
  assert.match(after.stderr, /pull access denied/);
});

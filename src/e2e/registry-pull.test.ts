// docker pull (and docker run of a missing image) through berthd from Debian's docker-registry: tags, digests,
// whiteouts, multi-arch indexes, zstd, private registries with docker login, tampered and hostile content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { skopeoPush, writeOciLayout, zstdAvailable } from '../registry/testing/oci-layout.js';
import { ok } from './harness.js';
import { useRegistryFixture } from './registry-fixtures.js';

const user = { username: 'alice', password: 'wonder-land-42' };

const fixture = useRegistryFixture({
  images: (busybox) => ({
    app: {
      layers: [
        busybox,
        { files: { 'etc/keep': 'kept\n', 'etc/gone': 'deleted later\n', 'data/a': 'a\n', 'data/b': 'b\n' } },
        // A whiteout of etc/gone and an opaque data/ holding only c.
        { entries: [{ name: 'etc/.wh.gone', type: 'file' }, { name: 'data/', type: 'directory' }, { name: 'data/.wh..wh..opq', type: 'file' }], files: { 'data/c': 'c\n' } },
      ],
      cmd: ['cat', '/etc/keep'],
    },
    multi: [
      { layers: [busybox, { files: { 'etc/arch': 'amd64\n' } }], platform: { os: 'linux', architecture: 'amd64' } },
      { layers: [busybox, { files: { 'etc/arch': 'arm64\n' } }], platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ],
    ...(zstdAvailable() ? { zstd: { layers: [busybox, { files: { 'etc/zstd': 'from zstd\n' }, compression: 'zstd' as const }] } } : {}),
    tamper: { layers: [busybox, { files: { 'etc/tampered': 'original content\n' } }] },
    // busybox's layer again, stored uncompressed: the same diffID under another blob digest.
    plainbase: { layers: [{ ...busybox, compression: 'none' as const }, { files: { 'etc/plain': 'plain base\n' } }] },
  }),
  privateUser: user,
  privateTags: ['app'],
});

test('docker run of a missing image pulls it; docker pull again is up to date; pull by digest', async () => {
  const { d, reg, built } = fixture();
  const ref = `${reg.host}/test/app:1`;
  const run = await d.docker(['run', '--rm', ref]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'kept\n');
  assert.match(run.stderr, new RegExp(`Unable to find image '${ref}' locally`));
  assert.match(run.stderr, /Pull complete/);
  const again = ok(await d.docker(['pull', ref]));
  assert.match(again, new RegExp(`Status: Image is up to date for ${ref}`));
  assert.match(again, new RegExp(`Digest: ${built.app.top.digest}`));

  const byDigest = `${reg.host}/test/app@${built.app.top.digest}`;
  ok(await d.docker(['pull', byDigest]));
  assert.equal(ok(await d.docker(['image', 'inspect', '-f', '{{.Id}}', byDigest])), built.app.images[0].config.digest);
  assert.match(ok(await d.docker(['images', '--digests', '--format', '{{.Repository}} {{.Digest}}'])), new RegExp(`test/app ${built.app.top.digest}`));
});

test('whiteouts and opaque directories of upper layers hide lower files in a running container', async () => {
  const { d, reg } = fixture();
  const out = ok(await d.docker(['run', '--rm', `${reg.host}/test/app:1`, 'sh', '-c', 'ls /data; test -e /etc/gone && echo present || echo absent']));
  assert.deepEqual(out.split('\n'), ['c', 'absent']);
});

test('a multi-arch index gives the host platform; --platform picks another', async () => {
  const { d, reg, built } = fixture();
  const ref = `${reg.host}/test/multi:1`;
  assert.equal(ok(await d.docker(['run', '--rm', ref, 'cat', '/etc/arch'])), 'amd64');
  ok(await d.docker(['pull', '--platform', 'linux/arm64', ref]));
  assert.equal(ok(await d.docker(['image', 'inspect', '-f', '{{.Architecture}}', ref])), 'arm64');
  assert.equal(ok(await d.docker(['image', 'inspect', '-f', '{{.Id}}', ref])), built.multi.images[1].config.digest);
});

test('zstd layers', { skip: !zstdAvailable() && 'zstd is not installed' }, async () => {
  const { d, reg } = fixture();
  assert.equal(ok(await d.docker(['run', '--rm', `${reg.host}/test/zstd:1`, 'cat', '/etc/zstd'])), 'from zstd');
});

test('a layer already here (by diffID) under another blob is not downloaded again', async () => {
  const { d, reg, built } = fixture();
  ok(await d.docker(['pull', `${reg.host}/test/app:1`]));
  const ref = `${reg.host}/test/plainbase:1`;
  const image = built.plainbase.images[0];
  const out = ok(await d.docker(['pull', ref]));
  assert.match(out, new RegExp(`${image.layers[0].digest.slice(7, 19)}: Already exists`));
  assert.match(out, new RegExp(`${image.layers[1].digest.slice(7, 19)}: Pull complete`));
  assert.equal(ok(await d.docker(['image', 'inspect', '-f', '{{.Id}}', ref])), image.config.digest);
  assert.equal(ok(await d.docker(['run', '--rm', ref, 'cat', '/etc/plain'])), 'plain base');
  // Pulled again, it is the same image, up to date.
  assert.match(ok(await d.docker(['pull', ref])), /Image is up to date/);
});

test('a missing image or repository is an error from the daemon', async () => {
  const { d, reg } = fixture();
  const tag = await d.docker(['pull', `${reg.host}/test/app:nosuchtag`]);
  assert.notEqual(tag.code, 0);
  assert.match(tag.stderr, /Error response from daemon: manifest for .*test\/app:nosuchtag not found: manifest unknown/);
  const repo = await d.docker(['run', '--rm', `${reg.host}/nosuch/repo:1`]);
  assert.notEqual(repo.code, 0);
  assert.match(repo.stderr, /nosuch\/repo:1 not found/);
});

test('a private registry refuses anonymous pulls and accepts them after docker login', async () => {
  const { d, dir, privateReg } = fixture();
  const env = { DOCKER_CONFIG: path.join(dir, 'docker-config') };
  const ref = `${privateReg!.host}/secret/app:1`;
  const anonymous = await d.docker(['pull', ref], { env });
  assert.notEqual(anonymous.code, 0);
  assert.match(anonymous.stderr, /pull access denied for .*secret\/app, repository does not exist or may require 'docker login'/);
  const wrong = await d.docker(['login', '-u', user.username, '--password-stdin', privateReg!.host], { env, input: 'not-the-password\n' });
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /401 Unauthorized/);
  const login = await d.docker(['login', '-u', user.username, '--password-stdin', privateReg!.host], { env, input: `${user.password}\n` });
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /Login Succeeded/);
  assert.ok(JSON.parse(await readFile(path.join(env.DOCKER_CONFIG, 'config.json'), 'utf8')).auths[privateReg!.host]);
  assert.equal(ok(await d.docker(['run', '--rm', ref], { env })), 'kept');
});

test('a tampered blob is refused and no image is left', async () => {
  const { d, reg, built } = fixture();
  const layer = built.tamper.images[0].layers[1];
  const file = reg.blobFile(layer.digest);
  const original = await readFile(file);
  const forged = Buffer.from(original);
  forged[forged.length - 10] ^= 0xff;
  await writeFile(file, forged);
  const ref = `${reg.host}/test/tamper:1`;
  const r = await d.docker(['pull', ref]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /digest mismatch|verification failed/i);
  assert.notEqual((await d.docker(['image', 'inspect', ref])).code, 0);
  assert.equal(ok(await d.docker(['images', '-q', '--filter', `reference=${reg.host}/test/tamper`])), '');
});

test('hostile layers (.. paths, symlink and hard link escapes) are refused; nothing is written outside', async () => {
  const { d, dir, reg } = fixture();
  const outside = path.join(dir, 'outside');
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(outside, 'target'), 'host file\n');
  const climb = `${'../'.repeat(12)}${outside.slice(1)}`;
  const layout = path.join(dir, 'hostile');
  await writeOciLayout(layout, {
    dotdot: { layers: [{ entries: [{ name: `${climb}/dotdot`, type: 'file', data: 'pwned' }] }] },
    symlink: { layers: [{ entries: [{ name: 'escape', type: 'symlink', linkname: outside }] }, { entries: [{ name: 'escape/symlink', type: 'file', data: 'pwned' }] }] },
    samelayer: { layers: [{ entries: [{ name: 'up', type: 'symlink', linkname: climb }, { name: 'up/samelayer', type: 'file', data: 'pwned' }] }] },
    hardlink: { layers: [{ entries: [{ name: 'hl', type: 'link', linkname: `${climb}/target` }] }] },
  });
  for (const tag of ['dotdot', 'symlink', 'samelayer', 'hardlink']) await skopeoPush(layout, tag, `${reg.host}/evil/${tag}:1`, undefined, d.wrap);
  for (const tag of ['dotdot', 'symlink', 'samelayer', 'hardlink']) {
    const r = await d.docker(['pull', `${reg.host}/evil/${tag}:1`]);
    assert.notEqual(r.code, 0, `${tag} was pulled`);
    assert.match(r.stderr, /refusing layer/, tag);
    assert.notEqual((await d.docker(['image', 'inspect', `${reg.host}/evil/${tag}:1`])).code, 0);
  }
  assert.deepEqual((await readdir(outside)).sort(), ['target']);
  assert.equal(await readFile(path.join(outside, 'target'), 'utf8'), 'host file\n');
});

test('pulls are events', async () => {
  const { d, reg } = fixture();
  const out = ok(await d.docker(['events', '--since', '0', '--until', String(Math.ceil(Date.now() / 1000)), '--filter', 'type=image', '--format', '{{.Action}} {{.Actor.ID}}']));
  assert.match(out, new RegExp(`^pull ${reg.host}/test/app:1$`, 'm'));
});

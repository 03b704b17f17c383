import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isBerthError } from '../errors.js';
import { mountAll, unmountAll } from '../snapshot/mount.js';
import { busyboxRootfs, run, tarOf, withEnv } from './test-fixtures.js';

const changes = ['CMD ["sh", "-c", "echo hi"]', 'ENV A=1 B="two words"', 'EXPOSE 8080', 'LABEL app=demo', 'WORKDIR /srv', 'USER 1000'];

test('import makes a one-layer image that inspects by name, id and short id, lists, and runs from a rootfs', () =>
  withEnv(async ({ dir, service, events }) => {
    const info = await service.importRootfs(tarOf(await busyboxRootfs(dir), true), { ref: 'demo/app:1', message: 'from test', changes });
    assert.match(info.id, /^sha256:[a-f0-9]{64}$/);
    assert.deepEqual(info.repoTags, ['demo/app:1']);
    assert.deepEqual(info.config.Cmd, ['sh', '-c', 'echo hi']);
    assert.deepEqual(info.config.Env, ['A=1', 'B=two words']);
    assert.deepEqual(info.config.ExposedPorts, { '8080/tcp': {} });
    assert.equal(info.config.WorkingDir, '/srv');
    assert.equal(info.config.User, '1000');
    assert.deepEqual(info.labels, { app: 'demo' });
    assert.equal(info.comment, 'from test');
    assert.equal(info.rootfs.diff_ids.length, 1);
    assert.ok(info.size > 500_000, `size ${info.size}`);
    for (const ref of ['demo/app:1', 'docker.io/demo/app:1', info.id, info.id.slice(7), info.id.slice(7, 19)]) {
      assert.equal((await service.inspect(ref)).id, info.id, ref);
    }
    await assert.rejects(service.inspect('demo/app:2'), (e) => isBerthError(e, 'not_found') && e.message === 'No such image: demo/app:2');
    await assert.rejects(service.importRootfs(tarOf(dir), { changes: ['RUN rm -rf /'] }), /RUN is not a valid change command/);

    const history = await service.history('demo/app:1');
    assert.equal(history.length, 1);
    assert.equal(history[0].id, info.id);
    assert.deepEqual(history[0].tags, ['demo/app:1']);
    assert.equal(history[0].size, info.size);
    assert.equal(history[0].comment, 'from test');

    const resolved = await service.resolve('demo/app:1');
    assert.equal(resolved.chainIds.length, 1);
    assert.equal(resolved.config.rootfs.diff_ids[0], resolved.chainIds[0]);

    const mnt = path.join(dir, 'mnt');
    await mkdir(mnt);
    const mounts = await service.prepareRootfs(info.id, 'ctr-1', { owner: 'test' });
    mountAll(mounts, mnt);
    try {
      assert.equal(await run('chroot', [mnt, '/bin/sh', '-c', 'echo hello > /etc/greeting; cat /etc/hostname /etc/greeting']), 'berth\nhello\n');
    } finally {
      unmountAll(mnt);
    }
    await service.removeRootfs('ctr-1');
    await service.removeRootfs('ctr-1');
    assert.deepEqual(events, ['import demo/app:1']);
  }));

test('list filters: dangling, label, reference, before, since', () =>
  withEnv(async ({ dir, service }) => {
    const rootfs = await busyboxRootfs(dir);
    const a = await service.importRootfs(tarOf(rootfs), { ref: 'one:latest', changes: ['LABEL tier=db'] });
    await new Promise((r) => setTimeout(r, 1100));
    const b = await service.importRootfs(tarOf(rootfs), { ref: 'registry.local:5000/two:v2', changes: ['LABEL tier=web'] });
    await new Promise((r) => setTimeout(r, 1100));
    const c = await service.importRootfs(tarOf(rootfs), { changes: ['LABEL x=1'] });
    const ids = async (filters: Record<string, string[]>) => (await service.list({ all: false, filters })).map((i) => i.id);
    assert.deepEqual(await ids({}), [c.id, b.id, a.id]);
    assert.deepEqual(await ids({ dangling: ['true'] }), [c.id]);
    assert.deepEqual(await ids({ dangling: ['false'] }), [b.id, a.id]);
    assert.deepEqual(await ids({ label: ['tier'] }), [b.id, a.id]);
    assert.deepEqual(await ids({ label: ['tier=web'] }), [b.id]);
    assert.deepEqual(await ids({ reference: ['one'] }), [a.id]);
    assert.deepEqual(await ids({ reference: ['*/two:v*'] }), [b.id]);
    assert.deepEqual(await ids({ reference: ['two'] }), []);
    assert.deepEqual(await ids({ reference: ['registry.local:5000/*'] }), [b.id]);
    assert.deepEqual(await ids({ before: ['registry.local:5000/two:v2'] }), [a.id]);
    assert.deepEqual(await ids({ since: ['one'] }), [c.id, b.id]);
    await assert.rejects(ids({ bogus: ['1'] }), (e) => isBerthError(e, 'invalid_argument'));
    await assert.rejects(ids({ since: ['nope'] }), (e) => isBerthError(e, 'not_found'));
  }));

test('rmi follows Docker: untag, refuse ambiguous ids and images in use, then collect layers and blobs', () =>
  withEnv(async ({ dir, service, content, snapshotter, inUse, events }) => {
    const img = await service.importRootfs(tarOf(await busyboxRootfs(dir)), { ref: 'base:1', changes: [] });
    await service.tag('base:1', 'base:2');
    await service.tag(img.id.slice(7, 15), 'other/repo');
    assert.deepEqual((await service.inspect('base:1')).repoTags, ['base:1', 'base:2', 'other/repo:latest']);
    await assert.rejects(
      service.remove(img.id, { force: false, noPrune: false }),
      (e) => isBerthError(e, 'conflict') && e.message === `conflict: unable to delete ${img.id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`,
    );
    assert.deepEqual(await service.remove('base:2', { force: false, noPrune: false }), [{ untagged: 'base:2' }]);
    assert.deepEqual(await service.remove('other/repo', { force: false, noPrune: false }), [{ untagged: 'other/repo:latest' }]);

    inUse.by = 'c0ffee'.repeat(10) + 'abcd';
    await assert.rejects(
      service.remove('base:1', { force: false, noPrune: false }),
      (e) => isBerthError(e, 'conflict') && e.message === `conflict: unable to remove repository reference "base:1" (must force) - container c0ffeec0ffee is using its referenced image ${img.id.slice(7, 19)}`,
    );
    await assert.rejects(service.remove(img.id, { force: false, noPrune: false }), /image is being used by stopped container c0ffeec0ffee/);
    // A container's rootfs sits on the layer: force removes the image but the layer stays until the rootfs goes.
    await service.prepareRootfs(img.id, 'ctr', {});
    const res = await service.remove('base:1', { force: true, noPrune: false });
    assert.deepEqual(res, [{ untagged: 'base:1' }, { deleted: img.id }]);
    assert.deepEqual(await content.list(), []);
    const keys: string[] = [];
    await snapshotter.walk((i) => void keys.push(i.key));
    assert.deepEqual(keys.sort(), [img.rootfs.diff_ids[0], 'ctr'].sort());
    await service.removeRootfs('ctr');
    keys.length = 0;
    await snapshotter.walk((i) => void keys.push(i.key));
    assert.deepEqual(keys, []);
    await assert.rejects(service.inspect(img.id), (e) => isBerthError(e, 'not_found'));
    assert.ok(events.includes('untag base:2') && events.includes(`delete ${img.id}`));
  }));

test('images sharing a layer share its snapshot; deleting one keeps what the other needs', () =>
  withEnv(async ({ dir, service, snapshotter, content }) => {
    const rootfs = await busyboxRootfs(dir);
    const a = await service.importRootfs(tarOf(rootfs), { ref: 'a', changes: ['CMD ["a"]'] });
    const b = await service.importRootfs(tarOf(rootfs), { ref: 'b', changes: ['CMD ["b"]'] });
    assert.notEqual(a.id, b.id);
    assert.deepEqual(a.rootfs, b.rootfs);
    const keys: string[] = [];
    await snapshotter.walk((i) => void keys.push(i.key));
    assert.deepEqual(keys, [a.rootfs.diff_ids[0]]);
    const res = await service.remove('a', { force: false, noPrune: false });
    assert.deepEqual(res, [{ untagged: 'a:latest' }, { deleted: a.id }]);
    assert.ok(await snapshotter.stat(a.rootfs.diff_ids[0]));
    assert.ok(await content.info(a.rootfs.diff_ids[0]));
    assert.equal(await content.info(a.id), undefined);
    assert.deepEqual(await service.remove('b', { force: false, noPrune: false }), [
      { untagged: 'b:latest' },
      { deleted: b.id },
      { deleted: b.rootfs.diff_ids[0] },
    ]);
    assert.deepEqual(await content.list(), []);
  }));

test('a layer whose content does not match its diffID is refused and leaves no image', () =>
  withEnv(async ({ dir, service }) => {
    const bad = path.join(dir, 'bad');
    await mkdir(bad);
    await writeFile(path.join(bad, 'f'), 'x');
    // A docker-archive whose config claims another diffID than its layer has.
    const archive = path.join(dir, 'archive');
    await mkdir(archive);
    await run('tar', ['-cf', path.join(archive, 'layer.tar'), '-C', bad, '.']);
    const config = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] } };
    await writeFile(path.join(archive, 'config.json'), JSON.stringify(config));
    await writeFile(path.join(archive, 'manifest.json'), JSON.stringify([{ Config: 'config.json', RepoTags: ['bad:1'], Layers: ['layer.tar'] }]));
    await assert.rejects(service.load(tarOf(archive)), /diffID/);
    assert.deepEqual(await service.list({ all: false, filters: {} }), []);
  }));

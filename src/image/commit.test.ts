import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mountAll, unmountAll } from '../snapshot/mount.js';
import { busyboxRootfs, tarOf, withEnv, type TestEnv } from './test-fixtures.js';

/** Runs fn on the container snapshot key of image, mounted. */
async function inRootfs(env: TestEnv, imageId: string, key: string, fn: (root: string) => Promise<void>): Promise<void> {
  const mnt = path.join(env.dir, `mnt-${key}`);
  await mkdir(mnt, { recursive: true });
  mountAll(await env.service.prepareRootfs(imageId, key), mnt);
  try {
    await fn(mnt);
  } finally {
    unmountAll(mnt);
  }
}

test('commit: the parent image plus a layer of the container changes (deletions too), a config and history', () =>
  withEnv(async (env) => {
    const { dir, service } = env;
    const base = await service.importRootfs(tarOf(await busyboxRootfs(dir)), { ref: 'base:1', changes: ['CMD ["sh"]'] });
    await inRootfs(env, base.id, 'ctr', async (root) => {
      await writeFile(path.join(root, 'etc', 'new'), 'made in the container\n');
      await rm(path.join(root, 'etc', 'hostname'));
    });
    const made = await service.commit({
      parent: base.id,
      snapshotKey: 'ctr',
      config: { Cmd: ['cat', '/etc/new'], Env: ['A=1'] },
      createdBy: 'sh -c edit',
      ref: 'made:2',
      comment: 'edited',
      author: 'me',
    });
    assert.deepEqual(made.repoTags, ['made:2']);
    assert.equal(made.parent, base.id);
    assert.equal(made.comment, 'edited');
    assert.equal(made.author, 'me');
    assert.deepEqual(made.config, { Cmd: ['cat', '/etc/new'], Env: ['A=1'] });
    assert.deepEqual(made.rootfs.diff_ids.slice(0, 1), base.rootfs.diff_ids);
    assert.equal(made.rootfs.diff_ids.length, 2);
    const history = await service.history('made:2');
    assert.deepEqual(history.map((h) => [h.createdBy, h.comment]), [['sh -c edit', 'edited'], ['', 'Imported from -']]);
    await inRootfs(env, made.id, 'check', async (root) => {
      assert.equal(await readFile(path.join(root, 'etc', 'new'), 'utf8'), 'made in the container\n');
      await assert.rejects(readFile(path.join(root, 'etc', 'hostname')), { code: 'ENOENT' });
    });

    // Nothing changed: no layer, an empty_layer history entry.
    await inRootfs(env, base.id, 'idle', async () => undefined);
    const same = await service.commit({ parent: base.id, snapshotKey: 'idle', config: {}, createdBy: 'true' });
    assert.deepEqual(same.rootfs.diff_ids, base.rootfs.diff_ids);
    assert.deepEqual(same.repoTags, []);
    assert.equal((await service.history(same.id)).length, 2);
    await assert.rejects(service.commit({ parent: `sha256:${'0'.repeat(64)}`, snapshotKey: 'idle', config: {}, createdBy: '' }), /No such image/);
    for (const key of ['ctr', 'check', 'idle']) await service.removeRootfs(key);
  }));

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOverlaySnapshotter } from './overlay.js';
import { mountAll, unmountAll } from './mount.js';
import { isBerthError } from '../errors.js';
import type { SnapshotInfo } from './types.js';

async function withRoot(fn: (root: string, mnt: string) => Promise<void>, longName = false): Promise<void> {
  const base = await mkdtemp(path.join(tmpdir(), 'berth-snap-'));
  const root = longName ? path.join(base, 'x'.repeat(120)) : path.join(base, 'root');
  const mnt = path.join(base, 'mnt');
  await mkdir(mnt, { recursive: true });
  try {
    await fn(root, mnt);
  } finally {
    unmountAll(mnt);
    await rm(base, { recursive: true, force: true });
  }
}

test('prepare without parent is a writable bind mount; commit, then a child is an overlay', () =>
  withRoot(async (root, mnt) => {
    const sn = createOverlaySnapshotter(root);
    const base = await sn.prepare('base-tmp', undefined, { labels: { a: '1' } });
    assert.equal(base.length, 1);
    assert.equal(base[0].type, 'bind');
    assert.deepEqual(base[0].options, ['rbind', 'rw']);
    mountAll(base, mnt);
    await writeFile(path.join(mnt, 'hello'), 'base');
    await mkdir(path.join(mnt, 'dir'));
    unmountAll(mnt);
    assert.equal(await readFile(path.join(await sn.upperDir('base-tmp'), 'hello'), 'utf8'), 'base');
    await sn.commit('base', 'base-tmp', { labels: { b: '2' } });
    await assert.rejects(sn.stat('base-tmp'), (e) => isBerthError(e, 'not_found'));
    const st = await sn.stat('base');
    assert.equal(st.kind, 'committed');
    assert.deepEqual(st.labels, { a: '1', b: '2' });
    assert.deepEqual(await sn.usage('base'), { size: 4, inodes: 3 });

    const child = await sn.prepare('c1', 'base');
    assert.equal(child[0].type, 'overlay');
    const upper = await sn.upperDir('c1');
    assert.deepEqual(await sn.lowerDirs('c1'), [await sn.upperDir('base')]);
    assert.ok(child[0].options.includes(`upperdir=${upper}`));
    mountAll(child, mnt);
    assert.equal(await readFile(path.join(mnt, 'hello'), 'utf8'), 'base');
    await writeFile(path.join(mnt, 'dir', 'new'), 'child');
    unmountAll(mnt);
    assert.equal(await readFile(path.join(upper, 'dir', 'new'), 'utf8'), 'child');
    await assert.rejects(readFile(path.join(await sn.upperDir('base'), 'dir', 'new')));

    const view = await sn.view('v', 'base');
    assert.deepEqual(view[0].options, ['rbind', 'ro']);
    mountAll(view, mnt);
    await assert.rejects(writeFile(path.join(mnt, 'x'), 'no'), /EROFS/);
    unmountAll(mnt);
    await assert.rejects(sn.prepare('c1', 'base'), (e) => isBerthError(e, 'conflict'));
    await assert.rejects(sn.prepare('c2', 'c1'), (e) => isBerthError(e, 'invalid_argument'));
    await assert.rejects(sn.remove('base'), (e) => isBerthError(e, 'conflict'));
  }));

test('metadata survives a restart, walk lists all, remove deletes directories, orphans are cleaned', () =>
  withRoot(async (root) => {
    const sn = createOverlaySnapshotter(root);
    await sn.prepare('a-tmp');
    await sn.commit('a', 'a-tmp');
    await sn.prepare('b', 'a');
    await sn.update('b', { k: 'v' });
    await sn.close();
    await mkdir(path.join(root, 'snapshots', 'new-99', 'fs'), { recursive: true });

    const again = createOverlaySnapshotter(root);
    const seen: SnapshotInfo[] = [];
    await again.walk((i) => {
      seen.push(i);
    });
    assert.deepEqual(seen.map((i) => [i.key, i.kind, i.parent]).sort(), [['a', 'committed', undefined], ['b', 'active', 'a']]);
    assert.deepEqual((await again.stat('b')).labels, { k: 'v' });
    assert.deepEqual((await readdir(path.join(root, 'snapshots'))).sort(), ['1', '2']);
    await again.remove('b');
    await again.remove('a');
    await again.close(); // directories are deleted in the background: close waits for that
    assert.deepEqual(await readdir(path.join(root, 'snapshots')), []);
    // ids are not reused after a restart
    const third = createOverlaySnapshotter(root);
    await third.prepare('c');
    assert.match((await third.upperDir('c')), /snapshots\/3\/fs$/);
  }));

test('a chain too long for one page of mount options still mounts', () =>
  withRoot(async (root, mnt) => {
    const sn = createOverlaySnapshotter(root);
    let parent: string | undefined;
    for (let i = 0; i < 30; i++) {
      await sn.prepare(`tmp${i}`, parent);
      await writeFile(path.join(await sn.upperDir(`tmp${i}`), `f${i}`), String(i));
      await sn.commit(`l${i}`, `tmp${i}`);
      parent = `l${i}`;
    }
    const mounts = await sn.prepare('top', parent);
    assert.ok(mounts[0].options.join(',').length > 4096);
    const cwd = process.cwd();
    mountAll(mounts, mnt);
    assert.equal(process.cwd(), cwd);
    assert.equal((await readdir(mnt)).length, 30);
    assert.equal(await readFile(path.join(mnt, 'f0'), 'utf8'), '0');
  }, true));

test('a snapshot prepared without parent is committed on top of one (rebase); the parent must be committed', () =>
  withRoot(async (root, mnt) => {
    const sn = createOverlaySnapshotter(root);
    // The upper layer is filled first, before its parent even exists.
    await sn.prepare('upper-tmp');
    await writeFile(path.join(await sn.upperDir('upper-tmp'), 'top'), 'upper');
    await sn.prepare('lower-tmp');
    await writeFile(path.join(await sn.upperDir('lower-tmp'), 'bottom'), 'lower');
    await sn.prepare('busy', undefined);
    await assert.rejects(sn.commit('upper', 'upper-tmp', { parent: 'lower-tmp' }), (e) => isBerthError(e, 'invalid_argument'));
    await assert.rejects(sn.commit('upper', 'upper-tmp', { parent: 'missing' }), (e) => isBerthError(e, 'not_found'));
    await sn.commit('lower', 'lower-tmp');
    await sn.commit('upper', 'upper-tmp', { parent: 'lower' });
    assert.equal((await sn.stat('upper')).parent, 'lower');
    assert.deepEqual(await sn.lowerDirs('busy'), []);
    await assert.rejects(sn.remove('lower'), (e) => isBerthError(e, 'conflict'));
    // A snapshot prepared on a parent keeps it.
    await sn.prepare('child-tmp', 'lower');
    await assert.rejects(sn.commit('child', 'child-tmp', { parent: 'upper' }), (e) => isBerthError(e, 'invalid_argument'));
    await sn.commit('child', 'child-tmp', { parent: 'lower' });
    const mounts = await sn.view('v', 'upper');
    mountAll(mounts, mnt);
    try {
      assert.deepEqual((await readdir(mnt)).sort(), ['bottom', 'top']);
    } finally {
      unmountAll(mnt);
    }
    // The rebased parent is in the metadata on disk.
    await sn.close();
    assert.equal((await createOverlaySnapshotter(root).stat('upper')).parent, 'lower');
  }));

test('reads see the last finished change without waiting for one in flight; sync() leaves the state as it is', () =>
  withRoot(async (root) => {
    const s = createOverlaySnapshotter(root);
    await s.prepare('base');
    await s.commit('layer', 'base');
    const preparing = s.prepare('rw', 'layer');
    // Issued after the prepare, answered before it finished: the snapshot is not there yet.
    await assert.rejects(s.stat('rw'), (e) => isBerthError(e, 'not_found'));
    await preparing;
    assert.equal((await s.stat('rw')).parent, 'layer');
    await s.sync();
    await s.sync();
    const again = createOverlaySnapshotter(root);
    assert.deepEqual((await again.stat('rw')).kind, 'active');
    assert.deepEqual((await again.stat('layer')).kind, 'committed');
  }));

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, readFile, readdir, writeFile, symlink, link, chmod } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { applyLayer } from './apply.js';
import { diffLayer } from './diff.js';
import { readTar } from './tar-stream.js';
import { mountAll, unmountAll } from '../snapshot/mount.js';
import { native } from '../util/native.js';
import { buildTar, collect, withTempDir } from './test-helpers.js';

test('whiteouts and opaque directories work through a real overlay mount and survive a diff round trip', () =>
  withTempDir(async (dir) => {
    const [l1, l2, copy, mnt] = ['l1', 'l2', 'copy', 'mnt'].map((n) => path.join(dir, n));
    for (const d of [l1, l2, copy, mnt]) await mkdir(d);
    await applyLayer(l1, Readable.from([await buildTar([
      { name: 'a/file1', type: 'file', data: '1' },
      { name: 'a/file2', type: 'file', data: '2' },
      { name: 'b/x', type: 'file', data: 'x' },
      { name: 'c/keep', type: 'file', data: 'k' },
      { name: 'top', type: 'file', data: 't' },
    ])]));
    await applyLayer(l2, Readable.from([await buildTar([
      { name: 'a/.wh.file1', type: 'file' },
      { name: 'b/', type: 'directory', mode: 0o711 },
      { name: 'b/.wh..wh..opq', type: 'file' },
      { name: 'b/y', type: 'file', data: 'y' },
      { name: '.wh.c', type: 'file' },
      { name: 'top', type: 'file', data: 'T' },
    ])]));
    const wh = await lstat(path.join(l2, 'a/file1'));
    assert.ok(wh.isCharacterDevice() && wh.rdev === 0);
    assert.equal(native.lgetxattr(path.join(l2, 'b'), 'trusted.overlay.opaque')?.toString(), 'y');

    mountAll([{ type: 'overlay', source: 'overlay', options: [`lowerdir=${l2}:${l1}`] }], mnt);
    try {
      assert.deepEqual((await readdir(mnt)).sort(), ['a', 'b', 'top']);
      assert.deepEqual(await readdir(path.join(mnt, 'a')), ['file2']);
      assert.deepEqual(await readdir(path.join(mnt, 'b')), ['y']);
      assert.equal(await readFile(path.join(mnt, 'top'), 'utf8'), 'T');
    } finally {
      unmountAll(mnt);
    }

    const tar = await collect(diffLayer(l2));
    const names: string[] = [];
    for await (const e of readTar(Readable.from([tar]))) names.push(`${e.header.type}:${e.header.name}`);
    assert.deepEqual(names, [
      'directory:a/',
      'file:a/.wh.file1',
      'directory:b/',
      'file:b/.wh..wh..opq',
      'file:b/y',
      'file:.wh.c',
      'file:top',
    ]);
    // The diff applies back to the same tree, and diffing that again gives the same bytes.
    const res = await applyLayer(copy, Readable.from([tar]));
    assert.equal(res.size, 2);
    assert.deepEqual(await collect(diffLayer(copy)), tar);
    assert.equal((await lstat(path.join(copy, 'b'))).mode & 0o777, 0o711);
  }));

test('diff archives hard links once, symlinks, devices, xattrs and long names that GNU tar reads', () =>
  withTempDir(async (dir) => {
    const src = path.join(dir, 'src');
    const long = path.join(src, 'n'.repeat(110), 'm'.repeat(110));
    await mkdir(long, { recursive: true });
    await writeFile(path.join(long, 'file'), 'deep');
    await writeFile(path.join(src, 'orig'), 'data');
    await link(path.join(src, 'orig'), path.join(src, 'z-link'));
    await symlink('/orig', path.join(src, 'sym'));
    native.mknod(path.join(src, 'tty'), 0o020000 | 0o620, 4, 1);
    await chmod(path.join(src, 'tty'), 0o620);
    native.lsetxattr(path.join(src, 'orig'), 'user.bin', Buffer.from([0, 255, 10]));
    const tar = await collect(diffLayer(src));
    const tarFile = path.join(dir, 'out.tar');
    await writeFile(tarFile, tar);
    const listing = execFileSync('tar', ['-tvf', tarFile]).toString();
    assert.match(listing, /z-link link to orig/);
    assert.match(listing, /sym -> \/orig/);
    assert.match(listing, /crw--w---- 0\/0 +4,1 .* tty/);
    assert.ok(listing.includes(`${'n'.repeat(110)}/${'m'.repeat(110)}/file`));
    const copy = path.join(dir, 'copy');
    await mkdir(copy);
    await applyLayer(copy, Readable.from([tar]));
    assert.deepEqual(native.lgetxattr(path.join(copy, 'orig'), 'user.bin'), Buffer.from([0, 255, 10]));
    assert.equal((await lstat(path.join(copy, 'z-link'))).ino, (await lstat(path.join(copy, 'orig'))).ino);
    assert.equal((await lstat(path.join(copy, 'tty'))).rdev, (4 << 8) | 1);
    assert.equal(await readFile(path.join(long.replace(src, copy), 'file'), 'utf8'), 'deep');
  }));

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, symlink, link, chmod, chown, utimes, rm, lstat, readFile, readlink } from 'node:fs/promises';
import { constants as fsc } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { native } from '../util/native.js';
import { copyTree } from './copy-tree.js';
import { directorySize } from './dir-size.js';

test('copyTree preserves owners, modes, times, xattrs, links, fifos and the top directory', async () => {
  const tmp = await mkdtemp(path.join(tmpdir(), 'berth-copy-'));
  try {
    const src = path.join(tmp, 'src');
    const dst = path.join(tmp, 'dst');
    const when = new Date('2019-05-06T07:08:09Z');
    await mkdir(path.join(src, 'sub'), { recursive: true });
    await mkdir(dst);
    await writeFile(path.join(src, 'sub/data'), 'payload');
    await link(path.join(src, 'sub/data'), path.join(src, 'hard'));
    await symlink('sub/data', path.join(src, 'soft'));
    native.mknod(path.join(src, 'pipe'), fsc.S_IFIFO | 0o600, 0, 0);
    native.lsetxattr(path.join(src, 'sub/data'), 'user.origin', Buffer.from('image'));
    await chown(path.join(src, 'sub/data'), 999, 998);
    await chmod(path.join(src, 'sub/data'), 0o2640);
    await chown(src, 70, 71);
    await chmod(src, 0o1770);
    await utimes(path.join(src, 'sub'), when, when);

    await copyTree(src, dst);

    const [top, data, hard, sub, pipe] = await Promise.all(['', 'sub/data', 'hard', 'sub', 'pipe'].map((p) => lstat(path.join(dst, p))));
    assert.deepEqual([top.uid, top.gid, top.mode & 0o7777], [70, 71, 0o1770]);
    assert.deepEqual([data.uid, data.gid, data.mode & 0o7777], [999, 998, 0o2640]);
    assert.equal(data.ino, hard.ino);
    assert.equal(await readFile(path.join(dst, 'hard'), 'utf8'), 'payload');
    assert.equal(await readlink(path.join(dst, 'soft')), 'sub/data');
    assert.equal(sub.mtime.getTime(), when.getTime());
    assert.ok(pipe.isFIFO());
    assert.equal(native.lgetxattr(path.join(dst, 'sub/data'), 'user.origin')?.toString(), 'image');
    // Hard-linked content counts once, symlinks by their length.
    assert.equal(await directorySize(dst), 'payload'.length + 'sub/data'.length);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

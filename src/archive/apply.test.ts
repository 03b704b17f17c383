import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, readlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { applyLayer } from './apply.js';
import { isBerthError } from '../errors.js';
import { native } from '../util/native.js';
import { mountAll, unmountAll } from '../snapshot/mount.js';
import { buildTar, withTempDir, type EntrySpec } from './test-helpers.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

test('applies files, modes, owners, times, links, devices and binary xattrs as root would', () =>
  withTempDir(async (dir) => {
    const binary = Buffer.from([0xff, 0x00, 0x80, 0x41]);
    const tar = await buildTar([
      { name: './', type: 'directory', mode: 0o755 },
      { name: 'bin/', type: 'directory', mode: 0o750, uid: 7, gid: 8, mtime: 1_600_000_000 },
      { name: 'bin/tool', type: 'file', mode: 0o4755, uid: 1234, gid: 99, data: 'elf', xattrs: { 'user.bin': binary } },
      { name: 'bin/alias', type: 'link', linkname: 'bin/tool' },
      { name: 'bin/sh', type: 'symlink', linkname: '/bin/tool', uid: 5, gid: 6 },
      { name: 'dev/null', type: 'char', mode: 0o666, devmajor: 1, devminor: 3 },
      { name: 'dev/loop0', type: 'block', mode: 0o660, devmajor: 7, devminor: 0 },
      { name: 'run/fifo', type: 'fifo', mode: 0o644 },
      { name: '/abs/inside', type: 'file', data: 'absolute names land inside' },
      { name: 'x'.repeat(150) + '/long-' + 'é'.repeat(60), type: 'file', data: 'pax' },
    ]);
    const target = path.join(dir, 'upper');
    await mkdir(target);
    const res = await applyLayer(target, Readable.from([tar]));
    assert.equal(res.diffId, sha(tar));
    assert.equal(res.size, 3 + 26 + 3);
    assert.equal(res.tarSize, tar.length);

    const tool = await lstat(path.join(target, 'bin/tool'));
    assert.equal(tool.mode & 0o7777, 0o4755);
    assert.equal(tool.uid, 1234);
    assert.equal(tool.gid, 99);
    assert.equal(tool.mtimeMs, 1_700_000_000_000);
    assert.equal(tool.nlink, 2);
    assert.equal((await lstat(path.join(target, 'bin/alias'))).ino, tool.ino);
    assert.deepEqual(native.lgetxattr(path.join(target, 'bin/tool'), 'user.bin'), binary);
    const bin = await lstat(path.join(target, 'bin'));
    assert.equal(bin.mode & 0o7777, 0o750);
    assert.equal(bin.mtimeMs, 1_600_000_000_000);
    assert.equal(await readlink(path.join(target, 'bin/sh')), '/bin/tool');
    assert.equal((await lstat(path.join(target, 'bin/sh'))).uid, 5);
    const nul = await lstat(path.join(target, 'dev/null'));
    assert.ok(nul.isCharacterDevice());
    assert.equal(nul.rdev, (1 << 8) | 3);
    assert.ok((await lstat(path.join(target, 'dev/loop0'))).isBlockDevice());
    assert.ok((await lstat(path.join(target, 'run/fifo'))).isFIFO());
    assert.equal(await readFile(path.join(target, 'abs/inside'), 'utf8'), 'absolute names land inside');
    assert.equal(await readFile(path.join(target, 'x'.repeat(150), 'long-' + 'é'.repeat(60)), 'utf8'), 'pax');

    // gzip is detected by its magic bytes; the diffID stays the digest of the plain tar.
    const again = path.join(dir, 'again');
    await mkdir(again);
    assert.deepEqual(await applyLayer(again, Readable.from([gzipSync(tar)])), res);
  }));

test('applies archives written by GNU tar (PAX xattrs, long names)', () =>
  withTempDir(async (dir) => {
    const src = path.join(dir, 'src');
    const deep = path.join(src, 'd'.repeat(120), 'e'.repeat(120));
    await mkdir(deep, { recursive: true });
    await writeFile(path.join(deep, 'f'), 'gnu');
    native.lsetxattr(path.join(deep, 'f'), 'user.k', Buffer.from('v'));
    const tarFile = path.join(dir, 'l.tar');
    for (const format of ['posix', 'gnu']) {
      execFileSync('tar', [`--format=${format}`, '--xattrs', '--xattrs-include=*', '-C', src, '-cf', tarFile, '.']);
      const out = path.join(dir, format);
      await mkdir(out);
      const res = await applyLayer(out, Readable.from([await readFile(tarFile)]));
      assert.equal(res.diffId, sha(await readFile(tarFile)));
      const f = path.join(out, 'd'.repeat(120), 'e'.repeat(120), 'f');
      assert.equal(await readFile(f, 'utf8'), 'gnu');
      if (format === 'posix') assert.equal(native.lgetxattr(f, 'user.k')?.toString(), 'v');
    }
  }));

/** Applies the layers in order, each into its own dir (or all into one) and expects the last to be refused. */
async function expectRefused(layers: EntrySpec[][], message: RegExp, flatten = false): Promise<void> {
  await withTempDir(async (dir) => {
    const host = await hostDir(dir);
    for (const [i, layer] of layers.entries()) {
      const target = flatten ? path.join(dir, 'layers', 'flat') : path.join(dir, 'layers', String(i));
      await mkdir(target, { recursive: true });
      const run = applyLayer(target, Readable.from([await buildTar(layer)]));
      if (i < layers.length - 1) await run;
      else await assert.rejects(run, (e) => isBerthError(e, 'invalid_argument') && message.test(e.message));
    }
    await hostUntouched(dir, host);
  });
}

/** A directory standing for the host, next to the layers: nothing may ever land in it or change it. */
async function hostDir(dir: string): Promise<string> {
  const host = path.join(dir, 'host');
  await mkdir(host);
  await writeFile(path.join(host, 'passwd'), 'root:x:0:0');
  await utimes(host, 1_000_000_000, 1_000_000_000);
  return host;
}

async function hostUntouched(dir: string, host: string): Promise<void> {
  assert.deepEqual((await readdir(host)).sort(), ['passwd']);
  assert.equal(await readFile(path.join(host, 'passwd'), 'utf8'), 'root:x:0:0');
  assert.equal((await lstat(host)).mtimeMs, 1_000_000_000_000);
  assert.deepEqual((await readdir(dir)).sort(), ['host', 'layers']);
}

test('refuses hostile layers and writes nothing outside', async () => {
  await expectRefused([[{ name: '../host/pwned', type: 'file', data: 'x' }]], /path escapes the layer/);
  await expectRefused([[{ name: '/../../host/pwned', type: 'file', data: 'x' }]], /path escapes the layer/);
  await expectRefused([[{ name: 'a/../../host/pwned', type: 'file', data: 'x' }]], /path escapes the layer/);
  await expectRefused([[{ name: '../host/.wh.passwd', type: 'file' }]], /path escapes the layer/);
  // A symlink from an earlier entry must not be followed, whether absolute or relative.
  for (const linkname of ['../../host', '/', '.']) {
    await expectRefused(
      [[{ name: 'esc', type: 'symlink', linkname }, { name: 'esc/host/pwned', type: 'file', data: 'x' }]],
      /parent esc is a symlink/,
    );
  }
  await expectRefused(
    [[{ name: 'esc', type: 'symlink', linkname: '../../host' }, { name: 'esc/.wh.passwd', type: 'file' }]],
    /parent esc is a symlink/,
  );
  // ... nor one from an earlier layer applied into the same dir.
  const earlier = [{ name: 'lib', type: 'directory' as const }, { name: 'lib/esc', type: 'symlink' as const, linkname: '../../../host' }];
  await expectRefused([earlier, [{ name: 'lib/esc/pwned', type: 'file', data: 'x' }]], /parent lib\/esc is a symlink/, true);
  // Hard links may only point inside the layer.
  await expectRefused([[{ name: 'hl', type: 'link', linkname: '../host/passwd' }]], /path escapes the layer/);
  await expectRefused([[{ name: 'hl', type: 'link', linkname: '/etc/passwd' }]], /not in the layer/);
  await expectRefused(
    [[{ name: 'esc', type: 'symlink', linkname: '../../host' }, { name: 'hl', type: 'link', linkname: 'esc/passwd' }]],
    /passes through a non-directory/,
  );
});

test('a directory replaced by a symlink later in the layer gets no times set through it', () =>
  withTempDir(async (dir) => {
    const host = await hostDir(dir);
    const target = path.join(dir, 'layers', '0');
    await mkdir(target, { recursive: true });
    await applyLayer(target, Readable.from([await buildTar([
      { name: 'd/', type: 'directory', mtime: 1_600_000_000 },
      { name: 'd/sub/', type: 'directory', mtime: 1_600_000_000 },
      { name: 'd', type: 'symlink', linkname: '../../host' },
      { name: 'e/', type: 'directory', mtime: 1_600_000_000 },
      { name: 'e/sub/', type: 'directory', mtime: 1_600_000_000 },
      { name: 'e', type: 'symlink', linkname: '../../host' },
      { name: 'e/', type: 'directory', mtime: 1_500_000_000 },
    ])]));
    assert.equal(await readlink(path.join(target, 'd')), '../../host');
    assert.equal((await lstat(path.join(target, 'e'))).mtimeMs, 1_500_000_000_000);
    await hostUntouched(dir, host);
  }));

test('layers extract on their own, in any order: a symlink in a lower layer steers nothing', () =>
  withTempDir(async (dir) => {
    const host = await hostDir(dir);
    const hostile: EntrySpec[][] = [
      [{ name: 'lib/', type: 'directory' }, { name: 'lib/esc', type: 'symlink', linkname: '../../../host' }, { name: 'up', type: 'symlink', linkname: '/' }],
      [{ name: 'lib/esc/pwned', type: 'file', data: 'x' }, { name: 'up/host/.wh.passwd', type: 'file' }, { name: 'lib/.wh.esc', type: 'file' }],
      [{ name: 'lib/esc/', type: 'directory' }, { name: 'lib/esc/again', type: 'file', data: 'y' }, { name: 'up', type: 'link', linkname: 'lib/esc/again' }],
    ];
    const dirs = hostile.map((_, i) => path.join(dir, 'layers', String(i)));
    for (const d of dirs) await mkdir(d, { recursive: true });
    // The top layers start first and all run at once: none of them can resolve anything against the layers below.
    await Promise.all([...hostile.entries()].reverse().map(async ([i, l]) => applyLayer(dirs[i], Readable.from([await buildTar(l)]))));
    await hostUntouched(dir, host);
    // Layer 1's own tree: lib/esc was whited out after its file, up/ is a directory of its own.
    assert.ok((await lstat(path.join(dirs[1], 'lib/esc'))).isCharacterDevice());
    assert.ok((await lstat(path.join(dirs[1], 'up'))).isDirectory());
    assert.ok((await lstat(path.join(dirs[1], 'up/host/passwd'))).isCharacterDevice());
    // Mounted, each layer's directories stand over the symlinks below: the image sees its own files only.
    const mnt = path.join(dir, 'layers', 'mnt');
    await mkdir(mnt);
    mountAll([{ type: 'overlay', source: 'overlay', options: [`lowerdir=${dirs[1]}:${dirs[0]}`] }], mnt);
    try {
      assert.deepEqual(await readdir(path.join(mnt, 'lib')), []);
      assert.ok((await lstat(path.join(mnt, 'up'))).isDirectory());
      // (a whiteout in a directory that covers nothing below may show as what it is, never as the host's file)
      assert.ok(!(await lstat(path.join(mnt, 'up', 'host', 'passwd')).catch(() => undefined))?.isFile());
    } finally {
      unmountAll(mnt);
    }
    mountAll([{ type: 'overlay', source: 'overlay', options: [`lowerdir=${dirs[2]}:${dirs[1]}:${dirs[0]}`] }], mnt);
    try {
      assert.deepEqual(await readdir(path.join(mnt, 'lib', 'esc')), ['again']);
      assert.equal(await readFile(path.join(mnt, 'up'), 'utf8'), 'y');
    } finally {
      unmountAll(mnt);
    }
    await hostUntouched(dir, host);
  }));

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { applyLayer } from './apply.js';
import { isBerthError } from '../errors.js';
import { native } from '../util/native.js';
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

/** Applies the layers in order (each into its own dir, the earlier ones as lowers) and expects the last to be refused. */
async function expectRefused(layers: EntrySpec[][], message: RegExp, flatten = false): Promise<void> {
  await withTempDir(async (dir) => {
    const host = path.join(dir, 'host');
    await mkdir(host);
    await writeFile(path.join(host, 'passwd'), 'root:x:0:0');
    const dirs: string[] = [];
    for (const [i, layer] of layers.entries()) {
      const target = flatten ? path.join(dir, 'layers', 'flat') : path.join(dir, 'layers', String(i));
      await mkdir(target, { recursive: true });
      const tar = Readable.from([await buildTar(layer)]);
      const run = applyLayer(target, tar, { lowerDirs: flatten ? [] : [...dirs].reverse() });
      if (i < layers.length - 1) await run;
      else await assert.rejects(run, (e) => isBerthError(e, 'invalid_argument') && message.test(e.message));
      dirs.push(target);
    }
    assert.deepEqual((await readdir(host)).sort(), ['passwd']);
    assert.equal(await readFile(path.join(host, 'passwd'), 'utf8'), 'root:x:0:0');
    assert.deepEqual((await readdir(dir)).sort(), ['host', 'layers']);
  });
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
  // ... nor one from an earlier layer, applied as a lower dir or into the same dir.
  const earlier = [{ name: 'lib', type: 'directory' as const }, { name: 'lib/esc', type: 'symlink' as const, linkname: '../../../host' }];
  const later = [{ name: 'lib/esc/pwned', type: 'file' as const, data: 'x' }];
  await expectRefused([earlier, later], /parent lib\/esc is a symlink in a lower layer/);
  await expectRefused([earlier, later], /parent lib\/esc is a symlink/, true);
  // Hard links may only point inside the layer.
  await expectRefused([[{ name: 'hl', type: 'link', linkname: '../host/passwd' }]], /path escapes the layer/);
  await expectRefused([[{ name: 'hl', type: 'link', linkname: '/etc/passwd' }]], /not in the layer/);
  await expectRefused(
    [[{ name: 'esc', type: 'symlink', linkname: '../../host' }, { name: 'hl', type: 'link', linkname: 'esc/passwd' }]],
    /passes through a non-directory/,
  );
});

test('a whiteout in a lower layer hides a lower symlink, so the path is a fresh directory', () =>
  withTempDir(async (dir) => {
    const [l1, l2, l3] = ['1', '2', '3'].map((n) => path.join(dir, n));
    for (const d of [l1, l2, l3]) await mkdir(d);
    await applyLayer(l1, Readable.from([await buildTar([{ name: 'esc', type: 'symlink', linkname: '/' }])]));
    await applyLayer(l2, Readable.from([await buildTar([{ name: '.wh.esc', type: 'file' }])]), { lowerDirs: [l1] });
    await applyLayer(l3, Readable.from([await buildTar([{ name: 'esc/file', type: 'file', data: 'ok' }])]), { lowerDirs: [l2, l1] });
    assert.equal(await readFile(path.join(l3, 'esc/file'), 'utf8'), 'ok');
  }));

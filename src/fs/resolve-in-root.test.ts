import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, symlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveInRoot, resolveInRootNoFollow, containerPathOf, assertInRoot } from './resolve-in-root.js';
import { isBerthError } from '../errors.js';

let root: string;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'berth-resolve-'));
  await mkdir(path.join(root, 'usr/lib'), { recursive: true });
  await mkdir(path.join(root, 'etc'), { recursive: true });
  await writeFile(path.join(root, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\n');
  await symlink('/', path.join(root, 'rootlink'));
  await symlink('/etc', path.join(root, 'etclink'));
  await symlink('../../../../../../etc', path.join(root, 'usr/lib/climb'));
  await symlink('usr/lib', path.join(root, 'lib'));
  await symlink('loop2', path.join(root, 'loop1'));
  await symlink('loop1', path.join(root, 'loop2'));
  await symlink('self/x', path.join(root, 'self'));
  await symlink('/nonexistent/deeper', path.join(root, 'dangling'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('plain paths stay under the root', async () => {
  assert.equal(await resolveInRoot(root, '/etc/passwd'), path.join(root, 'etc/passwd'));
  assert.equal(await resolveInRoot(root, 'etc/passwd'), path.join(root, 'etc/passwd'));
  assert.equal(await resolveInRoot(root, '/'), root);
  assert.equal(await resolveInRoot(root, ''), root);
});

test('.. never climbs above the root', async () => {
  assert.equal(await resolveInRoot(root, '/../../../etc/passwd'), path.join(root, 'etc/passwd'));
  assert.equal(await resolveInRoot(root, '/usr/../../..'), root);
});

test('absolute symlink targets are resolved against the root', async () => {
  assert.equal(await resolveInRoot(root, '/rootlink'), root);
  assert.equal(await resolveInRoot(root, '/rootlink/etc/passwd'), path.join(root, 'etc/passwd'));
  assert.equal(await resolveInRoot(root, '/etclink/passwd'), path.join(root, 'etc/passwd'));
  assert.equal(await resolveInRoot(root, '/etclink/shadow'), path.join(root, 'etc/shadow'));
});

test('relative symlinks climbing out are clamped at the root', async () => {
  assert.equal(await resolveInRoot(root, '/usr/lib/climb/passwd'), path.join(root, 'etc/passwd'));
  assert.equal(await resolveInRoot(root, '/lib/climb'), path.join(root, 'etc'));
});

test('dangling symlinks resolve to a path under the root that does not exist', async () => {
  assert.equal(await resolveInRoot(root, '/dangling'), path.join(root, 'nonexistent/deeper'));
  assert.equal(await resolveInRoot(root, '/dangling/../x'), path.join(root, 'nonexistent/x'));
});

test('symlink loops fail with invalid_argument instead of spinning', async () => {
  await assert.rejects(resolveInRoot(root, '/loop1'), (e) => isBerthError(e, 'invalid_argument'));
  await assert.rejects(resolveInRoot(root, '/self'), (e) => isBerthError(e, 'invalid_argument'));
});

test('the no-follow variant keeps the last component, unless it ends with / or /.', async () => {
  assert.equal(await resolveInRootNoFollow(root, '/etclink'), path.join(root, 'etclink'));
  assert.equal(await resolveInRootNoFollow(root, '/lib/climb'), path.join(root, 'usr/lib/climb'));
  assert.equal(await resolveInRootNoFollow(root, '/loop1'), path.join(root, 'loop1'));
  assert.equal(await resolveInRootNoFollow(root, '/etclink/'), path.join(root, 'etc'));
  assert.equal(await resolveInRootNoFollow(root, '/etclink/.'), path.join(root, 'etc'));
});

test('containerPathOf and assertInRoot', async () => {
  assert.equal(containerPathOf(root, path.join(root, 'etc/passwd')), '/etc/passwd');
  assert.equal(containerPathOf(root, root), '/');
  assert.throws(() => containerPathOf(root, '/etc'));
  await assertInRoot(root, path.join(root, 'etc'));
  // The host's view of an absolute link leaves the root: the guard notices.
  await assert.rejects(assertInRoot(root, path.join(root, 'etclink')), (e) => isBerthError(e, 'forbidden'));
});

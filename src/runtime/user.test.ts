import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isBerthError } from '../errors.js';
import { resolveUser } from './user.js';

let dir: string;
let rootfs: string;
let escaping: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'berth-user-'));
  rootfs = path.join(dir, 'rootfs');
  await mkdir(path.join(rootfs, 'etc'), { recursive: true });
  await writeFile(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:app:/home/app:/bin/sh\n');
  await writeFile(path.join(rootfs, 'etc/group'), 'root:x:0:\nwheel:x:10:app,other\napp:x:1001:\ndocker:x:999:app\n');
  // A root whose /etc/passwd is a symlink aiming outside it: it must be read inside the root (and not exist there).
  escaping = path.join(dir, 'escaping');
  await mkdir(path.join(escaping, 'etc'), { recursive: true });
  await writeFile(path.join(dir, 'passwd'), 'evil:x:4242:4242::/:/bin/sh\n');
  await symlink('../../passwd', path.join(escaping, 'etc/passwd'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('names and ids resolve against the root filesystem, with supplementary groups', async () => {
  assert.deepEqual(await resolveUser(rootfs, ''), { uid: 0, gid: 0, additionalGids: [0] });
  assert.deepEqual(await resolveUser(rootfs, 'app'), { uid: 1000, gid: 1001, additionalGids: [1001, 10, 999] });
  assert.deepEqual(await resolveUser(rootfs, '1000'), { uid: 1000, gid: 1001, additionalGids: [1001, 10, 999] });
  assert.deepEqual(await resolveUser(rootfs, 'app:wheel'), { uid: 1000, gid: 10, additionalGids: [10] });
  assert.deepEqual(await resolveUser(rootfs, '5000:6000'), { uid: 5000, gid: 6000, additionalGids: [6000] });
});

test('unknown names are refused with Docker\'s message', async () => {
  await assert.rejects(resolveUser(rootfs, 'ghost'), (err: unknown) =>
    isBerthError(err, 'invalid_argument') && err.message === 'unable to find user ghost: no matching entries in passwd file');
  await assert.rejects(resolveUser(rootfs, 'app:ghosts'), (err: unknown) =>
    isBerthError(err, 'invalid_argument') && err.message === 'unable to find group ghosts: no matching entries in group file');
});

test('a symlinked /etc/passwd is never followed out of the root', async () => {
  await assert.rejects(resolveUser(escaping, 'evil'), (err: unknown) => isBerthError(err, 'invalid_argument'));
  assert.deepEqual(await resolveUser(escaping, '4242'), { uid: 4242, gid: 0, additionalGids: [0] });
});

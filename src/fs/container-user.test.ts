import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, symlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lookupUser } from './container-user.js';
import { isBerthError } from '../errors.js';

let root: string;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'berth-user-'));
  await mkdir(path.join(root, 'cfg'));
  await writeFile(path.join(root, 'cfg/passwd'), 'root:x:0:0:root:/root:/bin/sh\n# comment\nweb:x:33:33::/var/www:/bin/sh\n');
  await writeFile(path.join(root, 'cfg/group'), 'root:x:0:\nwww:x:33:\nadm:x:4:web,other\nstaff:x:50:web\n');
  // /etc is a symlink to / in this image: lookups must stay in the root.
  await symlink('/cfg', path.join(root, 'etc'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('names, ids and groups from the container files', async () => {
  assert.deepEqual(await lookupUser(root, ''), { uid: 0, gid: 0, additionalGids: [], home: '/root' });
  assert.deepEqual(await lookupUser(root, 'web'), { uid: 33, gid: 33, additionalGids: [4, 50], home: '/var/www' });
  assert.deepEqual(await lookupUser(root, '33'), { uid: 33, gid: 33, additionalGids: [4, 50], home: '/var/www' });
  assert.deepEqual(await lookupUser(root, 'web:staff'), { uid: 33, gid: 50, additionalGids: [], home: '/var/www' });
  assert.deepEqual(await lookupUser(root, '1000:1001'), { uid: 1000, gid: 1001, additionalGids: [], home: '/' });
});

test('unknown names are refused with runc messages', async () => {
  await assert.rejects(lookupUser(root, 'nobody'), (e) =>
    isBerthError(e, 'invalid_argument') && e.message === 'unable to find user nobody: no matching entries in passwd file');
  await assert.rejects(lookupUser(root, 'web:nogroup'), (e) =>
    isBerthError(e, 'invalid_argument') && e.message === 'unable to find group nogroup: no matching entries in group file');
});

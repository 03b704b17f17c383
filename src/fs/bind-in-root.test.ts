import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, readFile, symlink, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buildTar } from '../archive/test-helpers.js';
import { readMountInfo } from './mountinfo.js';
import { bindInRoot } from './bind-in-root.js';
import { archivePath } from './container-archive.js';
import { extractArchive } from './tar-extract.js';

test('volumes bound into a stopped container root are read and written by cp, then unmounted', async () => {
  const tmp = await mkdtemp(path.join(tmpdir(), 'berth-bind-'));
  try {
    const root = path.join(tmp, 'rootfs');
    const vol = path.join(tmp, 'vol');
    const conf = path.join(tmp, 'app.conf');
    await mkdir(path.join(root, 'var'), { recursive: true });
    await mkdir(vol);
    await writeFile(path.join(vol, 'row'), 'data');
    await writeFile(conf, 'setting=1');
    // The image made /var/lib/db a link to /data: the volume lands inside the root, at /data.
    await symlink('/data', path.join(root, 'var/db'));
    const unbind = await bindInRoot(root, [
      { source: vol, destination: '/var/db', readonly: false },
      { source: conf, destination: '/etc/app.conf', readonly: true },
    ]);
    try {
      const mine = (await readMountInfo()).filter((m) => m.mountPoint.startsWith(root + '/')).map((m) => m.mountPoint);
      assert.deepEqual(mine.sort(), [path.join(root, 'data'), path.join(root, 'etc/app.conf')]);
      const entries: string[] = [];
      const t = (await archivePath(root, '/var/db/')).tar;
      for await (const chunk of t) entries.push((chunk as Buffer).toString('latin1'));
      assert.match(entries.join(''), /db\/row/);
      const upload = await buildTar([{ name: 'new', type: 'file', mode: 0o644, data: 'from cp' }]);
      await extractArchive(root, '/var/db', Readable.from([upload]));
      assert.equal(await readFile(path.join(vol, 'new'), 'utf8'), 'from cp');
      await assert.rejects(writeFile(path.join(root, 'etc/app.conf'), 'x'), /EROFS/);
    } finally {
      unbind();
    }
    assert.equal((await readMountInfo()).some((m) => m.mountPoint.startsWith(root + '/')), false);
    assert.deepEqual(await readdir(path.join(root, 'data')), []);
    assert.equal(await readFile(conf, 'utf8'), 'setting=1');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

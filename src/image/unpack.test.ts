import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildTar, type EntrySpec } from '../archive/test-helpers.js';
import { createContentStore } from '../content/local-store.js';
import { sha256 } from '../content/digest.js';
import { isBerthError } from '../errors.js';
import { createOverlaySnapshotter } from '../snapshot/overlay.js';
import { mountAll, unmountAll } from '../snapshot/mount.js';
import { silentLogger } from '../util/logger.js';
import { MediaType } from './types.js';
import { createUnpacker, type UnpackLayer } from './unpack.js';

test('layers extract in parallel and commit bottom-up; a bad layer leaves no snapshot of it or above it', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-unpack-'));
  const content = createContentStore(path.join(dir, 'content'));
  const snapshotter = createOverlaySnapshotter(path.join(dir, 'snapshots'));
  const unpacker = createUnpacker({ content, snapshotter, logger: silentLogger });
  const layer = async (entries: EntrySpec[]): Promise<UnpackLayer> => {
    const tar = await buildTar(entries);
    const gz = gzipSync(tar);
    await content.writeBlob(gz);
    return { blob: { mediaType: MediaType.ociLayer, digest: sha256(gz), size: gz.length }, diffId: sha256(tar) };
  };
  try {
    const base = await layer([{ name: 'etc/', type: 'directory' }, { name: 'etc/os', type: 'file', data: 'base' }, { name: 'lib', type: 'symlink', linkname: '/' }]);
    const mid = await layer([{ name: 'lib/', type: 'directory' }, { name: 'lib/mid', type: 'file', data: 'mid' }, { name: 'etc/.wh.os', type: 'file' }]);
    // Entries under base's symlink without a directory entry of their own: Docker would follow the link.
    const through = await layer([{ name: 'lib/sneaky', type: 'file', data: 'x' }]);
    const hostile = await layer([{ name: '../escape', type: 'file', data: 'x' }]);
    const top = await layer([{ name: 'top', type: 'file', data: 'top' }]);

    const seen: string[] = [];
    const records = await unpacker.unpack([base, mid, top], (p) => seen.push(`${p.kind} ${p.desc.digest === base.blob.digest ? 'base' : p.desc.digest === mid.blob.digest ? 'mid' : 'top'}`));
    assert.deepEqual(seen, ['extracting base', 'extracted base', 'extracting mid', 'extracted mid', 'extracting top', 'extracted top']);
    const [b, m, t] = records;
    assert.equal((await snapshotter.stat(m.chainId)).parent, b.chainId);
    assert.equal((await snapshotter.stat(t.chainId)).parent, m.chainId);
    const mnt = path.join(dir, 'mnt');
    await mkdir(mnt);
    mountAll(await snapshotter.view('v', t.chainId), mnt);
    try {
      // mid's lib/ is a directory entry replacing base's symlink; its whiteout hides base's file.
      assert.equal(await readFile(path.join(mnt, 'lib/mid'), 'utf8'), 'mid');
      await assert.rejects(readFile(path.join(mnt, 'etc/os')));
      assert.equal(await readFile(path.join(mnt, 'top'), 'utf8'), 'top');
    } finally {
      unmountAll(mnt);
    }
    await snapshotter.remove('v');

    // A hostile layer in the middle of another chain: the layer above (extracting at the same time) goes too.
    await assert.rejects(unpacker.unpack([base, hostile, top]), (e) => isBerthError(e, 'invalid_argument') && /path escapes/.test(e.message));
    await assert.rejects(
      unpacker.unpack([base, through, top]),
      (e) => isBerthError(e, 'invalid_argument') && /places entries under lib, which is a symlink in a lower layer/.test(e.message),
    );
    const keys: string[] = [];
    await snapshotter.walk((i) => void keys.push(i.key));
    assert.deepEqual(keys.sort(), [b.chainId, m.chainId, t.chainId].sort());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

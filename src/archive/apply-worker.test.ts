import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { isBerthError } from '../errors.js';
import { applyLayer } from './apply.js';
import { applyLayerInWorker } from './apply-worker.js';
import { buildTar, withTempDir } from './test-helpers.js';

test('a layer applied on a worker thread gives what applyLayer gives; errors keep their code', () =>
  withTempDir(async (dir) => {
    const big = Buffer.alloc(3 << 20, 7);
    const tar = await buildTar([
      { name: 'etc/', type: 'directory', mode: 0o755 },
      { name: 'etc/big', type: 'file', mode: 0o640, uid: 12, data: big },
      { name: 'etc/link', type: 'symlink', linkname: 'big' },
      { name: 'etc/.wh.gone', type: 'file' },
    ]);
    const [inMain, inWorker] = [path.join(dir, 'main'), path.join(dir, 'worker')];
    await mkdir(inMain);
    await mkdir(inWorker);
    const expected = await applyLayer(inMain, Readable.from([gzipSync(tar)]));
    // Chunks that share memory (subarrays of one buffer) are copied, the others moved.
    const gz = gzipSync(tar);
    const got = await applyLayerInWorker(inWorker, Readable.from([gz.subarray(0, 1000), Buffer.from(gz.subarray(1000))]));
    assert.deepEqual(got, expected);
    assert.deepEqual(await readFile(path.join(inWorker, 'etc/big')), big);
    assert.equal((await lstat(path.join(inWorker, 'etc/big'))).uid, 12);
    assert.ok((await lstat(path.join(inWorker, 'etc/gone'))).isCharacterDevice());

    const evil = await buildTar([{ name: '../escape', type: 'file', data: 'x' }]);
    await assert.rejects(applyLayerInWorker(path.join(dir, 'worker'), Readable.from([evil])), (e) => isBerthError(e, 'invalid_argument') && /path escapes/.test(e.message));

    await mkdir(path.join(dir, 'third'));
    const broken = new PassThrough();
    broken.write(tar.subarray(0, 700));
    setImmediate(() => broken.destroy(new Error('the source broke')));
    await assert.rejects(applyLayerInWorker(path.join(dir, 'third'), broken), /the source broke/);

    const never = new PassThrough();
    const ac = new AbortController();
    const pending = applyLayerInWorker(path.join(dir, 'third'), never, { signal: ac.signal });
    ac.abort(new Error('stop'));
    await assert.rejects(pending, /stop/);
  }));

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createContentStore } from './local-store.js';
import { isBerthError } from '../errors.js';

const digestOf = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function withStore(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-content-'));
  try {
    await fn(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

test('a streamed blob is visible only after a verified commit', () =>
  withStore(async (root) => {
    const store = createContentStore(root);
    const data = Buffer.alloc(300_000, 'x');
    const digest = digestOf(data);
    const w = await store.writer('layer-1');
    await pipeline(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), w.stream, { end: false });
    assert.equal(await store.info(digest), undefined);
    const info = await w.commit({ digest, size: data.length });
    assert.deepEqual(info, { digest, size: data.length });
    assert.deepEqual(await store.info(digest), { digest, size: data.length });
    assert.deepEqual(await store.readBlob(digest), data);
    assert.deepEqual(await store.list(), [{ digest, size: data.length }]);
    assert.deepEqual(await readdir(path.join(root, 'ingest')), []);
    const chunks: Buffer[] = [];
    for await (const c of store.createReadStream(digest, { start: 299_990 })) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).length, 10);
  }));

test('a commit with the wrong digest or size fails and leaves nothing', () =>
  withStore(async (root) => {
    const store = createContentStore(root);
    const w = await store.writer('bad');
    w.stream.end(Buffer.from('hello'));
    await assert.rejects(w.commit({ digest: digestOf('other') }), (e) => isBerthError(e, 'invalid_argument'));
    assert.deepEqual(await store.list(), []);
    const w2 = await store.writer('bad');
    w2.stream.end(Buffer.from('hello'));
    await assert.rejects(w2.commit({ size: 4 }), /unexpected commit size 5, expected 4/);
    assert.equal(await store.info(digestOf('hello')), undefined);
  }));

test('an interrupted ingest resumes from its offset', () =>
  withStore(async (root) => {
    const data = Buffer.from('0123456789abcdef');
    const first = await createContentStore(root).writer('resumable');
    first.stream.write(data.subarray(0, 6));
    await new Promise<void>((r) => first.stream.write(Buffer.alloc(0), () => r()));
    // A new store on the same root (as after a restart) picks the partial data up.
    const store = createContentStore(root);
    const again = await store.writer('resumable', { resume: true });
    assert.equal(again.offset, 6);
    again.stream.end(data.subarray(6));
    assert.deepEqual(await again.commit({ digest: digestOf(data) }), { digest: digestOf(data), size: 16 });
    const fresh = await store.writer('other', { resume: true });
    assert.equal(fresh.offset, 0);
    await fresh.abort();
    await first.abort().catch(() => undefined);
  }));

test('writers of one ref are serialized', () =>
  withStore(async (root) => {
    const store = createContentStore(root);
    const a = await store.writer('same');
    let secondStarted = false;
    const b = store.writer('same').then((w) => {
      secondStarted = true;
      return w;
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(secondStarted, false);
    a.stream.end('one');
    await a.commit();
    const w = await b;
    assert.equal(w.offset, 0);
    w.stream.end('two');
    assert.equal((await w.commit()).digest, digestOf('two'));
  }));

test('writeBlob verifies, dedups and delete removes', () =>
  withStore(async (root) => {
    const store = createContentStore(root);
    const d = digestOf('{}');
    assert.deepEqual(await store.writeBlob(Buffer.from('{}'), d), { digest: d, size: 2 });
    assert.deepEqual(await store.writeBlob(Buffer.from('{}')), { digest: d, size: 2 });
    await assert.rejects(store.writeBlob(Buffer.from('[]'), d), (e) => isBerthError(e, 'invalid_argument'));
    assert.equal(store.path(d), path.join(root, 'blobs', 'sha256', d.slice(7)));
    await store.delete(d);
    await assert.rejects(store.readBlob(d), (e) => isBerthError(e, 'not_found'));
    await assert.rejects(store.delete(d), (e) => isBerthError(e, 'not_found'));
    assert.throws(() => store.path('sha256:../../etc/passwd'), (e) => isBerthError(e, 'invalid_argument'));
  }));

test('a follower reads the bytes while they are written and ends only once the commit verified them', () =>
  withStore(async (root) => {
    const store = createContentStore(root);
    const data = Buffer.alloc(3 << 20, 'y');
    data.write('the end', data.length - 7);
    const digest = digestOf(data);
    const w = await store.writer('followed');
    const follower = await w.follow();
    const read: Buffer[] = [];
    let ended = false;
    const reading = (async () => {
      for await (const c of follower) read.push(c as Buffer);
      ended = true;
    })();
    await pipeline(Readable.from([data.subarray(0, 2 << 20)]), w.stream, { end: false });
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(read.length > 0, 'whole chunks are passed on before the write ends');
    await pipeline(Readable.from([data.subarray(2 << 20)]), w.stream, { end: false });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(ended, false, 'all bytes are there, but not verified yet');
    await w.commit({ digest, size: data.length });
    await reading;
    assert.deepEqual(Buffer.concat(read), data);

    // A write that fails verification (or is aborted) fails its followers.
    for (const end of ['mismatch', 'abort'] as const) {
      const bad = await store.writer(`bad-${end}`);
      const f = await bad.follow();
      const drained = (async () => {
        for await (const c of f) void c;
      })();
      drained.catch(() => undefined); // asserted below
      await pipeline(Readable.from([Buffer.from('not what was announced')]), bad.stream, { end: false });
      if (end === 'abort') await bad.abort();
      else await assert.rejects(bad.commit({ digest, size: data.length }), (e) => isBerthError(e, 'invalid_argument'));
      await assert.rejects(drained, /was not committed/);
    }
    assert.deepEqual(await readdir(path.join(root, 'ingest')), []);
  }));

test('a follower is handed the written chunks themselves, the writer waits for it, and what was written before is read from the file', () =>
  withStore(async (root) => {
    // An ingest left behind by a daemon that died is resumed by the next one.
    const head = Buffer.alloc(1 << 20, 'h');
    const before = await createContentStore(root).writer('resumed');
    await new Promise((resolve, reject) => before.stream.write(head, (err) => (err ? reject(err) : resolve(undefined))));
    const w = await createContentStore(root).writer('resumed', { resume: true });
    assert.equal(w.offset, head.length);
    const chunks = Array.from({ length: 24 }, (_, i) => Buffer.alloc(1 << 20, i));
    const follower = await w.follow();
    let written = 0;
    const writing = (async () => {
      for (const c of chunks) {
        if (!w.stream.write(c)) await new Promise((r) => w.stream.once('drain', r));
        written++;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(written < chunks.length, `the writer waits for a follower that does not read (${written} chunks written)`);
    const read: Buffer[] = [];
    const reading = (async () => {
      for await (const c of follower) read.push(c as Buffer);
    })();
    await writing;
    const all = Buffer.concat([head, ...chunks]);
    await w.commit({ digest: digestOf(all), size: all.length });
    await reading;
    assert.deepEqual(Buffer.concat(read), all);
    assert.ok(read.some((c) => chunks.some((x) => x === c)), 'chunks are handed over from memory, not read back');
    await before.abort();
  }));

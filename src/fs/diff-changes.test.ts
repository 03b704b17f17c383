import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm, appendFile, utimes, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { native, MNT_DETACH } from '../util/native.js';
import { diffChanges } from './diff-changes.js';
import { ChangeKind } from './types.js';

const { Modified: C, Added: A, Deleted: D } = ChangeKind;

/** Two image layers, a container's upper dir, and the merged overlay mount to act in as the container would. */
async function withOverlay(fn: (merged: string, upper: string, lowers: string[]) => Promise<void>): Promise<void> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'berth-diff-'));
  const [base, top, upper, work, merged] = ['base', 'top', 'upper', 'work', 'merged'].map((d) => path.join(tmp, d));
  try {
    for (const d of [base, top, upper, work, merged]) await mkdir(d);
    const old = new Date('2020-01-01T00:00:00Z');
    await mkdir(path.join(base, 'etc'));
    await writeFile(path.join(base, 'etc/passwd'), 'root\n');
    await writeFile(path.join(base, 'etc/hosts'), '127.0.0.1\n');
    await mkdir(path.join(base, 'var/cache'), { recursive: true });
    await writeFile(path.join(base, 'var/cache/a'), 'a');
    await writeFile(path.join(base, 'var/cache/b'), 'b');
    await mkdir(path.join(top, 'usr/bin'), { recursive: true });
    await writeFile(path.join(top, 'usr/bin/tool'), '#!');
    for (const p of ['etc', 'var', 'var/cache', 'usr', 'usr/bin']) {
      const layer = p.startsWith('usr') ? top : base;
      await utimes(path.join(layer, p), old, old);
    }
    native.mount('overlay', merged, 'overlay', 0, `lowerdir=${top}:${base},upperdir=${upper},workdir=${work}`);
    try {
      await fn(merged, upper, [top, base]);
    } finally {
      native.umount(merged, MNT_DETACH);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

test('diff of an overlay upper dir: added, modified, deleted, parents recorded once', async () => {
  await withOverlay(async (merged, upper, lowers) => {
    await appendFile(path.join(merged, 'etc/passwd'), 'app\n'); // modify (copy-up of etc keeps its metadata)
    await rm(path.join(merged, 'etc/hosts')); // whiteout
    await writeFile(path.join(merged, 'usr/bin/new'), 'x'); // add
    await mkdir(path.join(merged, 'srv/data'), { recursive: true });
    await writeFile(path.join(merged, 'srv/data/f'), 'y');
    assert.deepEqual(await diffChanges(upper, lowers), [
      { Path: '/etc', Kind: C },
      { Path: '/etc/hosts', Kind: D },
      { Path: '/etc/passwd', Kind: C },
      { Path: '/srv', Kind: A },
      { Path: '/srv/data', Kind: A },
      { Path: '/srv/data/f', Kind: A },
      { Path: '/usr/bin', Kind: C },
      { Path: '/usr/bin/new', Kind: A },
    ]);
  });
});

test('copy-up keeps directory times: only the modified files are reported, metadata-only changes count', async () => {
  await withOverlay(async (merged, upper, lowers) => {
    await appendFile(path.join(merged, 'usr/bin/tool'), 'more');
    await utimes(path.join(merged, 'usr'), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    await chmod(path.join(merged, 'var/cache/a'), 0o600);
    const changes = await diffChanges(upper, lowers);
    assert.deepEqual(changes, [
      { Path: '/usr/bin/tool', Kind: C },
      { Path: '/var/cache/a', Kind: C },
    ]);
  });
});

test('a directory removed and made again is opaque: modified, its old content deleted', async () => {
  await withOverlay(async (merged, upper, lowers) => {
    await rm(path.join(merged, 'var/cache'), { recursive: true });
    await mkdir(path.join(merged, 'var/cache'));
    await writeFile(path.join(merged, 'var/cache/a'), 'new a');
    assert.deepEqual(await diffChanges(upper, lowers), [
      { Path: '/var', Kind: C },
      { Path: '/var/cache', Kind: C },
      { Path: '/var/cache/a', Kind: A },
      { Path: '/var/cache/b', Kind: D },
    ]);
  });
});

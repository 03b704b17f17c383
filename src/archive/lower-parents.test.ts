import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { applyLayer } from './apply.js';
import { assertNoLowerSymlinkParents } from './lower-parents.js';
import { isBerthError } from '../errors.js';
import { buildTar, withTempDir, type EntrySpec } from './test-helpers.js';

/** Extracts each layer into its own directory; returns the directories (bottom first) and implicit dirs. */
async function extract(dir: string, layers: EntrySpec[][]): Promise<{ dirs: string[]; implicit: string[][] }> {
  const dirs: string[] = [];
  const implicit: string[][] = [];
  for (const [i, entries] of layers.entries()) {
    const d = path.join(dir, String(i));
    await mkdir(d);
    dirs.push(d);
    implicit.push((await applyLayer(d, Readable.from([await buildTar(entries)]))).implicitDirs);
  }
  return { dirs, implicit };
}

/** Checks the top layer against the ones below it. */
async function checkTop(layers: EntrySpec[][]): Promise<void> {
  await withTempDir(async (dir) => {
    const { dirs, implicit } = await extract(dir, layers);
    await assertNoLowerSymlinkParents(dirs.at(-1)!, implicit.at(-1)!, dirs.slice(0, -1).reverse());
  });
}

const symlinkBase: EntrySpec[] = [{ name: 'usr/', type: 'directory' }, { name: 'usr/lib/', type: 'directory' }, { name: 'usr/lib/esc', type: 'symlink', linkname: '/' }];
const refused = (e: unknown) => isBerthError(e, 'invalid_argument') && /places entries under usr\/lib\/esc, which is a symlink in a lower layer/.test((e as Error).message);

test('entries placed under a lower layer\'s symlink without a directory entry are refused', async () => {
  await assert.rejects(checkTop([symlinkBase, [{ name: 'usr/lib/esc/etc/passwd', type: 'file', data: 'x' }]]), refused);
  // also two layers down, and for a whiteout placed under it
  await assert.rejects(checkTop([symlinkBase, [{ name: 'other', type: 'file' }], [{ name: 'usr/lib/esc/.wh.etc', type: 'file' }]]), refused);
});

test('what hides the symlink, or replaces it, is fine', async () => {
  // an explicit directory entry replaces the symlink, as Docker would
  await checkTop([symlinkBase, [{ name: 'usr/lib/esc/', type: 'directory' }, { name: 'usr/lib/esc/f', type: 'file' }]]);
  // a middle layer whited it out, or made its parent opaque
  await checkTop([symlinkBase, [{ name: 'usr/lib/.wh.esc', type: 'file' }], [{ name: 'usr/lib/esc/f', type: 'file' }]]);
  await checkTop([symlinkBase, [{ name: 'usr/lib/.wh..wh..opq', type: 'file' }], [{ name: 'usr/lib/esc/f', type: 'file' }]]);
  // the top layer's own opaque parent hides everything below it
  await checkTop([symlinkBase, [{ name: 'usr/lib/', type: 'directory' }, { name: 'usr/lib/.wh..wh..opq', type: 'file' }, { name: 'usr/lib/esc/f', type: 'file' }]]);
  // plain directories below, and the top layer's directory removed again
  await checkTop([symlinkBase, [{ name: 'usr/lib/other/f', type: 'file' }]]);
  await checkTop([symlinkBase, [{ name: 'usr/lib/esc/f', type: 'file' }, { name: 'usr/lib/.wh.esc', type: 'file' }]]);
});

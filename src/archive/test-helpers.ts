// Test-only helpers for building layer tars in memory and temp directories.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tarHeader, writeTar } from './tar-stream.js';
import type { TarHeader } from './tar-header.js';

export type EntrySpec = Partial<TarHeader> & Pick<TarHeader, 'name' | 'type'> & { data?: string | Buffer };

export async function buildTar(specs: EntrySpec[]): Promise<Buffer> {
  const out: Buffer[] = [];
  const entries = specs.map(({ data, ...h }) => {
    const body = data === undefined ? undefined : Buffer.from(data);
    return {
      header: tarHeader({ mtime: 1_700_000_000, ...h, size: body?.length ?? 0 }),
      body: body && (async function* () {
        yield body;
      }),
    };
  });
  for await (const chunk of writeTar(entries)) out.push(chunk);
  return Buffer.concat(out);
}

export async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of stream) out.push(c);
  return Buffer.concat(out);
}

export async function withTempDir(fn: (dir: string) => Promise<void>, prefix = 'berth-test-'): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

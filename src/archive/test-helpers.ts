// Test-only helpers for building layer tars in memory and temp directories.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tarHeader, writeTar } from './tar-stream.js';
import type { TarHeader } from './tar-header.js';

/**
 * A security.capability value (VFS_CAP_REVISION_2, effective; permitted CAP_SETUID and CAP_NET_BIND_SERVICE):
 * binary, its 0x80 is not UTF-8, so only a codec that keeps PAX values as bytes carries it intact.
 */
export const binaryCapability = Buffer.from([0x01, 0, 0, 0x02, 0x80, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

export type EntrySpec = Partial<TarHeader> & Pick<TarHeader, 'name' | 'type'> & { data?: string | Buffer };

/** The tar of specs, as it is written. */
export function streamTar(specs: EntrySpec[]): AsyncGenerator<Buffer> {
  return writeTar(
    specs.map(({ data, ...h }) => {
      const body = data === undefined ? undefined : Buffer.from(data);
      return {
        header: tarHeader({ mtime: 1_700_000_000, ...h, size: body?.length ?? 0 }),
        body: body && (() => [body]),
      };
    }),
  );
}

export const buildTar = (specs: EntrySpec[]): Promise<Buffer> => collect(streamTar(specs));

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

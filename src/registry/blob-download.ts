// A blob download that is checked while it flows and resumes with a Range request when the connection drops.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError, invalidArgument } from '../errors.js';
import type { Digest } from '../content/types.js';
import type { RegistryResponse } from './transport.js';

/** Opens the blob from offset: a 200 (whole blob) or 206 (from offset) response; throws for anything else. */
export type BlobOpener = (offset: number, signal?: AbortSignal) => Promise<RegistryResponse>;

export interface DownloadOptions {
  digest: Digest;
  /** Expected size, -1 when unknown. */
  size: number;
  signal?: AbortSignal;
  /** Resumptions after dropped connections (default 5). */
  maxResumes?: number;
  /** First wait before resuming, doubled each time (default 200 ms). */
  backoffMs?: number;
  /** false: the digest is left to the reader, who checks it anyway (the content store does at commit); the size
   * is still checked. Default true. */
  verify?: boolean;
}

/** Where the body of res starts, or undefined when res is not the answer to a Range request from offset. */
function bodyStart(res: RegistryResponse, offset: number): number | undefined {
  if (res.status === 200) return 0;
  const m = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
  return res.status === 206 && m && Number(m[1]) <= offset ? Number(m[1]) : undefined;
}

/** The size the first response announces, -1 when it does not. */
export function announcedSize(res: RegistryResponse): number {
  const total = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
  if (total) return Number(total[1]);
  const length = res.headers.get('content-length');
  return res.status === 200 && length !== null ? Number(length) : -1;
}

/**
 * The blob's bytes from first (the answer to open(0)). The stream ends only when size and digest (unless
 * opts.verify is false) matched; otherwise it errors with invalid_argument, so that nothing downstream commits
 * wrong content.
 */
export function verifiedBlobStream(first: RegistryResponse, open: BlobOpener, opts: DownloadOptions): Readable {
  const maxResumes = opts.maxResumes ?? 5;
  const backoffMs = opts.backoffMs ?? 200;
  const verificationFailed = () => invalidArgument(`filesystem layer verification failed for digest ${opts.digest}`);

  async function* bytes(): AsyncGenerator<Buffer> {
    const hash = opts.verify === false ? undefined : createHash('sha256');
    let received = 0;
    let res = first;
    for (let resumes = 0; ; ) {
      let position = bodyStart(res, received);
      if (position === undefined) {
        await res.discard();
        throw new BerthError('unavailable', `blob ${opts.digest}: the registry did not resume the download at byte ${received}`);
      }
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          let buf = chunk;
          // A server that ignored the Range request sends from the start again: skip what was already passed on.
          if (position < received) {
            const skip = Math.min(received - position, buf.length);
            position += skip;
            buf = buf.subarray(skip);
            if (!buf.length) continue;
          }
          position += buf.length;
          received += buf.length;
          if (opts.size >= 0 && received > opts.size) throw verificationFailed();
          hash?.update(buf);
          yield buf;
        }
        // A body that ended cleanly but short is resumed like a dropped connection.
        if (opts.size < 0 || received >= opts.size || resumes >= maxResumes) break;
      } catch (err) {
        if (opts.signal?.aborted || err instanceof BerthError || resumes >= maxResumes) throw err;
      }
      await sleep(backoffMs * 2 ** resumes++, undefined, { signal: opts.signal });
      res = await open(received, opts.signal);
    }
    if ((opts.size >= 0 && received !== opts.size) || (hash && `sha256:${hash.digest('hex')}` !== opts.digest)) throw verificationFailed();
  }

  return Readable.from(bytes(), { objectMode: false, highWaterMark: 1 << 20 });
}

// Blob uploads (OCI distribution "push"): POST opens a session, then one monolithic PUT ?digest= when the
// digest is known, or PATCHes (one streaming request, or chunks with Content-Range) and a closing PUT.
import type { Readable } from 'node:stream';
import { createDigester } from '../content/digest.js';
import { BerthError } from '../errors.js';
import type { Digest } from '../content/types.js';
import type { RegistryResponse } from './transport.js';
import type { BlobUpload, UploadOptions } from './types.js';

/** What an upload needs from the repository client. */
export interface UploadSession {
  /** /v2/<path>/blobs/uploads/ on the endpoint. */
  readonly uploadsUrl: URL;
  send(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: URL, init: { headers?: Record<string, string>; body?: Buffer | Readable; signal?: AbortSignal }): Promise<RegistryResponse>;
  /** Turns an unexpected answer into an error (consumes its body). */
  fail(method: string, url: URL, res: RegistryResponse): Promise<BerthError>;
}

const octet = 'application/octet-stream';

function location(res: RegistryResponse, base: URL): URL {
  const loc = res.headers.get('location');
  if (!loc) throw new BerthError('unavailable', `${base.origin}: the registry's upload answer has no Location`);
  return new URL(loc, base);
}

async function expect(s: UploadSession, method: 'POST' | 'PUT' | 'PATCH', url: URL, status: number, init: Parameters<UploadSession['send']>[2]) {
  const res = await s.send(method, url, init);
  if (res.status !== status) throw await s.fail(method, url, res);
  await res.discard();
  return res;
}

/** Opens an upload session; with mount, first asks to mount the blob from another repository (201: mounted). */
export async function startUpload(s: UploadSession, signal?: AbortSignal, mount?: { digest: Digest; from: string }) {
  const url = new URL(s.uploadsUrl);
  if (mount) {
    url.searchParams.set('mount', mount.digest);
    url.searchParams.set('from', mount.from);
  }
  const res = await s.send('POST', url, { headers: { 'content-length': '0' }, body: Buffer.alloc(0), signal });
  if (mount && res.status === 201) {
    await res.discard();
    return { mounted: true as const };
  }
  if (res.status !== 202) throw await s.fail('POST', url, res);
  await res.discard();
  return { mounted: false as const, url: location(res, url) };
}

/** Drops an upload session; failures are ignored (the registry expires sessions anyway). */
export async function cancelUpload(s: UploadSession, url: URL): Promise<void> {
  await s
    .send('DELETE', url, {})
    .then((res) => res.discard())
    .catch(() => undefined);
}

function withDigest(url: URL, digest: Digest): URL {
  const out = new URL(url);
  out.searchParams.set('digest', digest);
  return out;
}

/** Reads stream in pieces of exactly size bytes (the last one shorter). */
async function* pieces(stream: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    let rest = chunk;
    while (length + rest.length >= size) {
      const take = size - length;
      parts.push(rest.subarray(0, take));
      yield Buffer.concat(parts);
      rest = rest.subarray(take);
      parts = [];
      length = 0;
    }
    if (rest.length) {
      parts.push(rest);
      length += rest.length;
    }
  }
  if (length) yield Buffer.concat(parts);
}

export async function uploadBlob(
  s: UploadSession,
  stream: Readable,
  expected: { digest?: Digest; size?: number },
  opts: UploadOptions = {},
): Promise<BlobUpload> {
  const { signal } = opts;
  const digester = createDigester(opts.onProgress);
  stream.on('error', (err) => digester.destroy(err));
  stream.pipe(digester);
  let url = (await startUpload(s, signal)).url!;
  try {
    if (expected.digest && !opts.chunkSize) {
      const headers: Record<string, string> = { 'content-type': octet };
      if (expected.size !== undefined && expected.size >= 0) headers['content-length'] = String(expected.size);
      await expect(s, 'PUT', withDigest(url, expected.digest), 201, { headers, body: digester, signal });
    } else {
      if (opts.chunkSize) {
        let offset = 0;
        for await (const piece of pieces(digester, opts.chunkSize)) {
          const headers = {
            'content-type': octet,
            'content-length': String(piece.length),
            'content-range': `${offset}-${offset + piece.length - 1}`,
          };
          url = location(await expect(s, 'PATCH', url, 202, { headers, body: piece, signal }), url);
          offset += piece.length;
        }
      } else {
        url = location(await expect(s, 'PATCH', url, 202, { headers: { 'content-type': octet }, body: digester, signal }), url);
      }
      const digest = digester.digest();
      if (expected.digest && expected.digest !== digest) {
        throw new BerthError('invalid_argument', `blob upload: content digest ${digest} does not match ${expected.digest}`);
      }
      await expect(s, 'PUT', withDigest(url, digest), 201, { headers: { 'content-length': '0' }, body: Buffer.alloc(0), signal });
    }
  } catch (err) {
    await cancelUpload(s, url);
    throw err;
  }
  const size = digester.bytes;
  if (expected.size !== undefined && expected.size >= 0 && size !== expected.size) {
    throw new BerthError('invalid_argument', `blob upload: ${size} bytes sent, ${expected.size} expected`);
  }
  return { digest: digester.digest(), size };
}

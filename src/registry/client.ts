// The OCI distribution client: manifests, blobs, uploads, mounts and tags of one repository, over the endpoints
// the hosts configuration names (pulls try mirrors first and fall back to the origin).
import { digestHex, sha256 } from '../content/digest.js';
import { BerthError, invalidArgument, notFound, unauthorized } from '../errors.js';
import type { Logger } from '../util/logger.js';
import { createAuthorizer } from './auth.js';
import { announcedSize, verifiedBlobStream } from './blob-download.js';
import { cancelUpload, startUpload, uploadBlob, type UploadSession } from './blob-upload.js';
import { manifestMediaType, manifestMediaTypes, maxManifestBytes } from './manifest-media-type.js';
import { registryErrorText, responseError } from './response-error.js';
import { createTransport, describe, requestLabel, type RegistryRequest, type RegistryResponse, type TransportOptions } from './transport.js';
import type { AuthConfig, Authorizer, Endpoint, RegistryClient, RegistryHosts, RepositoryClient } from './types.js';

export interface RegistryClientDeps {
  hosts: RegistryHosts;
  logger: Logger;
  /** Stored credentials, by registry domain or mirror host[:port]. */
  credentials?: (domain: string) => Promise<AuthConfig | undefined>;
  /** Shared by every repository client (token caches live in it); one is made when not given. */
  authorizer?: Authorizer;
  retries?: TransportOptions['retries'];
  backoffMs?: TransportOptions['backoffMs'];
}

const tagOrDigestPattern = /^(?:[\w][\w.-]{0,127}|sha256:[a-f0-9]{64})$/;

async function readLimited(res: RegistryResponse, limit: number, where: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    length += chunk.byteLength;
    if (length > limit) throw invalidArgument(`${where}: manifest larger than ${limit} bytes`);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

export function createRegistryClient(deps: RegistryClientDeps): RegistryClient {
  const authorizer = deps.authorizer ?? createAuthorizer({ logger: deps.logger });
  const transport = createTransport({ authorizer, logger: deps.logger, retries: deps.retries, backoffMs: deps.backoffMs });
  const stored = (key: string) => deps.credentials?.(key) ?? Promise.resolve(undefined);

  function repository(domain: string, path: string, opts: { push?: boolean; auth?: AuthConfig } = {}): RepositoryClient {
    const name = `${domain}/${path}`;
    const endpoints = opts.push ? [deps.hosts.origin(domain)] : deps.hosts.pullEndpoints(domain);
    const scopes = [`repository:${path}:${opts.push ? 'pull,push' : 'pull'}`];
    let current = 0;
    // Credentials of the registry go to its own host only; a mirror gets what is stored for the mirror.
    const authFor = (ep: Endpoint) => (ep.mirror ? stored(new URL(ep.url).host) : opts.auth ? Promise.resolve(opts.auth) : stored(domain));

    const urlOf = (ep: Endpoint, rest: string) => {
      const url = new URL(`${ep.url}/v2/${path}/${rest}`);
      if (ep.mirror) url.searchParams.set('ns', domain);
      return url;
    };

    interface Call {
      ep: Endpoint;
      auth: AuthConfig | undefined;
      send(method: RegistryRequest['method'], url: URL, init?: Partial<RegistryRequest>): Promise<RegistryResponse>;
    }

    /** Runs fn against the endpoints in order from the last good one; errors from mirrors fall through. */
    async function onEndpoints<T>(signal: AbortSignal | undefined, fn: (call: Call) => Promise<T>): Promise<T> {
      for (let i = current; ; i++) {
        const ep = endpoints[i];
        const auth = await authFor(ep);
        const call: Call = {
          ep,
          auth,
          send: (method, url, init = {}) => transport.send({ method, url, scopes, auth, signal, ...init }),
        };
        try {
          const out = await fn(call);
          current = i;
          return out;
        } catch (err) {
          if (signal?.aborted || i === endpoints.length - 1) throw err;
          deps.logger.warn('registry mirror failed, trying the next endpoint', { mirror: ep.url, error: (err as Error).message });
        }
      }
    }

    const fail = async (call: Call, method: RegistryRequest['method'], url: URL, res: RegistryResponse): Promise<BerthError> => {
      if (res.status === 401 || res.status === 403) {
        const detail = (await registryErrorText(res)) || 'authentication required';
        const access = opts.push ? 'push' : 'pull';
        const message = `${access} access denied for ${name}, repository does not exist or may require 'docker login': ${detail}`;
        return res.status === 401 ? unauthorized(message) : new BerthError('forbidden', message);
      }
      return responseError({ method, url, auth: call.auth }, res);
    };

    const checkRef = (ref: string) => {
      if (!tagOrDigestPattern.test(ref)) throw invalidArgument(`invalid tag or digest ${JSON.stringify(ref)}`);
      return ref;
    };
    const refText = (ref: string) => `${name}${ref.startsWith('sha256:') ? '@' : ':'}${ref}`;

    function uploadSession(call: Call, extraScopes: string[] = []): UploadSession {
      return {
        uploadsUrl: urlOf(call.ep, 'blobs/uploads/'),
        send: (method, url, init) => call.send(method, url, { ...init, scopes: [...scopes, ...extraScopes] }),
        fail: (method, url, res) => fail(call, method as RegistryRequest['method'], url, res),
      };
    }

    return {
      name,
      get endpoint() {
        return endpoints[current];
      },

      getManifest: (ref, signal) =>
        onEndpoints(signal, async (call) => {
          const url = urlOf(call.ep, `manifests/${checkRef(ref)}`);
          const res = await call.send('GET', url, { headers: { accept: manifestMediaTypes.join(', ') } });
          if (res.status === 404) {
            const detail = (await registryErrorText(res)) || 'manifest unknown';
            throw notFound(`manifest for ${refText(ref)} not found: ${detail}`);
          }
          if (res.status !== 200) throw await fail(call, 'GET', url, res);
          const where = requestLabel({ method: 'GET', url, auth: call.auth });
          const bytes = await readLimited(res, maxManifestBytes, where);
          const digest = sha256(bytes);
          const served = res.headers.get('docker-content-digest');
          if ((ref.startsWith('sha256:') && ref !== digest) || (served?.startsWith('sha256:') && served !== digest)) {
            throw invalidArgument(`manifest verification failed for digest ${ref.startsWith('sha256:') ? ref : served}`);
          }
          return { bytes, digest, mediaType: manifestMediaType(bytes, res.headers.get('content-type'), where) };
        }),

      headManifest: (ref, signal) =>
        onEndpoints(signal, async (call) => {
          const url = urlOf(call.ep, `manifests/${checkRef(ref)}`);
          const res = await call.send('HEAD', url, { headers: { accept: manifestMediaTypes.join(', ') } });
          if (res.status === 404) return undefined;
          if (res.status !== 200) throw await fail(call, 'HEAD', url, res);
          const digest = res.headers.get('docker-content-digest');
          if (!digest) throw new BerthError('unavailable', `${refText(ref)}: the registry sent no Docker-Content-Digest`);
          const mediaType = (res.headers.get('content-type') ?? '').split(';')[0].trim();
          return { digest, size: Number(res.headers.get('content-length') ?? -1), mediaType };
        }),

      putManifest: (ref, bytes, mediaType, signal) =>
        onEndpoints(signal, async (call) => {
          const url = urlOf(call.ep, `manifests/${checkRef(ref)}`);
          const res = await call.send('PUT', url, { headers: { 'content-type': mediaType }, body: bytes });
          if (res.status !== 201 && res.status !== 200) throw await fail(call, 'PUT', url, res);
          await res.discard();
          const digest = sha256(bytes);
          const served = res.headers.get('docker-content-digest');
          if (served?.startsWith('sha256:') && served !== digest) {
            throw new BerthError('unavailable', `${refText(ref)}: the registry stored the manifest as ${served}, expected ${digest}`);
          }
          return digest;
        }),

      getBlob: (digest, size, signal, blobOpts) =>
        onEndpoints(signal, async (call) => {
          const url = urlOf(call.ep, `blobs/${digest}`);
          digestHex(digest);
          const open = async (offset: number) => {
            const headers: Record<string, string> = { 'accept-encoding': 'identity' };
            if (offset > 0) headers.range = `bytes=${offset}-`;
            const res = await call.send('GET', url, { headers });
            if (res.status === 404) {
              await res.discard();
              throw notFound(`blob unknown to registry: ${name}@${digest}`);
            }
            if (res.status !== 200 && res.status !== 206) throw await fail(call, 'GET', url, res);
            return res;
          };
          const first = await open(0);
          const total = size >= 0 ? size : announcedSize(first);
          return { stream: verifiedBlobStream(first, open, { digest, size: total, signal, verify: blobOpts?.verify }), size: total };
        }),

      headBlob: (digest, signal) =>
        onEndpoints(signal, async (call) => {
          digestHex(digest);
          const url = urlOf(call.ep, `blobs/${digest}`);
          const res = await call.send('HEAD', url);
          await res.discard();
          if (res.status === 404) return undefined;
          if (res.status !== 200) throw await fail(call, 'HEAD', url, res);
          return Number(res.headers.get('content-length') ?? -1);
        }),

      mountBlob: (digest, fromPath, signal) =>
        onEndpoints(signal, async (call) => {
          digestHex(digest);
          const session = uploadSession(call, [`repository:${fromPath}:pull`]);
          const started = await startUpload(session, signal, { digest, from: fromPath });
          if (!started.mounted) await cancelUpload(session, started.url);
          return started.mounted;
        }),

      uploadBlob: (stream, expected, uploadOpts = {}) => {
        if (expected.digest) digestHex(expected.digest);
        return onEndpoints(uploadOpts.signal, (call) => uploadBlob(uploadSession(call), stream, expected, uploadOpts));
      },

      listTags: (signal) =>
        onEndpoints(signal, async (call) => {
          const tags: string[] = [];
          for (let url: URL | undefined = urlOf(call.ep, 'tags/list'); url; ) {
            const res = await call.send('GET', url, { headers: { accept: 'application/json' } });
            if (res.status !== 200) throw await fail(call, 'GET', url, res);
            const body = (await res.json()) as { tags?: string[] | null };
            tags.push(...(body.tags ?? []));
            const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(res.headers.get('link') ?? '');
            url = next ? new URL(next[1], url) : undefined;
          }
          return tags;
        }),
    };
  }

  return {
    repository,
    async ping(domain, auth, signal) {
      const ep = deps.hosts.origin(domain);
      const url = new URL(`${ep.url}/v2/`);
      const res = await transport.send({ method: 'GET', url, scopes: [], auth, signal });
      await res.discard();
      if (res.status === 401 || res.status === 403) {
        throw unauthorized(`login attempt to ${url.href} failed with status: ${res.status} ${res.statusText}`);
      }
      if (res.status !== 200) {
        throw new BerthError('unavailable', describe({ method: 'GET', url, auth }, `unexpected status ${res.status} ${res.statusText}`));
      }
    },
  };
}

// Pull, push and login: what `POST /images/create`, `POST /images/{name}/push`, `POST /auth` and `berth
// pull/push/login` call. Pull is copyImage(registry → local store), push is copyImage(local store → registry).
import type { ContentStore, Descriptor, Digest, Platform } from '../content/types.js';
import type { EngineEvent, ImageInfo } from '../engine/types.js';
import { login, type LoginResult } from '../registry/login.js';
import type { AuthConfig, CredentialStore, RegistryClient } from '../registry/types.js';
import type { Logger } from '../util/logger.js';
import { copyImage } from './copy.js';
import { parseManifest } from './manifest.js';
import { familiarString, formatReference, parseReference, repositoryName, type Reference } from './reference.js';
import { createBlobMemory } from './registry-blob-memory.js';
import { createRegistryDestination } from './registry-destination.js';
import { createInflightBlobs } from './registry-inflight.js';
import { createPullReporter, createPushReporter, type ProgressSink } from './registry-progress.js';
import { createRegistrySource } from './registry-source.js';
import type { ImageService } from './types.js';

export interface RegistryServiceDeps {
  images: Pick<ImageService, 'pullFrom' | 'openSource' | 'inspect'>;
  content: ContentStore;
  client: RegistryClient;
  /** Where login keeps credentials when asked to (and where the client looks them up). */
  credentials?: CredentialStore;
  logger: Logger;
  publish?: (ev: Omit<EngineEvent, 'time' | 'scope'>) => void;
}

export interface PullOptions {
  /** The platform to pick from a multi-arch index; the host's (linux/amd64) by default. */
  platform?: Platform;
  /** Credentials for the image's registry; else the credential store's. */
  auth?: AuthConfig;
  onProgress?: ProgressSink;
  signal?: AbortSignal;
}

export interface PushOptions {
  auth?: AuthConfig;
  onProgress?: ProgressSink;
  signal?: AbortSignal;
}

export interface PushResult {
  /** The tag pushed (undefined when pushed by digest). */
  tag?: string;
  digest: Digest;
  size: number;
}

export interface RegistryService {
  /** Pulls ref ("busybox", "127.0.0.1:5000/x:1", "x@sha256:...") and names it locally. */
  pullImage(ref: string, opts?: PullOptions): Promise<ImageInfo>;
  /** Pushes the local image named ref to its registry. */
  pushImage(ref: string, opts?: PushOptions): Promise<PushResult>;
  /** Checks auth against serverAddress's /v2/; with save, keeps it in the credential store. */
  login(serverAddress: string, auth: AuthConfig, opts?: { save?: boolean; signal?: AbortSignal }): Promise<LoginResult>;
}

const tryParseReference = (n: string): Reference | undefined => {
  try {
    return parseReference(n);
  } catch {
    return undefined; // "<none>:<none>" and the like name no repository
  }
};

/** Layers are copied three at a time (copyImage's limit); the rest wait. */
const layerConcurrency = 3;

export function createRegistryService(deps: RegistryServiceDeps): RegistryService {
  const inflight = createInflightBlobs(deps.content);
  const memory = createBlobMemory();

  async function pullImage(refText: string, opts: PullOptions = {}): Promise<ImageInfo> {
    const ref = parseReference(refText);
    const name = formatReference(ref);
    const emit = opts.onProgress ?? (() => undefined);
    const before = await deps.images.inspect(name).then((i) => i.id, () => undefined);
    const repo = deps.client.repository(ref.domain, ref.path, { auth: opts.auth });
    const held = inflight.holder();
    const source = createRegistrySource(repo, ref, {
      acquire: (desc, signal) => held.acquire(desc, signal),
      // As Docker: nothing is said before the registry has the manifest, so a missing image is a plain error.
      onResolved: () => emit({ status: `Pulling from ${ref.path}`, id: ref.digest ?? ref.tag }),
    });
    const reporter = createPullReporter(emit);
    let info: ImageInfo;
    try {
      info = await deps.images.pullFrom(source, {
        name,
        platform: opts.platform,
        signal: opts.signal,
        onProgress: (p) => {
          reporter.copy(p);
          if (p.kind === 'done' || p.kind === 'exists') {
            held.release(p.desc.digest);
            memory.remember(ref.domain, p.desc.digest, ref.path);
          }
        },
        onUnpack: reporter.unpack,
      });
    } finally {
      held.releaseAll();
      await source.close();
    }
    if (source.resolvedDigest) emit({ status: `Digest: ${source.resolvedDigest}` });
    const upToDate = !reporter.downloaded && before === info.id;
    emit({ status: `Status: ${upToDate ? 'Image is up to date' : 'Downloaded newer image'} for ${familiarString(name)}` });
    return info;
  }

  /** Other repositories of ref's registry that may hold a blob: where it was pulled from or pushed to, and the
   * image's other names there. */
  function mountCandidates(ref: Reference, info: ImageInfo) {
    const names = [...info.repoTags, ...info.repoDigests].flatMap((n) => {
      const r = tryParseReference(n);
      return r?.domain === ref.domain ? [r.path] : [];
    });
    return (digest: Digest) => [...new Set([...memory.homes(ref.domain, digest), ...names])].filter((p) => p !== ref.path);
  }

  async function pushImage(refText: string, opts: PushOptions = {}): Promise<PushResult> {
    const ref = parseReference(refText);
    const name = formatReference(ref);
    const emit = opts.onProgress ?? (() => undefined);
    const info = await deps.images.inspect(name);
    const source = await deps.images.openSource(name);
    try {
      emit({ status: `The push refers to repository [${repositoryName(ref)}]` });
      const top = parseManifest(await source.getManifest(undefined, opts.signal));
      const layers: Descriptor[] = top.kind === 'manifest' ? top.manifest.layers : [];
      const reporter = createPushReporter(emit);
      reporter.prepare(layers, layerConcurrency);
      const repo = deps.client.repository(ref.domain, ref.path, { push: true, auth: opts.auth });
      const destination = createRegistryDestination(repo, ref, {
        aliases: memory.aliases,
        mountCandidates: mountCandidates(ref, info),
        onReuse: reporter.reused,
        onStored: (stored) => memory.remember(ref.domain, stored.digest, ref.path),
      });
      await copyImage(source, destination, { signal: opts.signal, onProgress: reporter.copy });
      const { digest, size, layers: pushedLayers } = destination.pushed!;
      memory.rememberPush(layers, pushedLayers);
      emit({ status: `${ref.tag ?? ref.digest}: digest: ${digest} size: ${size}` });
      emit({ progressDetail: {}, aux: { Tag: ref.tag ?? '', Digest: digest, Size: size } });
      deps.publish?.({ type: 'image', action: 'push', actor: { id: familiarString(name), attributes: { name: familiarString(name) } } });
      return { tag: ref.tag, digest, size };
    } finally {
      await source.close();
    }
  }

  return {
    pullImage,
    pushImage,
    login: (serverAddress, auth, opts = {}) =>
      login({ client: deps.client, store: opts.save ? deps.credentials : undefined }, serverAddress, auth, opts.signal),
  };
}

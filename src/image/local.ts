// The local store as a copy source (push, save) and destination (pull, load): blobs go to the content store,
// and commit() hands the manifests to the image service, which unpacks layers and records names.
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { BerthError, invalidArgument, isBerthError } from '../errors.js';
import { sha256 } from '../content/digest.js';
import type { ContentStore, ContentWriter, Descriptor, Digest } from '../content/types.js';
import { manifestMediaType, parseManifest } from './manifest.js';
import { MediaType, type ImageDestination, type ImageSource, type ManifestBytes } from './types.js';

export interface StoredManifest {
  desc: Descriptor;
  bytes: Buffer;
}

/** What a local destination hands over at commit: the top-level manifest (maybe an index) and the image's manifest. */
export interface LocalCommit {
  top: StoredManifest;
  manifest: StoredManifest;
}

export interface LocalDestinationHooks {
  /** A blob is about to be written through w (which can be followed while the bytes arrive). */
  writing?(desc: Descriptor, w: ContentWriter, signal?: AbortSignal): Promise<void>;
}

const describe = (m: ManifestBytes, digest: Digest): Descriptor => ({ mediaType: manifestMediaType(m), digest, size: m.bytes.length });

export function createLocalDestination(
  content: ContentStore,
  name: string,
  onCommit: (c: LocalCommit, signal?: AbortSignal) => Promise<void>,
  hooks: LocalDestinationHooks = {},
): ImageDestination {
  let top: StoredManifest | undefined;
  const children = new Map<Digest, StoredManifest>();
  return {
    name,
    supportedManifestMediaTypes: [MediaType.ociManifest, MediaType.dockerManifest, MediaType.ociIndex, MediaType.dockerManifestList],
    desiredLayerCompression: 'preserve',
    // The content store hashes what it writes and commits nothing that does not match.
    verifiesBlobs: true,
    async tryReusingBlob(desc) {
      const info = await content.info(desc.digest);
      return info && (desc.size < 0 || info.size === desc.size) ? { ...desc, size: info.size } : undefined;
    },
    async putBlob(stream, desc, opts) {
      const w = await content.writer(desc.digest || `upload-${randomBytes(8).toString('hex')}`);
      // Writers of one digest wait for each other: the one before may have stored it meanwhile.
      const had = desc.digest ? await content.info(desc.digest) : undefined;
      if (had) {
        await w.abort();
        stream.destroy();
        return { ...desc, size: had.size };
      }
      try {
        await hooks.writing?.(desc, w, opts?.signal);
        await pipeline(stream, w.stream, { signal: opts?.signal });
        const info = await w.commit({ digest: desc.digest || undefined, size: desc.size }).catch((err: unknown) => {
          if (!desc.digest || !isBerthError(err, 'invalid_argument')) throw err;
          const what = opts?.isConfig ? 'image config' : 'filesystem layer';
          throw new BerthError('invalid_argument', `${what} verification failed for digest ${desc.digest}`, { cause: err });
        });
        return { ...desc, digest: info.digest, size: info.size };
      } catch (err) {
        await w.abort();
        throw err;
      }
    },
    async putManifest(m, instanceDigest) {
      const info = await content.writeBlob(m.bytes, instanceDigest);
      const stored = { desc: describe(m, info.digest), bytes: m.bytes };
      if (instanceDigest) children.set(instanceDigest, stored);
      else top = stored;
    },
    async commit(signal) {
      if (!top) throw invalidArgument(`${name}: no manifest was written`);
      const parsed = parseManifest({ bytes: top.bytes, mediaType: top.desc.mediaType });
      let manifest = top;
      if (parsed.kind === 'index') {
        const chosen = parsed.index.manifests.find((d) => children.has(d.digest));
        const child = chosen && children.get(chosen.digest);
        if (!chosen || !child) throw invalidArgument(`${name}: none of the index's manifests was written`);
        manifest = { bytes: child.bytes, desc: { ...child.desc, platform: chosen.platform } };
      }
      await onCommit({ top, manifest }, signal);
    },
    async close() {},
  };
}

/** A local image as a copy source: its top-level manifest is the single-platform one. */
export function createLocalSource(content: ContentStore, name: string, manifest: Descriptor): ImageSource {
  const read = async (digest: Digest): Promise<Buffer> => {
    const bytes = await content.readBlob(digest);
    if (sha256(bytes) !== digest) throw invalidArgument(`content ${digest} is corrupt`);
    return bytes;
  };
  return {
    name,
    async getManifest(instanceDigest) {
      const digest = instanceDigest ?? manifest.digest;
      return { bytes: await read(digest), mediaType: instanceDigest ? '' : manifest.mediaType };
    },
    async getBlob(desc) {
      const info = await content.info(desc.digest);
      if (!info) throw invalidArgument(`blob ${desc.digest} of ${name} is not in the local store`);
      return { stream: content.createReadStream(desc.digest), size: info.size };
    },
    async close() {},
  };
}

// Writing `docker save` output: a docker-archive as docker 25+ writes it, which older docker load also reads:
// blobs/sha256/<hex> (uncompressed layers, configs, OCI manifests), index.json + oci-layout, manifest.json, repositories.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalidArgument } from '../errors.js';
import { createVerifier, digestHex, sha256 } from '../content/digest.js';
import type { Descriptor, Digest } from '../content/types.js';
import { tarHeader, writeTar, type TarOutEntry } from '../archive/tar-stream.js';
import { chain } from '../archive/streams.js';
import { manifestMediaType, parseManifest } from './manifest.js';
import { familiarString, parseReference, familiarRepository } from './reference.js';
import { MediaType, type ImageDestination, type ManifestBytes } from './types.js';

interface SavedImage {
  top: Descriptor;
  config: Digest;
  layers: Digest[];
  names: string[];
}

export interface ArchiveWriter {
  /** A destination for one image, saved under names (normalised references; none for an untagged image). */
  destination(names: string[]): ImageDestination;
  /** Writes the index files and ends the archive. */
  finish(): Promise<void>;
}

/** Entries handed to the tar writer one at a time; push resolves once the entry has been written. */
function entryQueue() {
  const items: Array<{ entry: TarOutEntry; done: () => void; fail: (e: Error) => void }> = [];
  let wake: (() => void) | undefined;
  let closed = false;
  let failure: Error | undefined;
  return {
    async *entries(): AsyncGenerator<TarOutEntry> {
      for (;;) {
        const next = items.shift();
        if (next) {
          yield next.entry;
          next.done();
        } else if (closed) {
          return;
        } else {
          await new Promise<void>((r) => (wake = r));
        }
      }
    },
    push(entry: TarOutEntry): Promise<void> {
      if (failure) return Promise.reject(failure);
      return new Promise((done, fail) => {
        items.push({ entry, done, fail });
        wake?.();
      });
    },
    close() {
      closed = true;
      wake?.();
    },
    fail(err: Error) {
      failure = err;
      for (const i of items.splice(0)) i.fail(err);
    },
  };
}

export function createDockerArchiveWriter(out: Writable, tmpDir: string): ArchiveWriter {
  const queue = entryQueue();
  const written = new Set<Digest>();
  const images: SavedImage[] = [];
  const mtime = Math.floor(Date.now() / 1000);
  const output = pipeline(Readable.from(writeTar(queue.entries())), out).catch((err: Error) => {
    queue.fail(err);
    throw err;
  });
  output.catch(() => undefined);

  const fileEntry = (name: string, size: number, body: () => AsyncIterable<Buffer>): TarOutEntry => ({
    header: tarHeader({ name, type: 'file', size, mtime }),
    body,
  });
  const addBytes = (name: string, bytes: Buffer) => queue.push(fileEntry(name, bytes.length, async function* () {
    yield bytes;
  }));

  async function addBlob(stream: Readable, desc: Descriptor): Promise<Descriptor> {
    if (!desc.digest) throw invalidArgument('docker-archive: blobs must be named by their digest');
    if (written.has(desc.digest)) {
      stream.destroy();
      return desc;
    }
    written.add(desc.digest);
    const name = `blobs/sha256/${digestHex(desc.digest)}`;
    const verified = chain(stream, createVerifier(desc.digest, `blob ${desc.digest}`));
    if (desc.size >= 0) {
      await queue.push(fileEntry(name, desc.size, () => verified));
      return desc;
    }
    // Unknown length (a layer decompressed on the way): tar needs the size first, so spool it.
    await mkdir(tmpDir, { recursive: true });
    const spool = path.join(tmpDir, `save-${randomBytes(8).toString('hex')}`);
    try {
      const counter = { size: 0 };
      await pipeline(verified, async function* (src: AsyncIterable<Buffer>) {
        for await (const c of src) {
          counter.size += c.length;
          yield c;
        }
      }, createWriteStream(spool));
      await queue.push(fileEntry(name, counter.size, () => createReadStream(spool)));
      return { ...desc, size: counter.size };
    } finally {
      await rm(spool, { force: true });
    }
  }

  function destination(names: string[]): ImageDestination {
    let top: { desc: Descriptor; bytes: Buffer } | undefined;
    const children = new Map<Digest, Buffer>();
    return {
      name: 'docker-archive',
      supportedManifestMediaTypes: [MediaType.ociManifest, MediaType.ociIndex],
      desiredLayerCompression: 'decompress',
      verifiesBlobs: true,
      async tryReusingBlob(desc) {
        return written.has(desc.digest) ? desc : undefined;
      },
      putBlob: (stream, desc) => addBlob(stream, desc),
      async putManifest(m: ManifestBytes, instanceDigest) {
        const bytes = m.bytes;
        const desc = { mediaType: manifestMediaType(m), digest: sha256(bytes), size: bytes.length };
        await addBlob(Readable.from([bytes]), desc);
        if (instanceDigest) children.set(instanceDigest, bytes);
        else top = { desc, bytes };
      },
      async commit() {
        if (!top) throw invalidArgument('docker-archive: no manifest was written');
        const parsed = parseManifest({ bytes: top.bytes, mediaType: top.desc.mediaType });
        let manifest = parsed.kind === 'manifest' ? parsed.manifest : undefined;
        if (parsed.kind === 'index') {
          const child = parsed.index.manifests.find((d) => children.has(d.digest));
          const p = child && parseManifest({ bytes: children.get(child.digest)!, mediaType: child.mediaType });
          if (p?.kind === 'manifest') manifest = p.manifest;
        }
        if (!manifest) throw invalidArgument('docker-archive: no image manifest was written');
        images.push({ top: top.desc, config: manifest.config.digest, layers: manifest.layers.map((l) => l.digest), names });
      },
      async close() {},
    };
  }

  async function finish(): Promise<void> {
    const manifests: Descriptor[] = [];
    const legacy: Array<{ Config: string; RepoTags: string[]; Layers: string[] }> = [];
    const repositories: Record<string, Record<string, string>> = {};
    for (const img of images) {
      const tags = img.names.filter((n) => parseReference(n).tag && !parseReference(n).digest);
      if (tags.length === 0) manifests.push(img.top);
      for (const name of tags) {
        const ref = parseReference(name);
        manifests.push({ ...img.top, annotations: { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': ref.tag! } });
        const repo = familiarRepository(ref);
        if (img.layers.length) (repositories[repo] ??= {})[ref.tag!] = digestHex(img.layers[img.layers.length - 1]);
      }
      legacy.push({
        Config: `blobs/sha256/${digestHex(img.config)}`,
        RepoTags: tags.map(familiarString),
        Layers: img.layers.map((l) => `blobs/sha256/${digestHex(l)}`),
      });
    }
    const json = (v: unknown) => Buffer.from(JSON.stringify(v));
    await addBytes('index.json', json({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }));
    await addBytes('manifest.json', json(legacy));
    await addBytes('oci-layout', json({ imageLayoutVersion: '1.0.0' }));
    if (Object.keys(repositories).length) await addBytes('repositories', json(repositories));
    queue.close();
    await output;
  }

  return { destination, finish };
}

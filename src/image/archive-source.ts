// Reading `docker load` input: docker-archive (manifest.json + config + layer tars, legacy or docker 25+ layout)
// and OCI archives (oci-layout + index.json + blobs/). The tar is first unpacked, safely, into a scratch dir.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { invalidArgument, isErrno, notFound } from '../errors.js';
import { applyLayerInWorker } from '../archive/apply-worker.js';
import { detectCompression } from '../archive/compression.js';
import { digestHex, sha256 } from '../content/digest.js';
import type { Descriptor, Digest } from '../content/types.js';
import { hostPlatform, layerMediaType, parseImageConfig, parseManifest, selectPlatform } from './manifest.js';
import { normalizeReference } from './reference.js';
import { MediaType, type ImageIndex, type ImageSource } from './types.js';

export interface ArchiveImage {
  source: ImageSource;
  /** Normalised references the archive gives the image. */
  names: string[];
  configDigest: Digest;
}

interface LegacyEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** Unpacks an archive (plain or gzip) into dir with the layer rules: nothing lands outside dir. */
export async function extractArchive(tar: Readable, dir: string, signal?: AbortSignal): Promise<void> {
  await applyLayerInWorker(dir, tar, { signal });
}

/** A path inside dir, symlinks resolved and required to stay inside. */
async function inside(dir: string, rel: string): Promise<string>;
async function inside(dir: string, rel: string, optional: true): Promise<string | undefined>;
async function inside(dir: string, rel: string, optional = false): Promise<string | undefined> {
  const root = await realpath(dir);
  let real: string;
  try {
    real = await realpath(path.join(root, ...rel.split('/').filter((p) => p && p !== '.')));
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    if (optional) return undefined;
    throw invalidArgument(`invalid archive: ${rel} is missing`);
  }
  if (real !== root && !real.startsWith(root + path.sep)) throw invalidArgument(`invalid archive: ${rel} points outside the archive`);
  return real;
}

async function readJson<T>(dir: string, rel: string): Promise<T | undefined> {
  const file = await inside(dir, rel, true);
  if (!file) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    throw invalidArgument(`invalid archive: ${rel} is not valid JSON`);
  }
}

async function fileDescriptor(file: string, mediaTypeFor: (head: Buffer) => string): Promise<Descriptor> {
  const fh = await open(file, 'r');
  const head = Buffer.alloc(4);
  try {
    await fh.read(head, 0, 4, 0);
  } finally {
    await fh.close();
  }
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { mediaType: mediaTypeFor(head), digest: `sha256:${hash.digest('hex')}`, size };
}

const blobPath = (digest: Digest) => `blobs/sha256/${digestHex(digest)}`;

/** An image of an OCI layout: top is the index.json entry (a manifest or an index). */
function layoutSource(dir: string, top: Descriptor): ImageSource {
  const readBlob = async (d: Digest) => readFile(await inside(dir, blobPath(d)));
  return {
    name: 'oci-archive',
    async getManifest(instanceDigest) {
      const digest = instanceDigest ?? top.digest;
      return { bytes: await readBlob(digest), mediaType: instanceDigest ? '' : top.mediaType };
    },
    async getBlob(desc) {
      const file = await inside(dir, blobPath(desc.digest));
      return { stream: createReadStream(file), size: (await stat(file)).size };
    },
    async close() {},
  };
}

/** An image of a manifest.json entry: its Docker schema2 manifest is made up from the files. */
async function legacySource(dir: string, entry: LegacyEntry): Promise<{ source: ImageSource; configDigest: Digest }> {
  const files = new Map<Digest, string>();
  const configFile = await inside(dir, entry.Config);
  const config = await fileDescriptor(configFile, () => MediaType.dockerConfig);
  files.set(config.digest, configFile);
  const layers: Descriptor[] = [];
  for (const rel of entry.Layers) {
    const file = await inside(dir, rel);
    const desc = await fileDescriptor(file, (head) => layerMediaType(false, detectCompression(head) === 'gzip' ? 'gzip' : 'none'));
    files.set(desc.digest, file);
    layers.push(desc);
  }
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.dockerManifest, config, layers }));
  return {
    configDigest: config.digest,
    source: {
      name: 'docker-archive',
      async getManifest(instanceDigest) {
        if (instanceDigest && instanceDigest !== sha256(bytes)) throw notFound(`manifest ${instanceDigest} is not in the archive`);
        return { bytes, mediaType: MediaType.dockerManifest };
      },
      async getBlob(desc) {
        const file = files.get(desc.digest);
        if (!file) throw notFound(`blob ${desc.digest} is not in the archive`);
        return { stream: createReadStream(file), size: (await stat(file)).size };
      },
      async close() {},
    },
  };
}

const bareTag = /^[\w][\w.-]{0,127}$/;

/** The names an OCI index entry carries: containerd's full name, or a ref.name that is a full reference. */
function annotatedName(d: Descriptor): string | undefined {
  const full = d.annotations?.['io.containerd.image.name'];
  if (full) return normalizeReference(full);
  const ref = d.annotations?.['org.opencontainers.image.ref.name'];
  if (ref && !bareTag.test(ref)) return normalizeReference(ref);
  return undefined;
}

async function configDigestOf(src: ImageSource): Promise<Digest> {
  const top = parseManifest(await src.getManifest());
  if (top.kind === 'manifest') return top.manifest.config.digest;
  const chosen = selectPlatform(top.index, hostPlatform());
  const child = parseManifest(await src.getManifest(chosen.digest));
  if (child.kind !== 'manifest') throw invalidArgument('invalid archive: nested index');
  return child.manifest.config.digest;
}

/** The images of an unpacked docker-archive or OCI archive, with their names. */
export async function readArchiveImages(dir: string): Promise<ArchiveImage[]> {
  const index = await readJson<ImageIndex>(dir, 'index.json');
  const legacy = (await readJson<LegacyEntry[]>(dir, 'manifest.json')) ?? [];
  if (!index && legacy.length === 0) throw invalidArgument('invalid archive: neither manifest.json nor index.json found');
  const tagsByConfig = new Map<Digest, string[]>();
  const images: ArchiveImage[] = [];
  if (index) {
    for (const entry of legacy) {
      const cfg = sha256(await readFile(await inside(dir, entry.Config)));
      tagsByConfig.set(cfg, (entry.RepoTags ?? []).map(normalizeReference));
    }
    const byDigest = new Map<Digest, ArchiveImage>();
    for (const d of index.manifests ?? []) {
      let image = byDigest.get(d.digest);
      if (!image) {
        const source = layoutSource(dir, d);
        const configDigest = await configDigestOf(source);
        image = { source, names: [...(tagsByConfig.get(configDigest) ?? [])], configDigest };
        byDigest.set(d.digest, image);
        images.push(image);
      }
      const name = annotatedName(d);
      if (name && !image.names.includes(name)) image.names.push(name);
    }
    return images;
  }
  for (const entry of legacy) {
    const { source, configDigest } = await legacySource(dir, entry);
    parseImageConfig(await readFile(await inside(dir, entry.Config)));
    images.push({ source, configDigest, names: (entry.RepoTags ?? []).map(normalizeReference) });
  }
  return images;
}

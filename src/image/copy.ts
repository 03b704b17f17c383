// copyImage: the one way images move (pull, push, save, load), after containers/image's copy.Image.
// Source blobs are verified while streaming; layers are recompressed or decompressed when the destination asks,
// and then the manifest is rewritten to describe what was really stored.
import { Readable, Transform } from 'node:stream';
import { chain } from '../archive/streams.js';
import { invalidArgument } from '../errors.js';
import { createLimiter } from '../util/limit.js';
import { createVerifier, sha256 } from '../content/digest.js';
import type { Descriptor } from '../content/types.js';
import { decompress, gzip } from '../archive/compression.js';
import {
  convertManifest,
  encodeJson,
  hostPlatform,
  isOciManifest,
  layerCompression,
  layerMediaType,
  manifestMediaType,
  parseImageConfig,
  parseManifest,
  selectPlatform,
} from './manifest.js';
import type { CopyOptions, CopyResult, ImageDestination, ImageManifest, ImageSource, ManifestBytes } from './types.js';

const maxConcurrentLayers = 3;

/** Counts the bytes going through. */
function counter(onBytes?: (n: number) => void): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      n += chunk.length;
      onBytes?.(n);
      done(null, chunk);
    },
  });
}

/**
 * A blob from src that fails if its bytes do not match desc.digest (checked as they stream by, once), or, when
 * checkedByDst, the bytes as they are: the destination checks them as it stores them, and a second sha256 pass
 * over every layer would only cost CPU time.
 */
async function sourceBlob(
  src: ImageSource,
  desc: Descriptor,
  opts: CopyOptions,
  checkedByDst: boolean,
  onBytes?: (n: number) => void,
): Promise<Readable> {
  const { stream, verified } = await src.getBlob(desc, opts.signal, { verify: !checkedByDst });
  const check = verified || checkedByDst ? counter(onBytes) : createVerifier(desc.digest, `blob ${desc.digest} from ${src.name}`, onBytes);
  return chain(stream, check);
}

const maxConfigSize = 8 << 20;

async function readSmall(stream: Readable, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxConfigSize) throw invalidArgument(`${what} is larger than ${maxConfigSize} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function copyImage(src: ImageSource, dst: ImageDestination, opts: CopyOptions = {}): Promise<CopyResult> {
  const top = await src.getManifest(undefined, opts.signal);
  const topDigest = sha256(top.bytes);
  const parsedTop = parseManifest(top);
  let single: ManifestBytes = top;
  let singleDigest = topDigest;
  if (parsedTop.kind === 'index') {
    const chosen = selectPlatform(parsedTop.index, opts.platform ?? hostPlatform());
    single = await src.getManifest(chosen.digest, opts.signal);
    singleDigest = sha256(single.bytes);
    if (singleDigest !== chosen.digest) throw invalidArgument(`manifest ${chosen.digest} from ${src.name}: digest mismatch`);
  }
  const parsed = parseManifest(single);
  if (parsed.kind !== 'manifest') throw invalidArgument(`manifest ${singleDigest} from ${src.name} is an index inside an index`);
  const manifest = parsed.manifest;

  // The config first: it names the diffIDs that uncompressed layers must match.
  // Read before it is stored (its diffIDs are trusted from here on): checked on the way in.
  const configBytes = await readSmall(await sourceBlob(src, manifest.config, opts, false), `config ${manifest.config.digest}`);
  const config = parseImageConfig(configBytes);
  if (config.rootfs.diff_ids.length === manifest.layers.length) {
    dst.layersAhead?.(manifest.layers.map((blob, i) => ({ blob, diffId: config.rootfs.diff_ids[i] })));
  }
  if (!(await dst.tryReusingBlob(manifest.config, opts.signal))) {
    await dst.putBlob(Readable.from([configBytes]), manifest.config, { signal: opts.signal, isConfig: true });
  }

  const layers: Descriptor[] = [...manifest.layers];
  let changed = false;
  const limit = createLimiter(maxConcurrentLayers);
  await Promise.all(manifest.layers.map((layer, i) => limit(async () => {
    const reused = await dst.tryReusingBlob(layer, opts.signal);
    if (reused) {
      opts.onProgress?.({ kind: 'exists', desc: layer });
      layers[i] = reused;
      changed ||= reused.digest !== layer.digest || reused.mediaType !== layer.mediaType;
      return;
    }
    opts.onProgress?.({ kind: 'start', desc: layer });
    const onBytes = (current: number) => opts.onProgress?.({ kind: 'progress', desc: layer, current, total: layer.size });
    const from = layerCompression(layer.mediaType);
    const oci = isOciManifest(manifest);
    let stage: Parameters<typeof chain>[1] | undefined;
    let want: Descriptor = layer;
    if (dst.desiredLayerCompression === 'compress' && from === 'none') {
      stage = gzip();
      want = { mediaType: layerMediaType(oci, 'gzip'), digest: '', size: -1 };
    } else if (dst.desiredLayerCompression === 'decompress' && from !== 'none') {
      const diffId = config.rootfs.diff_ids[i];
      if (!diffId) throw invalidArgument(`layer ${i} of ${src.name} has no diffID in the image config`);
      stage = decompress;
      want = { mediaType: layerMediaType(oci, 'none'), digest: diffId, size: -1 };
    }
    const blob = await sourceBlob(src, layer, opts, !stage && !!dst.verifiesBlobs, onBytes);
    const stream = stage ? chain(blob, stage) : blob;
    let stored: Descriptor;
    try {
      stored = await dst.putBlob(stream, want, { signal: opts.signal });
    } catch (err) {
      stream.destroy();
      throw err;
    }
    opts.onProgress?.({ kind: 'done', desc: layer });
    layers[i] = { ...stored, ...(layer.annotations ? { annotations: layer.annotations } : {}) };
    changed ||= stored.digest !== layer.digest || stored.mediaType !== layer.mediaType;
  })));

  let out: ImageManifest = changed ? { ...manifest, layers } : manifest;
  const type = out.mediaType || manifestMediaType(single);
  if (!dst.supportedManifestMediaTypes.includes(type)) {
    out = convertManifest(out, !isOciManifest(out));
    if (!dst.supportedManifestMediaTypes.includes(out.mediaType!)) {
      throw invalidArgument(`${dst.name} cannot store manifests of type ${type}`);
    }
    changed = true;
  }
  if (!changed) {
    if (parsedTop.kind === 'index') {
      await dst.putManifest(single, singleDigest, opts.signal);
      await dst.putManifest(top, undefined, opts.signal);
    } else {
      await dst.putManifest(top, undefined, opts.signal);
    }
    await dst.commit(opts.signal);
    return { digest: topDigest, manifestDigest: singleDigest, configDigest: manifest.config.digest };
  }
  // A rewritten manifest no longer matches the source's index: it becomes the top level.
  const encoded = encodeJson(out, out.mediaType ?? type);
  await dst.putManifest(encoded, undefined, opts.signal);
  await dst.commit(opts.signal);
  return { digest: encoded.digest, manifestDigest: encoded.digest, configDigest: manifest.config.digest };
}

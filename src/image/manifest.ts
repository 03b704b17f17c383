// Manifests and indexes: parsing, platform selection, layer media types, Docker ⇄ OCI conversion, chain IDs.
import { invalidArgument, notFound } from '../errors.js';
import { sha256 } from '../content/digest.js';
import type { Descriptor, Digest, Platform } from '../content/types.js';
import { MediaType, type ImageIndex, type ImageManifest, type ManifestBytes, type OciImage } from './types.js';

export const hostPlatform = (): Platform => ({
  os: 'linux',
  architecture: { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' }[process.arch as string] ?? process.arch,
});

const indexTypes: string[] = [MediaType.ociIndex, MediaType.dockerManifestList];
const manifestTypes: string[] = [MediaType.ociManifest, MediaType.dockerManifest];

export type ParsedManifest = { kind: 'index'; index: ImageIndex } | { kind: 'manifest'; manifest: ImageManifest };

/** Parses a manifest or index; the media type comes from the transport or, failing that, from the JSON. */
export function parseManifest(m: ManifestBytes): ParsedManifest {
  let json: { mediaType?: string; manifests?: unknown; layers?: unknown; config?: unknown; schemaVersion?: number };
  try {
    json = JSON.parse(m.bytes.toString('utf8'));
  } catch {
    throw invalidArgument('invalid manifest: not JSON');
  }
  const type = json.mediaType || m.mediaType;
  if (json.schemaVersion !== 2) throw invalidArgument(`unsupported manifest schema version ${json.schemaVersion}`);
  if (indexTypes.includes(type) || (!type && Array.isArray(json.manifests))) {
    if (!Array.isArray(json.manifests)) throw invalidArgument('invalid image index: no manifests');
    return { kind: 'index', index: json as ImageIndex };
  }
  if (manifestTypes.includes(type) || (!type && json.config)) {
    if (!json.config || !Array.isArray(json.layers)) throw invalidArgument('invalid image manifest: no config or layers');
    return { kind: 'manifest', manifest: json as ImageManifest };
  }
  throw invalidArgument(`unsupported manifest media type ${JSON.stringify(type)}`);
}

export const manifestMediaType = (m: ManifestBytes): string => {
  const p = parseManifest(m);
  const declared = p.kind === 'index' ? p.index.mediaType : p.manifest.mediaType;
  return declared || m.mediaType || (p.kind === 'index' ? MediaType.ociIndex : MediaType.ociManifest);
};

/** The manifest for platform in an index: exact variant first, then any variant; attestations are skipped. */
export function selectPlatform(index: ImageIndex, platform: Platform): Descriptor {
  const candidates = index.manifests.filter(
    (d) =>
      manifestTypes.includes(d.mediaType) &&
      d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest' &&
      (!d.platform || (d.platform.os === platform.os && d.platform.architecture === platform.architecture)),
  );
  const best =
    candidates.find((d) => d.platform && (d.platform.variant ?? '') === (platform.variant ?? '')) ??
    candidates.find((d) => d.platform) ??
    candidates[0];
  if (!best) {
    const want = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
    throw notFound(`no matching manifest for ${want} in the manifest list entries`);
  }
  return best;
}

export type LayerCompressionKind = 'gzip' | 'zstd' | 'none';

export function layerCompression(mediaType: string): LayerCompressionKind {
  if (mediaType.endsWith('+gzip') || mediaType.endsWith('.gzip')) return 'gzip';
  if (mediaType.endsWith('+zstd')) return 'zstd';
  return 'none';
}

const isOciType = (t: string) => t.startsWith('application/vnd.oci.');

/** The layer media type for the given manifest flavour and compression. */
export function layerMediaType(oci: boolean, compression: 'gzip' | 'none'): string {
  if (oci) return compression === 'gzip' ? MediaType.ociLayerGzip : MediaType.ociLayer;
  return compression === 'gzip' ? MediaType.dockerLayerGzip : MediaType.dockerLayer;
}

/** Rewrites a manifest in the other flavour (Docker schema2 ⇄ OCI). */
export function convertManifest(m: ImageManifest, toOci: boolean): ImageManifest {
  const compressionOf = (d: Descriptor): 'gzip' | 'none' => {
    const c = layerCompression(d.mediaType);
    if (c === 'zstd' && !toOci) throw invalidArgument('zstd layers cannot be described by a Docker schema2 manifest');
    return c === 'gzip' ? 'gzip' : 'none';
  };
  return {
    schemaVersion: 2,
    mediaType: toOci ? MediaType.ociManifest : MediaType.dockerManifest,
    config: { ...m.config, mediaType: toOci ? MediaType.ociConfig : MediaType.dockerConfig },
    layers: m.layers.map((l) =>
      layerCompression(l.mediaType) === 'zstd' ? l : { ...l, mediaType: layerMediaType(toOci, compressionOf(l)) },
    ),
    ...(m.annotations && toOci ? { annotations: m.annotations } : {}),
  };
}

export const isOciManifest = (m: ImageManifest): boolean => isOciType(m.mediaType ?? m.config.mediaType);

export function encodeJson(value: unknown, mediaType: string): ManifestBytes & { digest: Digest } {
  const bytes = Buffer.from(JSON.stringify(value));
  return { bytes, mediaType, digest: sha256(bytes) };
}

/** Chain IDs (OCI image spec): chain[0] = diff[0], chain[n] = sha256(chain[n-1] + " " + diff[n]). */
export function chainIds(diffIds: Digest[]): Digest[] {
  const out: Digest[] = [];
  for (const d of diffIds) out.push(out.length === 0 ? d : sha256(`${out[out.length - 1]} ${d}`));
  return out;
}

export function parseImageConfig(bytes: Buffer): OciImage {
  let cfg: OciImage;
  try {
    cfg = JSON.parse(bytes.toString('utf8')) as OciImage;
  } catch {
    throw invalidArgument('invalid image config: not JSON');
  }
  if (!cfg.rootfs || !Array.isArray(cfg.rootfs.diff_ids)) throw invalidArgument('invalid image config: no rootfs.diff_ids');
  return cfg;
}

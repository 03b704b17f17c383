// Image contracts, after containers/image: every image movement (pull, push, save, load, import) is one
// copyImage(source, destination) between transports (registry, local store, docker-archive, OCI archive).
import type { Readable } from 'node:stream';
import type { Descriptor, Digest, ContentStore, Platform } from '../content/types.js';
import type { Mount } from '../snapshot/types.js';
import type { OverlaySnapshotter } from '../snapshot/overlay.js';
import type { EngineEvent, ImageEngine, ImageInfo, OciImageConfig } from '../engine/types.js';
import type { Logger } from '../util/logger.js';

export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNonDistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNonDistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

/** OCI image manifest or Docker schema2 manifest (same JSON shape). */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** OCI image index or Docker manifest list (same JSON shape). */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export interface OciHistory {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** The whole OCI image config JSON (Docker's image JSON is a superset; unknown fields are kept as read). */
export interface OciImage {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  config?: OciImageConfig;
  rootfs: { type: 'layers'; diff_ids: Digest[] };
  history?: OciHistory[];
  comment?: string;
  [extra: string]: unknown;
}

/** A manifest (or index) exactly as stored: its digest is sha256(bytes). */
export interface ManifestBytes {
  bytes: Buffer;
  mediaType: string;
}

export interface BlobStream {
  stream: Readable;
  /** -1 when unknown. */
  size: number;
  /** True when the stream errors by itself on bytes that do not match the digest asked for (registry downloads). */
  verified?: boolean;
}

/** Where an image is read from. */
export interface ImageSource {
  /** For messages, e.g. "docker.io/library/busybox:latest" or "docker-archive". */
  readonly name: string;
  /** instanceDigest undefined: the top-level manifest (may be an index); otherwise that child manifest. */
  getManifest(instanceDigest?: Digest, signal?: AbortSignal): Promise<ManifestBytes>;
  /**
   * The blob's bytes as stored (compressed layers stay compressed). opts.verify false: the caller checks the digest
   * itself, so a source that would hash the bytes may leave that out.
   */
  getBlob(desc: Descriptor, signal?: AbortSignal, opts?: { verify?: boolean }): Promise<BlobStream>;
  close(): Promise<void>;
}

/** How a destination wants layers: copy recompresses or decompresses on the way and rewrites the manifest. */
export type LayerCompression = 'preserve' | 'compress' | 'decompress';

export interface PutBlobOptions {
  signal?: AbortSignal;
  isConfig?: boolean;
  /** Called with the number of bytes consumed so far. */
  onProgress?: (bytes: number) => void;
}

/** Where an image is written to. Nothing is visible at the destination before commit(). */
export interface ImageDestination {
  readonly name: string;
  /** Manifest media types it can store, preferred first. */
  readonly supportedManifestMediaTypes: readonly string[];
  readonly desiredLayerCompression: LayerCompression;
  /**
   * True when putBlob hashes the bytes it is given and refuses them with invalid_argument, before anything becomes
   * visible, unless they match desc.digest: a blob stored as the source sent it is then checked there only.
   */
  readonly verifiesBlobs?: boolean;
  /**
   * Optional: the image's layers, bottom first with their diffIDs, told before any is copied, so that work on them
   * can start early (the local store unpacks each layer once it and those below it are stored).
   */
  layersAhead?(layers: Array<{ blob: Descriptor; diffId: Digest }>): void;
  /** The descriptor of the blob the destination already has (or just mounted) for desc; undefined if none. */
  tryReusingBlob(desc: Descriptor, signal?: AbortSignal): Promise<Descriptor | undefined>;
  /**
   * Stores stream. desc.digest and desc.size are verified when known (digest "" and size -1 mean unknown);
   * returns the descriptor of what was stored.
   */
  putBlob(stream: Readable, desc: Descriptor, opts?: PutBlobOptions): Promise<Descriptor>;
  /** instanceDigest undefined: the top-level manifest; otherwise a child manifest of the top-level index. */
  putManifest(manifest: ManifestBytes, instanceDigest?: Digest, signal?: AbortSignal): Promise<void>;
  commit(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export type CopyProgress =
  | { kind: 'exists'; desc: Descriptor }
  | { kind: 'start'; desc: Descriptor }
  | { kind: 'progress'; desc: Descriptor; current: number; total: number }
  | { kind: 'done'; desc: Descriptor };

export interface CopyOptions {
  /** Platform chosen from an index; the host's (linux/amd64) by default. */
  platform?: Platform;
  signal?: AbortSignal;
  /** Per layer; config blobs are not reported. */
  onProgress?: (p: CopyProgress) => void;
}

export interface CopyResult {
  /** Digest of the top-level manifest put at the destination (the index when the source had one). */
  digest: Digest;
  /** Digest of the single-platform manifest copied. */
  manifestDigest: Digest;
  /** The image ID (config digest). */
  configDigest: Digest;
}

export interface ResolvedImage {
  id: string; // sha256:...
  config: OciImage;
  /** Chain IDs of the layers, bottom first; the last one is the rootfs parent snapshot. */
  chainIds: Digest[];
}

export interface ImageServiceDeps {
  root: string;
  content: ContentStore;
  snapshotter: OverlaySnapshotter;
  logger: Logger;
  /** A container id using the image, or undefined. */
  isImageInUse: (imageId: string) => Promise<string | undefined>;
  publish?: (ev: Omit<EngineEvent, 'time' | 'scope'>) => void;
}

/** Progress of unpacking layers into snapshots after a pull. */
export type UnpackProgress = { kind: 'extracting' | 'extracted'; desc: Descriptor };

export interface ImageService extends ImageEngine {
  /** By reference, id or short id; not_found "No such image: <ref>". */
  resolve(ref: string): Promise<ResolvedImage>;
  /** A writable snapshot key on top of the image's layers (unpacked on demand). */
  prepareRootfs(imageId: string, key: string, labels?: Record<string, string>): Promise<Mount[]>;
  removeRootfs(key: string): Promise<void>;
  /** Pull: copies src into the local store and names it (a normalised reference) when given. */
  pullFrom(
    src: ImageSource,
    opts: CopyOptions & { name?: string; onUnpack?: (p: UnpackProgress) => void },
  ): Promise<ImageInfo>;
  /** Push: a local image (by reference or id) as a source; its top-level manifest is the single-platform one. */
  openSource(ref: string): Promise<ImageSource>;
  /** Commit: the parent image plus one layer of the changes in a container's snapshot, named ref when given. */
  commit(opts: CommitImageOptions): Promise<ImageInfo>;
}

export interface CommitImageOptions {
  /** The image the container was created from (an image id). */
  parent: string;
  /** The container's snapshot: what its upper directory holds becomes the new layer. */
  snapshotKey: string;
  config: OciImageConfig;
  /** The container's command, for the history entry. */
  createdBy: string;
  ref?: string;
  comment?: string;
  author?: string;
}

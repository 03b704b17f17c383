// Content store contract: blobs addressed by sha256 digest, verified before they become visible.
import type { Readable, Writable } from 'node:stream';

/** "sha256:<64 hex>" */
export type Digest = string;

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

/** OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: Platform;
}

export interface BlobInfo {
  digest: Digest;
  size: number;
}

/** An in-progress write. Nothing is visible under its digest until commit() verified it. */
export interface ContentWriter {
  /** Bytes already written (a resumed ingest starts here). */
  readonly offset: number;
  readonly stream: Writable;
  /** Closes the stream, checks size and digest when given, and moves the blob into place atomically. */
  commit(expected?: { digest?: Digest; size?: number }): Promise<BlobInfo>;
  /** Drops the partial data. */
  abort(): Promise<void>;
  /**
   * A reader of the bytes as they are written, for work that can start before the blob is complete (unpacking a
   * layer while it downloads). It ends only once commit() verified the blob, and fails when the write fails or is
   * aborted: whatever it gave before that is unverified until then. The writer waits for a reader that falls too far
   * behind: read it to the end or destroy it.
   */
  follow(): Promise<Readable>;
}

export interface ContentStore {
  info(digest: Digest): Promise<BlobInfo | undefined>;
  /** The blob's path on disk, for readers that want a file (it exists only while the blob does). */
  path(digest: Digest): string;
  readBlob(digest: Digest): Promise<Buffer>;
  createReadStream(digest: Digest, opts?: { start?: number }): Readable;
  /** Starts or resumes the ingest named ref (one writer per ref at a time; a second one waits or fails with conflict). */
  writer(ref: string, opts?: { resume?: boolean }): Promise<ContentWriter>;
  /** Writes a whole small blob (manifests, configs) and verifies it against expected when given. */
  writeBlob(data: Uint8Array, expected?: Digest): Promise<BlobInfo>;
  delete(digest: Digest): Promise<void>;
  list(): Promise<BlobInfo[]>;
}

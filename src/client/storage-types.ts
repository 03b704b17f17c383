// Volumes, a container's files (docker cp, export, diff), disk usage and pruning: Docker's JSON shapes and the
// client groups that speak them.
import type { Readable } from 'node:stream';
import type { ContainerSummary, Filters, ImageDeleteItem, ImageSummary, Labels } from './docker-types.js';
import type { Call } from './types.js';

export interface Volume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Labels: Labels | null;
  Options: Record<string, string> | null;
  Scope: string;
  UsageData?: { Size: number; RefCount: number } | null;
}

export interface VolumeCreateBody {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Labels;
}

export interface VolumePruneReport {
  VolumesDeleted: string[] | null;
  SpaceReclaimed: number;
}

/** The X-Docker-Container-Path-Stat header, decoded. mode is a Go os.FileMode. */
export interface ContainerPathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** Kind: 0 modified, 1 added, 2 deleted. */
export interface FilesystemChange {
  Path: string;
  Kind: 0 | 1 | 2;
}

export interface ContainerPruneReport {
  ContainersDeleted: string[] | null;
  SpaceReclaimed: number;
}

export interface ImagePruneReport {
  ImagesDeleted: ImageDeleteItem[] | null;
  SpaceReclaimed: number;
}

export interface BuildCachePruneReport {
  CachesDeleted: string[] | null;
  SpaceReclaimed: number;
}

export interface DiskUsage {
  LayersSize: number;
  Images: ImageSummary[] | null;
  Containers: ContainerSummary[] | null;
  Volumes: Volume[] | null;
  BuildCache: unknown[] | null;
}

export interface VolumeApi {
  create(body: VolumeCreateBody, opts?: Call): Promise<Volume>;
  list(opts?: Call & { filters?: Filters }): Promise<{ Volumes: Volume[] | null; Warnings: string[] | null }>;
  inspect(name: string, opts?: Call): Promise<Volume>;
  remove(name: string, opts?: Call & { force?: boolean }): Promise<void>;
  prune(opts?: Call & { filters?: Filters }): Promise<VolumePruneReport>;
}

/** A container's files: the archive API of docker cp, export and diff. */
export interface ContainerFilesApi {
  stat(container: string, path: string, opts?: Call): Promise<ContainerPathStat>;
  /** The path as a tar, with its stat. */
  copyFrom(container: string, path: string, opts?: Call): Promise<{ stat: ContainerPathStat; content: Readable }>;
  /** Unpacks the tar into the directory path of the container. */
  copyTo(container: string, path: string, content: Readable, opts?: Call & { copyUIDGID?: boolean; allowOverwriteDirWithFile?: boolean }): Promise<void>;
  export(container: string, opts?: Call): Promise<Readable>;
  changes(container: string, opts?: Call): Promise<FilesystemChange[] | null>;
}

/** docker system df and the prune endpoints of containers, images and the build cache. */
export interface DiskApi {
  usage(opts?: Call): Promise<DiskUsage>;
  pruneContainers(opts?: Call & { filters?: Filters }): Promise<ContainerPruneReport>;
  pruneImages(opts?: Call & { filters?: Filters }): Promise<ImagePruneReport>;
  pruneBuildCache(opts?: Call & { filters?: Filters; all?: boolean }): Promise<BuildCachePruneReport>;
}

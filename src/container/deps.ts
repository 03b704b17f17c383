// What the container engine needs from its neighbours: images, root filesystems, the runtime, events.
import type { EventBus, OciImageConfig, Container } from '../engine/types.js';
import type { Runtime, OciSpec } from '../runtime/types.js';
import type { Logger } from '../util/logger.js';
import type { Change } from '../fs/types.js';
import type { ContainerMounts, PreparedMounts } from './mount-hooks.js';
import type { ContainerNetworking } from './network-hooks.js';
import type { CommitImageOptions } from '../image/types.js';

export interface ResolvedImage {
  id: string;
  config: { config?: OciImageConfig };
}

export interface ContainerImages {
  resolve(ref: string): Promise<ResolvedImage>;
  /** docker commit: the parent image plus one layer of the changes in the snapshot named snapshotKey. */
  commit(opts: CommitImageOptions): Promise<{ id: string }>;
}

export interface ContainerRootfs {
  /** Creates the container's writable snapshot on top of the image. */
  prepare(imageId: string, key: string): Promise<void>;
  mount(key: string, target: string): Promise<void>;
  /** Nothing is mounted on target once it resolves (the filesystem may still be flushing in the background). */
  unmount(target: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** docker diff: the writable snapshot against the image's layers. */
  changes(key: string): Promise<Change[]>;
  /** Bytes in the writable snapshot (SizeRw). */
  sizeRw(key: string): Promise<number>;
}

export interface ContainerEngineDeps {
  dataRoot: string;
  execRoot: string;
  images: ContainerImages;
  rootfs: ContainerRootfs;
  runtime: Runtime;
  /** Builds the OCI spec for a container whose root filesystem is mounted at rootfs. */
  buildSpec(container: Container, rootfs: string, bundle: string, mounts: PreparedMounts): Promise<OciSpec>;
  /** Volumes, binds and tmpfs of containers. */
  mounts: ContainerMounts;
  /** Networks, published ports and /etc files of containers. */
  networking: ContainerNetworking;
  events: EventBus;
  logger: Logger;
  logSizeMax: number;
}

// What the container engine needs from its neighbours: images, root filesystems, the runtime, events.
import type { EventBus, OciImageConfig, Container } from '../engine/types.js';
import type { Runtime, OciSpec } from '../runtime/types.js';
import type { Logger } from '../util/logger.js';

export interface ResolvedImage {
  id: string;
  config: { config?: OciImageConfig };
}

export interface ContainerImages {
  resolve(ref: string): Promise<ResolvedImage>;
}

export interface ContainerRootfs {
  /** Creates the container's writable snapshot on top of the image. */
  prepare(imageId: string, key: string): Promise<void>;
  mount(key: string, target: string): Promise<void>;
  unmount(target: string): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface ContainerEngineDeps {
  dataRoot: string;
  execRoot: string;
  images: ContainerImages;
  rootfs: ContainerRootfs;
  runtime: Runtime;
  /** Builds the OCI spec for a container whose root filesystem is mounted at rootfs. */
  buildSpec(container: Container, rootfs: string, bundle: string): Promise<OciSpec>;
  events: EventBus;
  logger: Logger;
  logSizeMax: number;
}

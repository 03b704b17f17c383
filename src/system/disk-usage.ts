// docker system df: every layer once, what each image has alone and shares, containers' writable layers and
// volumes' contents. Layer sizes are the snapshotter's measure, the same that image prune counts as freed.
import type { Container, DiskUsage, ImageInfo } from '../engine/types.js';
import type { VolumeService } from '../volume/types.js';

export interface DiskUsageDeps {
  listImages(): Promise<ImageInfo[]>;
  /** Chain IDs of an image's layers. */
  layersOf(imageId: string): Promise<string[]>;
  layerSize(chainId: string): Promise<number>;
  containers(): Container[];
  sizeRw(containerId: string): Promise<number>;
  volumes: Pick<VolumeService, 'list' | 'usage'>;
}

export async function diskUsage(deps: DiskUsageDeps, signal?: AbortSignal): Promise<DiskUsage> {
  const images = await deps.listImages();
  const layers = new Map<string, string[]>();
  const users = new Map<string, number>(); // chain ID → images using it
  for (const img of images) {
    const chain = await deps.layersOf(img.id);
    layers.set(img.id, chain);
    for (const l of new Set(chain)) users.set(l, (users.get(l) ?? 0) + 1);
  }
  const sizes = new Map<string, number>();
  for (const l of users.keys()) {
    signal?.throwIfAborted();
    sizes.set(l, await deps.layerSize(l));
  }
  const sum = (ids: Iterable<string>) => [...ids].reduce((n, l) => n + (sizes.get(l) ?? 0), 0);

  const all = deps.containers();
  const imageSizes = new Map<string, number>();
  const imageRows = images.map((image) => {
    const chain = new Set(layers.get(image.id));
    const size = sum(chain);
    imageSizes.set(image.id, size);
    return {
      image,
      size,
      sharedSize: sum([...chain].filter((l) => (users.get(l) ?? 0) > 1)),
      containers: all.filter((c) => c.imageId === image.id).length,
    };
  });

  const containers = [];
  for (const container of all) {
    signal?.throwIfAborted();
    const sizeRw = await deps.sizeRw(container.id).catch(() => 0);
    containers.push({ container, sizeRw, sizeRootFs: sizeRw + (imageSizes.get(container.imageId) ?? 0) });
  }

  const usage = new Map((await deps.volumes.usage(signal)).map((u) => [u.name, u]));
  const volumes = (await deps.volumes.list()).map((volume) => ({
    volume,
    size: usage.get(volume.name)?.size ?? 0,
    refCount: usage.get(volume.name)?.refCount ?? 0,
  }));

  return { layersSize: sum(users.keys()), images: imageRows, containers, volumes };
}

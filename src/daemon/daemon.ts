// berthd's composition root: stores, runtime, engine and the API server, wired once.
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DaemonConfig } from './config.js';
import type { Logger } from '../util/logger.js';
import type { Engine, SystemInfo } from '../engine/types.js';
import { createContentStore } from '../content/index.js';
import { createMounter, createOverlaySnapshotter } from '../snapshot/index.js';
import { createImageService } from '../image/service.js';
import { createRegistryService } from '../image/registry-service.js';
import { createRegistryClient, createRegistryHosts } from '../registry/index.js';
import { createConmonRuntime } from '../runtime/conmon-runtime.js';
import { defaultRuntimePath } from '../runtime/oci-cli.js';
import { existsSync } from 'node:fs';
import { createEventBus } from '../events/event-bus.js';
import { createContainerEngine } from '../container/engine.js';
import { buildContainerSpec, buildExecProcess } from '../container/oci-spec.js';
import { createApiServer } from '../api/index.js';
import { createNetworkService } from '../network/index.js';
import { createContainerNetworking, networkNamespace } from '../container/network-hooks.js';
import { createNetworkEngine } from '../container/network-engine.js';
import { acquirePidLock } from './pid-lock.js';
import { berthVersion, apiVersion, minApiVersion } from './version.js';
import { loadDaemonId } from './daemon-id.js';
import { createVolumeService } from '../volume/index.js';
import { withVolumeEvents } from '../volume/volume-events.js';
import { createContainerMounts } from '../container/mount-hooks.js';
import { diffChanges, directorySize } from '../fs/index.js';
import { diskUsage, pruneImages } from '../system/index.js';

export interface RunningDaemon {
  engine: Engine;
  close(): Promise<void>;
}

const goArch = (a: string) => ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' })[a] ?? a;

export async function startDaemon(config: DaemonConfig, logger: Logger): Promise<RunningDaemon> {
  const releaseLock = await acquirePidLock(config.execRoot);
  await mkdir(config.dataRoot, { recursive: true, mode: 0o711 });
  const events = createEventBus();
  const content = createContentStore(path.join(config.dataRoot, 'content'));
  const snapshotter = await createOverlaySnapshotter(path.join(config.dataRoot, 'snapshots'));
  let containers: ReturnType<typeof createContainerEngine> | undefined;
  const images = createImageService({
    root: path.join(config.dataRoot, 'images'),
    content,
    snapshotter,
    logger,
    isImageInUse: async (id) => containers?.usingImage(id),
    publish: (ev) => events.publish(ev),
  });
  const registry = createRegistryService({
    images,
    content,
    client: createRegistryClient({
      hosts: createRegistryHosts({
        insecureRegistries: config.insecureRegistries,
        registryMirrors: config.registryMirrors,
        mirrorMap: config.registryMirrorMap,
      }),
      logger,
    }),
    logger,
    publish: (ev) => events.publish(ev),
  });
  const runtimePath = defaultRuntimePath();
  const runtime = createConmonRuntime({ execRoot: config.execRoot, runtimePath, monitorCgroup: `${config.cgroupParent}/conmon`, logger });
  const volumes = withVolumeEvents(createVolumeService({ dataRoot: config.dataRoot, logger }), (ev) => events.publish(ev));
  const layersOf = async (imageId: string) => (await images.resolve(imageId)).chainIds;
  const layerSize = async (chainId: string) => (await snapshotter.usage(chainId)).size;
  const sizeRw = async (key: string) => directorySize(await snapshotter.upperDir(key));
  const mounter = createMounter();
  const net = await createNetworkService({
    dataRoot: config.dataRoot, execRoot: config.execRoot, logger, config: { bridgeName: config.bridge, defaultSubnet: config.bip },
  });
  await net.start();
  containers = createContainerEngine({
    dataRoot: config.dataRoot,
    execRoot: config.execRoot,
    images,
    rootfs: {
      prepare: async (imageId, key) => void (await images.prepareRootfs(imageId, key)),
      mount: async (key, target) => mounter.mount(await snapshotter.mounts(key), target),
      unmount: (target) => mounter.unmount(target),
      remove: (key) => images.removeRootfs(key),
      changes: async (key) => diffChanges(await snapshotter.upperDir(key), await snapshotter.lowerDirs(key)),
      sizeRw,
    },
    mounts: createContainerMounts({ volumes, publish: (ev) => events.publish(ev), logger }),
    runtime,
    buildSpec: (c, rootfs, _bundle, mounts) => buildContainerSpec(c, rootfs, { cgroupParent: config.cgroupParent, ...networkNamespace(c), mounts }),
    networking: createContainerNetworking({ net, events, logger }),
    buildExecProcess,
    events,
    logger,
    logSizeMax: config.logSizeMax,
  });
  await containers.restore();
  const id = await loadDaemonId(config.dataRoot);
  const c = containers;

  async function info(): Promise<SystemInfo> {
    const all = c.all();
    const count = (s: string) => all.filter((x) => x.state.status === s).length;
    return {
      id,
      name: os.hostname(),
      dataRoot: config.dataRoot,
      execRoot: config.execRoot,
      containers: all.length,
      running: count('running'),
      paused: count('paused'),
      stopped: all.length - count('running') - count('paused'),
      images: (await images.list({ all: false, filters: {} })).length,
      runtime: path.basename(runtimePath),
      cgroupVersion: existsSync('/sys/fs/cgroup/cgroup.controllers') ? '2' : '1',
      kernelVersion: os.release(),
      operatingSystem: 'berth on Linux',
      architecture: os.machine(),
      ncpu: os.cpus().length,
      memTotal: os.totalmem(),
      version: berthVersion,
    };
  }

  const engine: Engine = {
    containers: c,
    networks: createNetworkEngine(net, c, events),
    images: {
      ...images,
      prune: (filters) =>
        pruneImages({
          images, layersOf, layerSize, publish: (ev) => events.publish(ev),
          imagesInUse: () => new Set(c.all().map((x) => x.imageId)),
        }, filters),
    },
    volumes,
    diskUsage: (signal) =>
      diskUsage({
        listImages: () => images.list({ all: false, filters: {} }), layersOf, layerSize, containers: () => c.all(), sizeRw, volumes,
      }, signal),
    registry, events, info, close: async () => undefined,
  };
  const api = createApiServer({
    engine,
    logger,
    daemon: { version: berthVersion, apiVersion, minApiVersion, os: 'linux', arch: goArch(process.arch), kernelVersion: os.release() },
  });
  await api.listen(config.hosts);
  logger.info('berthd is listening', { hosts: config.hosts, dataRoot: config.dataRoot, execRoot: config.execRoot });
  return {
    engine,
    async close() {
      await api.close();
      await net.close();
      await snapshotter.close();
      await releaseLock();
    },
  };
}

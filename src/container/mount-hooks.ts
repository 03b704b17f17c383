// The container side of volumes and mounts, after Docker's registerMountPoints / setupMounts / removeMountPoints:
// at create the mounts are resolved and their volumes created and referenced; at start the volumes are mounted,
// new ones filled from the image and everything becomes OCI mounts; after exit they are released; at removal
// the references go, and with `rm -v` (or --rm) the anonymous volumes too.
import { existsSync } from 'node:fs';
import type { Container, ContainerSpec, EngineEvent, OciImageConfig } from '../engine/types.js';
import type { OciMount } from '../runtime/types.js';
import { isBerthError, notFound } from '../errors.js';
import type { Logger } from '../util/logger.js';
import { resolveInRoot, type RootBind } from '../fs/index.js';
import { parseVolumesFrom, prepareBindSources, resolveContainerMounts, rootfsPropagationFor, toOciMounts } from '../volume/index.js';
import type { BerthMount, VolumeMount, VolumeService } from '../volume/types.js';

/** What start needs from the mounts: OCI mounts (volumes mounted) and the rootfs propagation they ask for. */
export interface PreparedMounts {
  mounts: OciMount[];
  rootfsPropagation?: 'shared' | 'rslave';
}

export interface ContainerMounts {
  /** Resolves -v/--mount/--tmpfs/--volumes-from and the image's volumes; creates and references the volumes. */
  create(id: string, spec: ContainerSpec, image: OciImageConfig, find: (ref: string) => Container | undefined): Promise<BerthMount[]>;
  /** Before the runtime creates the container (its rootfs mounted at rootfs). */
  prepare(c: Container, rootfs: string): Promise<PreparedMounts>;
  /** After the container stopped (or failed to start): its volumes are unmounted. */
  release(c: Container): Promise<void>;
  /** The container is gone: references dropped; anonymous volumes removed when removeVolumes. */
  remove(id: string, mounts: BerthMount[], removeVolumes: boolean): Promise<void>;
  /** Host sources of the container's volumes and binds (tmpfs excluded), for the archive API on a stopped container. */
  rootBinds(c: Container): Promise<RootBind[]>;
  /** After berthd restarts: references and holds of containers that no longer exist or no longer run are dropped. */
  restore(containers: Container[]): Promise<void>;
}

const volumeMounts = (mounts: BerthMount[] | undefined): VolumeMount[] =>
  (mounts ?? []).filter((m): m is VolumeMount => m.type === 'volume');

export function createContainerMounts(deps: {
  volumes: VolumeService;
  publish: (ev: Omit<EngineEvent, 'time' | 'scope'>) => void;
  logger: Logger;
}): ContainerMounts {
  const { volumes, logger } = deps;
  const volumeEvent = (action: string, name: string, attributes: Record<string, string>) =>
    deps.publish({ type: 'volume', action, actor: { id: name, attributes: { driver: 'local', ...attributes } } });

  async function remove(id: string, mounts: BerthMount[], removeVolumes: boolean): Promise<void> {
    await volumes.releaseAll(id);
    if (!removeVolumes) return;
    for (const m of volumeMounts(mounts)) {
      if (!m.anonymous) continue;
      // Another container may still use it (--volumes-from): Docker leaves it then, as here.
      await volumes.remove(m.name).catch((err: unknown) => {
        if (!isBerthError(err, 'conflict') && !isBerthError(err, 'not_found')) throw err;
        logger.debug('anonymous volume kept', { name: m.name, reason: String(err) });
      });
    }
  }

  return {
    async create(id, spec, image, find) {
      const h = spec.host;
      const volumesFrom = (h.volumesFrom ?? []).map((raw) => {
        const { container, mode } = parseVolumesFrom(raw);
        const other = find(container);
        if (!other) throw notFound(`No such container: ${container}`);
        return { mounts: other.mounts ?? [], mode };
      });
      const anonymous = [...new Set([...(spec.volumes ?? []), ...Object.keys(image.Volumes ?? {})])];
      const mounts = resolveContainerMounts(
        { binds: h.binds, mounts: h.mounts, tmpfs: h.tmpfs, volumes: anonymous, volumesFrom, volumeDriver: h.volumeDriver },
        existsSync,
      );
      try {
        for (const m of volumeMounts(mounts)) {
          await volumes.create({ name: m.name, driver: m.driver, labels: m.labels, options: m.driverOptions, anonymous: m.anonymous });
          await volumes.acquire(m.name, id);
        }
      } catch (err) {
        await remove(id, mounts, true).catch((e) => logger.warn('undoing volumes failed', { id, err: String(e) }));
        throw err;
      }
      return mounts;
    },

    async prepare(c, rootfs) {
      const mounts = c.mounts ?? [];
      await prepareBindSources(mounts);
      const paths: Record<string, string> = {};
      for (const m of volumeMounts(mounts)) {
        paths[m.name] = await volumes.mount(m.name, c.id);
        volumeEvent('mount', m.name, {
          container: c.id, destination: m.target, propagation: '', 'read/write': String(!m.readonly),
        });
      }
      // Docker's populateVolumes: a volume still empty gets what the image has at its place.
      for (const m of volumeMounts(mounts)) {
        if (m.copyData && !m.subpath) await volumes.populateFromImage(m.name, rootfs, m.target);
      }
      return { mounts: await toOciMounts(mounts, paths), rootfsPropagation: rootfsPropagationFor(mounts) };
    },

    async release(c) {
      for (const name of new Set(volumeMounts(c.mounts).map((m) => m.name))) {
        await volumes.unmount(name, c.id).catch((err: unknown) => {
          if (!isBerthError(err, 'not_found')) throw err;
        });
        volumeEvent('unmount', name, { container: c.id });
      }
    },

    remove,

    async rootBinds(c) {
      const binds: RootBind[] = [];
      for (const m of c.mounts ?? []) {
        if (m.type === 'bind') binds.push({ source: m.source, destination: m.target, readonly: m.readonly });
        if (m.type !== 'volume') continue;
        const base = (await volumes.inspect(m.name)).mountpoint;
        binds.push({ source: m.subpath ? await resolveInRoot(base, m.subpath) : base, destination: m.target, readonly: m.readonly });
      }
      return binds;
    },

    async restore(containers) {
      const known = new Map(containers.map((c) => [c.id, c]));
      for (const v of await volumes.list()) {
        for (const id of await volumes.references(v.name)) {
          const c = known.get(id);
          if (!c) {
            await volumes.release(v.name, id);
            logger.info('dropped the volume reference of a container that no longer exists', { volume: v.name, id });
          }
          if (!c?.state.running) await volumes.unmount(v.name, id);
        }
      }
    },
  };
}

// The volume service with Docker's volume events: create, destroy and prune here; mount and unmount are
// published by the container engine, which knows the container and the destination.
import type { EngineEvent } from '../engine/types.js';
import { isBerthError } from '../errors.js';
import type { VolumeService } from './types.js';

type Publish = (ev: Omit<EngineEvent, 'time' | 'scope'>) => void;

export function withVolumeEvents(service: VolumeService, publish: Publish): VolumeService {
  const volumeEvent = (action: string, id: string, attributes: Record<string, string> = {}) =>
    publish({ type: 'volume', action, actor: { id, attributes: { driver: 'local', ...attributes } } });

  const exists = (name: string) =>
    service.inspect(name).then(
      () => true,
      (err: unknown) => {
        if (isBerthError(err, 'not_found')) return false;
        throw err;
      },
    );

  return {
    ...service,
    async create(opts) {
      // The service hands back an existing volume as it is: only a new one is announced.
      const existed = opts.name ? await exists(opts.name) : false;
      const volume = await service.create(opts);
      if (!existed) volumeEvent('create', volume.name);
      return volume;
    },
    async remove(name, opts) {
      const existed = await exists(name);
      await service.remove(name, opts);
      if (existed) volumeEvent('destroy', name);
    },
    async prune(filters) {
      const report = await service.prune(filters);
      for (const name of report.volumesDeleted) volumeEvent('destroy', name);
      publish({ type: 'volume', action: 'prune', actor: { id: '', attributes: { reclaimed: String(report.spaceReclaimed) } } });
      return report;
    },
  };
}

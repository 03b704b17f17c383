// docker container prune: every container that is not running (nor paused, nor restarting) and matches the
// filters is removed; the space reclaimed is the sum of their writable layers, measured just before removal.
import type { Container, EngineEvent } from '../engine/types.js';
import { isBerthError } from '../errors.js';
import type { Logger } from '../util/logger.js';
import { prunePredicate, validatePruneFilters, type Filters } from '../util/prune-filters.js';
import { isRunning } from './state-machine.js';

export interface ContainerPruneDeps {
  all(): Container[];
  remove(id: string): Promise<void>;
  sizeRw(id: string): Promise<number>;
  publish(ev: Omit<EngineEvent, 'time' | 'scope'>): void;
  logger: Logger;
}

export async function pruneContainers(deps: ContainerPruneDeps, filters: Filters): Promise<{ deleted: string[]; spaceReclaimed: number }> {
  validatePruneFilters(filters, ['until', 'label', 'label!']);
  const matches = prunePredicate(filters);
  const report = { deleted: [] as string[], spaceReclaimed: 0 };
  for (const c of deps.all()) {
    if (isRunning(c.state.status) || !matches(Date.parse(c.created) / 1000, c.spec.labels)) continue;
    const size = await deps.sizeRw(c.id).catch(() => 0);
    try {
      await deps.remove(c.id);
    } catch (err) {
      // Started or removed meanwhile: not ours to prune any more.
      if (!isBerthError(err, 'conflict') && !isBerthError(err, 'not_found')) throw err;
      deps.logger.debug('container not pruned', { id: c.id, err: String(err) });
      continue;
    }
    report.deleted.push(c.id);
    report.spaceReclaimed += size;
  }
  deps.publish({ type: 'container', action: 'prune', actor: { id: '', attributes: { reclaimed: String(report.spaceReclaimed) } } });
  return report;
}

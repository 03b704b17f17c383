// Prune endpoints of containers and images (volumes/prune sits with the volume routes).
import { familiar } from '../image-json.js';
import { parseFilters } from '../filters.js';
import { sendJson } from '../respond.js';
import type { RequestContext, Route } from '../types.js';

const filtersOf = (ctx: RequestContext) => parseFilters(ctx.query.get('filters')).toRecord();

async function pruneContainers(ctx: RequestContext): Promise<void> {
  const report = await ctx.deps.engine.containers.prune(filtersOf(ctx));
  sendJson(ctx.res, 200, { ContainersDeleted: report.deleted, SpaceReclaimed: report.spaceReclaimed });
}

async function pruneImages(ctx: RequestContext): Promise<void> {
  const report = await ctx.deps.engine.images.prune(filtersOf(ctx));
  sendJson(ctx.res, 200, {
    ImagesDeleted: report.deleted.map((r) => (r.untagged !== undefined ? { Untagged: familiar(r.untagged) } : { Deleted: r.deleted })),
    SpaceReclaimed: report.spaceReclaimed,
  });
}

export const pruneRoutes: Route[] = [
  { method: 'POST', path: '/containers/prune', handler: pruneContainers },
  { method: 'POST', path: '/images/prune', handler: pruneImages },
];

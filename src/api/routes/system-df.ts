// GET /system/df: disk usage of images, containers, volumes and the build cache. berth keeps no build cache yet:
// df shows none and POST /build/prune (which `docker system prune` always calls) has nothing to delete.
import { containerSummaryJson } from '../container-json.js';
import { imageSummaryJson } from '../image-json.js';
import { volumeSources } from '../mounts-json.js';
import { sendJson } from '../respond.js';
import { volumeJson } from '../volume-json.js';
import type { RequestContext, Route } from '../types.js';

async function systemDf(ctx: RequestContext): Promise<void> {
  const du = await ctx.deps.engine.diskUsage(ctx.signal);
  const now = Date.now();
  const sources = await volumeSources(ctx.deps.engine, du.containers.map((c) => c.container));
  sendJson(ctx.res, 200, {
    LayersSize: du.layersSize,
    Images: du.images.map((i) => ({ ...imageSummaryJson(i.image), Size: i.size, SharedSize: i.sharedSize, Containers: i.containers })),
    Containers: du.containers.map((c) => ({ ...containerSummaryJson(c.container, now, sources), SizeRw: c.sizeRw, SizeRootFs: c.sizeRootFs })),
    Volumes: du.volumes.map((v) => volumeJson(v.volume, v)),
    BuildCache: [],
  });
}

export const systemDfRoutes: Route[] = [
  { method: 'GET', path: '/system/df', handler: systemDf },
  { method: 'POST', path: '/build/prune', handler: async (ctx) => sendJson(ctx.res, 200, { CachesDeleted: [], SpaceReclaimed: 0 }) },
];

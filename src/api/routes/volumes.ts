// Volume endpoints: create, list, inspect, remove, prune.
import { readJsonObject } from '../body.js';
import { fields } from '../json-fields.js';
import { parseFilters } from '../filters.js';
import { sendEmpty, sendJson } from '../respond.js';
import { volumeJson } from '../volume-json.js';
import type { RequestContext, Route } from '../types.js';

const volumes = (ctx: RequestContext) => ctx.deps.engine.volumes;

async function create(ctx: RequestContext): Promise<void> {
  const body = fields(await readJsonObject(ctx), 'VolumeCreateRequest');
  const volume = await volumes(ctx).create({
    name: body.str('Name'),
    driver: body.str('Driver'),
    options: body.strMap('DriverOpts'),
    labels: body.strMap('Labels'),
  });
  sendJson(ctx.res, 201, volumeJson(volume));
}

async function list(ctx: RequestContext): Promise<void> {
  const found = await volumes(ctx).list(parseFilters(ctx.query.get('filters')).toRecord());
  sendJson(ctx.res, 200, { Volumes: found.map((v) => volumeJson(v)), Warnings: [] });
}

async function prune(ctx: RequestContext): Promise<void> {
  const report = await volumes(ctx).prune(parseFilters(ctx.query.get('filters')).toRecord());
  sendJson(ctx.res, 200, { VolumesDeleted: report.volumesDeleted, SpaceReclaimed: report.spaceReclaimed });
}

export const volumeRoutes: Route[] = [
  { method: 'GET', path: '/volumes', handler: list },
  { method: 'POST', path: '/volumes/create', handler: create },
  { method: 'POST', path: '/volumes/prune', handler: prune },
  {
    method: 'GET',
    path: '/volumes/{name}',
    handler: async (ctx) => sendJson(ctx.res, 200, volumeJson(await volumes(ctx).inspect(ctx.params.name))),
  },
  {
    method: 'DELETE',
    path: '/volumes/{name}',
    handler: async (ctx) => {
      await volumes(ctx).remove(ctx.params.name, { force: ctx.query.bool('force') });
      sendEmpty(ctx.res, 204);
    },
  },
];

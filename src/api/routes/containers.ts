// Container endpoints: create, list, inspect, lifecycle (start/stop/kill/restart/wait), resize, top, rename, remove.
import type { WaitCondition } from '../../engine/types.js';
import { BerthError, invalidArgument } from '../../errors.js';
import { versionAtLeast } from '../api-version.js';
import { readJsonObject } from '../body.js';
import { containerInspectJson, containerSummaryJson } from '../container-json.js';
import { volumeSources } from '../mounts-json.js';
import { toContainerSpec, validContainerName } from '../container-spec.js';
import { parseFilters } from '../filters.js';
import { messageOf } from '../http-status.js';
import { sendEmpty, sendJson } from '../respond.js';
import type { RequestContext, Route } from '../types.js';

const containers = (ctx: RequestContext) => ctx.deps.engine.containers;

async function create(ctx: RequestContext): Promise<void> {
  const spec = toContainerSpec(await readJsonObject(ctx), ctx.query.get('name') || undefined);
  const { id, warnings } = await containers(ctx).create(spec);
  sendJson(ctx.res, 201, { Id: id, Warnings: warnings });
}

async function list(ctx: RequestContext): Promise<void> {
  const limit = ctx.query.int('limit');
  const found = await containers(ctx).list({
    all: ctx.query.bool('all'),
    ...(limit !== undefined && limit > 0 ? { limit } : {}),
    filters: parseFilters(ctx.query.get('filters')).toRecord(),
  });
  const now = Date.now();
  const sources = await volumeSources(ctx.deps.engine, found);
  sendJson(ctx.res, 200, found.map((c) => containerSummaryJson(c, now, sources)));
}

/** t (seconds) and signal of stop and restart. */
const stopOptions = (ctx: RequestContext) => {
  const timeout = ctx.query.int('t');
  const signal = ctx.query.get('signal') || undefined;
  return { ...(timeout !== undefined ? { timeout } : {}), ...(signal ? { signal } : {}) };
};

const conditions: WaitCondition[] = ['not-running', 'next-exit', 'removed'];

/**
 * Headers go out as soon as the wait is registered (API >= 1.30), before the container exits: `docker run`
 * waits for them before it starts the container. The exit status follows as the body.
 */
async function wait(ctx: RequestContext): Promise<void> {
  const condition = (ctx.query.get('condition') || 'not-running') as WaitCondition;
  if (!conditions.includes(condition)) throw invalidArgument(`invalid condition: ${JSON.stringify(condition)}`);
  const c = await containers(ctx).get(ctx.params.id);
  const result = containers(ctx).wait(c.id, condition, ctx.signal);
  const early = versionAtLeast(ctx.apiVersion, '1.30');
  if (early) {
    ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
    ctx.res.flushHeaders();
  }
  let body: Record<string, unknown>;
  try {
    body = { StatusCode: (await result).exitCode };
  } catch (err) {
    if (ctx.signal.aborted || !early) throw err;
    body = { StatusCode: -1, Error: { Message: messageOf(err) } };
  }
  if (!early) ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
  ctx.res.end(JSON.stringify(body) + '\n');
}

async function resize(ctx: RequestContext): Promise<void> {
  const height = ctx.query.int('h');
  const width = ctx.query.int('w');
  if (height === undefined || width === undefined || height < 0 || width < 0) {
    throw invalidArgument('resize needs non-negative integers h and w');
  }
  await containers(ctx).resize(ctx.params.id, height, width);
  sendEmpty(ctx.res, 200);
}

async function top(ctx: RequestContext): Promise<void> {
  const t = await containers(ctx).top(ctx.params.id, ctx.query.get('ps_args') || undefined);
  sendJson(ctx.res, 200, { Titles: t.titles, Processes: t.processes });
}

async function rename(ctx: RequestContext): Promise<void> {
  const name = ctx.query.get('name');
  if (!name) throw invalidArgument('Neither old nor new names may be empty');
  await containers(ctx).rename(ctx.params.id, validContainerName(name));
  sendEmpty(ctx.res, 204);
}

async function remove(ctx: RequestContext): Promise<void> {
  if (ctx.query.bool('link')) throw new BerthError('not_implemented', 'berth does not support container links');
  await containers(ctx).remove(ctx.params.id, { force: ctx.query.bool('force'), volumes: ctx.query.bool('v') });
  sendEmpty(ctx.res, 204);
}

/** An action on one container answered with 204 No Content. */
const action = (run: (ctx: RequestContext) => Promise<void>) => async (ctx: RequestContext) => {
  await run(ctx);
  sendEmpty(ctx.res, 204);
};

export const containerRoutes: Route[] = [
  { method: 'POST', path: '/containers/create', handler: create },
  { method: 'GET', path: '/containers/json', handler: list },
  {
    method: 'GET',
    path: '/containers/{id}/json',
    handler: async (ctx) => {
      const c = await containers(ctx).get(ctx.params.id);
      sendJson(ctx.res, 200, containerInspectJson(c, await volumeSources(ctx.deps.engine, [c])));
    },
  },
  { method: 'POST', path: '/containers/{id}/start', handler: action((ctx) => containers(ctx).start(ctx.params.id)) },
  { method: 'POST', path: '/containers/{id}/stop', handler: action((ctx) => containers(ctx).stop(ctx.params.id, stopOptions(ctx))) },
  {
    method: 'POST',
    path: '/containers/{id}/kill',
    handler: action((ctx) => containers(ctx).kill(ctx.params.id, ctx.query.get('signal') || undefined)),
  },
  { method: 'POST', path: '/containers/{id}/restart', handler: action((ctx) => containers(ctx).restart(ctx.params.id, stopOptions(ctx))) },
  { method: 'POST', path: '/containers/{id}/wait', handler: wait },
  { method: 'POST', path: '/containers/{id}/resize', handler: resize },
  { method: 'GET', path: '/containers/{id}/top', handler: top },
  { method: 'POST', path: '/containers/{id}/rename', handler: rename },
  { method: 'DELETE', path: '/containers/{id}', handler: remove },
];

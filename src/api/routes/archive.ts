// A container's files: the archive API of docker cp (HEAD/GET/PUT /containers/{id}/archive), export and changes.
import { pipeline } from 'node:stream/promises';
import type { PathStat } from '../../fs/types.js';
import { invalidArgument } from '../../errors.js';
import { sendEmpty, sendJson } from '../respond.js';
import type { RequestContext, Route } from '../types.js';

const statHeader = 'X-Docker-Container-Path-Stat';
const encodeStat = (stat: PathStat): string => Buffer.from(JSON.stringify(stat)).toString('base64');

function pathParam(ctx: RequestContext): string {
  const p = ctx.query.get('path');
  if (!p) throw invalidArgument('path is required');
  return p;
}

async function statPath(ctx: RequestContext): Promise<void> {
  const stat = await ctx.deps.engine.containers.statPath(ctx.params.id, pathParam(ctx));
  ctx.res.writeHead(200, { [statHeader]: encodeStat(stat), 'Content-Length': 0 });
  ctx.res.end();
}

async function getArchive(ctx: RequestContext): Promise<void> {
  const { stat, tar } = await ctx.deps.engine.containers.getArchive(ctx.params.id, pathParam(ctx), ctx.signal);
  ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar', [statHeader]: encodeStat(stat) });
  await pipeline(tar, ctx.res);
}

async function putArchive(ctx: RequestContext): Promise<void> {
  try {
    await ctx.deps.engine.containers.putArchive(ctx.params.id, pathParam(ctx), ctx.body, {
      noOverwriteDirNonDir: ctx.query.bool('noOverwriteDirNonDir'),
      copyUIDGID: ctx.query.bool('copyUIDGID'),
      signal: ctx.signal,
    });
  } finally {
    // The answer (an error included) goes first; whatever is left of the upload is then read and dropped.
    ctx.res.once('finish', () => ctx.body.resume());
  }
  sendEmpty(ctx.res, 200);
}

async function exportContainer(ctx: RequestContext): Promise<void> {
  const tar = await ctx.deps.engine.containers.export(ctx.params.id, ctx.signal);
  ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  await pipeline(tar, ctx.res);
}

async function changes(ctx: RequestContext): Promise<void> {
  sendJson(ctx.res, 200, await ctx.deps.engine.containers.changes(ctx.params.id));
}

export const archiveRoutes: Route[] = [
  { method: 'HEAD', path: '/containers/{id}/archive', handler: statPath },
  { method: 'GET', path: '/containers/{id}/archive', handler: getArchive },
  { method: 'PUT', path: '/containers/{id}/archive', handler: putArchive },
  { method: 'GET', path: '/containers/{id}/export', handler: exportContainer },
  { method: 'GET', path: '/containers/{id}/changes', handler: changes },
];

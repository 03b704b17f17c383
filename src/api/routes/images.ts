// Image endpoints: import (create?fromSrc), load, save (get), list, inspect, history, tag, remove.
import { BerthError, invalidArgument } from '../../errors.js';
import { formatReference, isDigest, parseReference, repositoryName } from '../../image/reference.js';
import { parseFilters } from '../filters.js';
import { familiar, historyJson, imageInspectJson, imageSummaryJson } from '../image-json.js';
import { sendEmpty, sendJson } from '../respond.js';
import { errorMessage, jsonMessage, lazyBody, startStream, write } from '../streaming.js';
import type { RequestContext, Route } from '../types.js';
import { pull } from './registry.js';

/** httputils.RepoTagReference: "busybox" + "" → "docker.io/library/busybox:latest"; undefined without a repo. */
export function repoTagReference(repo: string | undefined, tag: string | undefined): string | undefined {
  if (!repo) return undefined;
  const ref = parseReference(repo);
  if (ref.digest) throw invalidArgument('cannot import digest reference');
  return tag ? formatReference(parseReference(`${repositoryName(ref)}:${tag}`)) : formatReference(ref);
}

/** POST /images/create: fromImage pulls from a registry; fromSrc imports a root filesystem tarball. */
async function create(ctx: RequestContext): Promise<void> {
  const { query, deps } = ctx;
  if (query.get('fromImage')) return pull(ctx);
  const src = query.get('fromSrc');
  if (src !== '-') throw new BerthError('not_implemented', `importing from ${src ? `"${src}"` : 'nothing'} is not supported: use fromSrc=- with the tarball as body`);
  const ref = repoTagReference(query.get('repo'), query.get('tag'));
  const image = await deps.engine.images.importRootfs(ctx.body, {
    ref,
    message: query.get('message') || `Imported from ${src}`,
    changes: query.all('changes'),
  });
  startStream(ctx.res, 'application/json');
  ctx.res.end(jsonMessage({ status: image.id }));
}

/** POST /images/load: the result (or the error) as a JSON message stream, always 200, as Docker does. */
async function load(ctx: RequestContext): Promise<void> {
  startStream(ctx.res, 'application/json');
  try {
    for (const loaded of await ctx.deps.engine.images.load(ctx.body)) {
      const line = isDigest(loaded) ? `Loaded image ID: ${loaded}\n` : `Loaded image: ${familiar(loaded)}\n`;
      await write(ctx.res, jsonMessage({ stream: line }));
    }
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.deps.logger.debug('image load failed', { err: String(err) });
    await write(ctx.res, errorMessage(err));
  }
  ctx.res.end();
}

/** GET /images/{name}/get and /images/get?names=: a tarball; errors before its first byte are HTTP errors. */
async function save(ctx: RequestContext): Promise<void> {
  const names = ctx.params.name !== undefined ? [ctx.params.name] : ctx.query.all('names');
  if (names.length === 0) throw invalidArgument('no images named: give names=<image>');
  const out = lazyBody(ctx.res, () => ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar' }));
  await ctx.deps.engine.images.save(names, out);
  if (!out.writableEnded) out.end();
}

async function list(ctx: RequestContext): Promise<void> {
  const filters = parseFilters(ctx.query.get('filters')).toRecord();
  const images = await ctx.deps.engine.images.list({ all: ctx.query.bool('all'), filters });
  sendJson(ctx.res, 200, images.map(imageSummaryJson));
}

async function tag(ctx: RequestContext): Promise<void> {
  const target = repoTagReference(ctx.query.get('repo'), ctx.query.get('tag'));
  if (!target) throw invalidArgument('repository name must be given (repo=)');
  if (familiar(target).split(':')[0] === 'sha256') {
    throw invalidArgument('refusing to create an ambiguous tag using digest algorithm as name');
  }
  await ctx.deps.engine.images.tag(ctx.params.name, target);
  sendEmpty(ctx.res, 201);
}

async function remove(ctx: RequestContext): Promise<void> {
  const results = await ctx.deps.engine.images.remove(ctx.params.name, {
    force: ctx.query.bool('force'),
    noPrune: ctx.query.bool('noprune'),
  });
  sendJson(
    ctx.res,
    200,
    results.map((r) => (r.untagged !== undefined ? { Untagged: familiar(r.untagged) } : { Deleted: r.deleted })),
  );
}

// Fixed paths first: image names may contain slashes, so {name*} would also match them.
export const imageRoutes: Route[] = [
  { method: 'GET', path: '/images/json', handler: list },
  { method: 'POST', path: '/images/create', handler: create },
  { method: 'POST', path: '/images/load', handler: load },
  { method: 'GET', path: '/images/get', handler: save },
  { method: 'GET', path: '/images/{name*}/get', handler: save },
  {
    method: 'GET',
    path: '/images/{name*}/json',
    handler: async (ctx) => sendJson(ctx.res, 200, imageInspectJson(await ctx.deps.engine.images.inspect(ctx.params.name))),
  },
  {
    method: 'GET',
    path: '/images/{name*}/history',
    handler: async (ctx) => sendJson(ctx.res, 200, (await ctx.deps.engine.images.history(ctx.params.name)).map(historyJson)),
  },
  { method: 'POST', path: '/images/{name*}/tag', handler: tag },
  { method: 'DELETE', path: '/images/{name*}', handler: remove },
];

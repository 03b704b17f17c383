// POST /commit?container=&repo=&tag=&comment=&author=&changes=: a container's changes as a new image.
import { invalidArgument } from '../../errors.js';
import type { OciImageConfig } from '../../engine/types.js';
import { readJson } from '../body.js';
import { compact, fields } from '../json-fields.js';
import { sendJson } from '../respond.js';
import type { RequestContext, Route } from '../types.js';
import { repoTagReference } from './images.js';

const asSet = (keys: string[] | undefined) => keys && Object.fromEntries(keys.map((k) => [k, {}]));

/** The optional body: a container Config whose image fields win over the container's own. */
export function commitConfigBody(body: unknown): OciImageConfig | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidArgument('invalid JSON: expected a container config object');
  const f = fields(body as Record<string, unknown>, 'Config');
  return compact<OciImageConfig>({
    User: f.str('User'),
    Env: f.strList('Env'),
    Cmd: f.strSlice('Cmd'),
    Entrypoint: f.strSlice('Entrypoint'),
    WorkingDir: f.str('WorkingDir'),
    Labels: f.strMap('Labels'),
    ExposedPorts: asSet(f.keys('ExposedPorts')),
    Volumes: asSet(f.keys('Volumes')),
    StopSignal: f.str('StopSignal'),
  });
}

async function commit(ctx: RequestContext): Promise<void> {
  const { query } = ctx;
  const container = query.get('container');
  if (!container) throw invalidArgument('no container given: container=<name or id>');
  const config = commitConfigBody(await readJson(ctx));
  const { id } = await ctx.deps.engine.containers.commit(container, {
    ref: repoTagReference(query.get('repo'), query.get('tag')),
    comment: query.get('comment') || undefined,
    author: query.get('author') || undefined,
    changes: query.all('changes'),
    config,
  });
  sendJson(ctx.res, 201, { Id: id });
}

export const commitRoutes: Route[] = [{ method: 'POST', path: '/commit', handler: commit }];

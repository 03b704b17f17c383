// System endpoints: _ping, version, info, events.
import { readdir } from 'node:fs/promises';
import { invalidArgument } from '../../errors.js';
import { eventJson, eventMatches } from '../event-json.js';
import { parseFilters } from '../filters.js';
import { sendJson } from '../respond.js';
import { startStream, write } from '../streaming.js';
import { infoJson, versionJson } from '../system-json.js';
import { parseTimestamp } from '../timestamps.js';
import type { RequestContext, Route } from '../types.js';

async function ping(ctx: RequestContext): Promise<void> {
  const { res } = ctx;
  res.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Builder-Version', '1');
  res.setHeader('Swarm', 'inactive');
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': ctx.req.method === 'HEAD' ? 0 : 2 });
  res.end(ctx.req.method === 'HEAD' ? undefined : 'OK');
}

async function info(ctx: RequestContext): Promise<void> {
  const { engine, daemon, eventListeners } = ctx.deps;
  const openFds = (await readdir('/proc/self/fd').catch(() => [])).length;
  sendJson(ctx.res, 200, infoJson(await engine.info(), daemon, { eventListeners: eventListeners.count, openFds, now: new Date() }));
}

/** Streams events as JSON lines, past ones (since) first; ends at `until`, or when the client leaves. */
async function events(ctx: RequestContext): Promise<void> {
  const { query, deps } = ctx;
  const sinceS = parseTimestamp('since', query.get('since'));
  const untilS = parseTimestamp('until', query.get('until'));
  if (sinceS !== undefined && untilS !== undefined && untilS < sinceS) {
    throw invalidArgument(`\`since\` time (${query.get('since')}) cannot be after \`until\` time (${query.get('until')})`);
  }
  const filters = parseFilters(query.get('filters'));
  const toNs = (s: number | undefined) => (s === undefined ? undefined : Math.round(s * 1e9));
  startStream(ctx.res, 'application/json');
  deps.eventListeners.count++;
  try {
    for await (const ev of deps.engine.events.subscribe({ since: toNs(sinceS), until: toNs(untilS) }, ctx.signal)) {
      if (eventMatches(filters, ev)) await write(ctx.res, JSON.stringify(eventJson(ev)) + '\n');
    }
  } finally {
    deps.eventListeners.count--;
  }
  ctx.res.end();
}

export const systemRoutes: Route[] = [
  { method: 'GET', path: '/_ping', handler: ping },
  { method: 'HEAD', path: '/_ping', handler: ping },
  { method: 'GET', path: '/version', handler: async (ctx) => sendJson(ctx.res, 200, versionJson(ctx.deps.daemon)) },
  { method: 'GET', path: '/info', handler: info },
  { method: 'GET', path: '/events', handler: events },
];

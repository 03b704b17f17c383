// Network endpoints: list, inspect, create, remove, connect, disconnect, prune.
import type { NetworkCreateOptions } from '../../engine/types.js';
import { invalidArgument, notFound } from '../../errors.js';
import { readJsonObject } from '../body.js';
import { parseFilters } from '../filters.js';
import { objectList } from '../container-network-spec.js';
import { compact, fields } from '../json-fields.js';
import { networkJson } from '../network-json.js';
import { sendEmpty, sendJson } from '../respond.js';
import type { RequestContext, Route } from '../types.js';

const networks = (ctx: RequestContext) => ctx.deps.engine.networks;

async function list(ctx: RequestContext): Promise<void> {
  const found = await networks(ctx).list(parseFilters(ctx.query.get('filters')).toRecord());
  sendJson(ctx.res, 200, found.map((n) => networkJson(n, false)));
}

async function inspect(ctx: RequestContext): Promise<void> {
  const scope = ctx.query.get('scope');
  const n = await networks(ctx).inspect(ctx.params.id);
  if (scope && scope !== n.scope) throw notFound(`network ${ctx.params.id} not found`);
  sendJson(ctx.res, 200, networkJson(n, true));
}

/** IPAM: driver, options and at most one {Subnet, Gateway, IPRange} (checked by the network service). */
function ipamOf(raw: Record<string, unknown>): NetworkCreateOptions['ipam'] {
  const ipam = fields(raw, 'NetworkCreateRequest').obj('IPAM');
  if (!ipam) return undefined;
  const config = objectList((raw.IPAM as Record<string, unknown>).Config, 'IPAM.Config');
  return {
    driver: ipam.str('Driver'),
    options: ipam.strMap('Options'),
    config: config.map((c) => compact({ subnet: c.str('Subnet'), gateway: c.str('Gateway'), ipRange: c.str('IPRange') })),
  };
}

async function create(ctx: RequestContext): Promise<void> {
  const raw = await readJsonObject(ctx);
  const body = fields(raw, 'NetworkCreateRequest');
  const name = body.str('Name');
  if (!name) throw invalidArgument('network name is required: Name');
  if (body.bool('Ingress')) throw invalidArgument('ingress networks need swarm mode, which berth does not support');
  if (raw.EnableIPv4 === false) throw invalidArgument('IPv4 cannot be disabled on a berth network');
  const { id, warning } = await networks(ctx).create({
    name,
    driver: body.str('Driver'),
    internal: body.bool('Internal'),
    attachable: body.bool('Attachable'),
    enableIPv6: body.bool('EnableIPv6'),
    labels: body.strMap('Labels'),
    options: body.strMap('Options'),
    ipam: ipamOf(raw),
  });
  sendJson(ctx.res, 201, { Id: id, Warning: warning });
}

async function remove(ctx: RequestContext): Promise<void> {
  await networks(ctx).remove(ctx.params.id);
  sendEmpty(ctx.res, 204);
}

async function connect(ctx: RequestContext): Promise<void> {
  const body = fields(await readJsonObject(ctx), 'NetworkConnectRequest');
  const container = body.str('Container');
  if (!container) throw invalidArgument('container is required: Container');
  const ep = body.obj('EndpointConfig');
  const ipv4Address = ep?.obj('IPAMConfig')?.str('IPv4Address');
  await networks(ctx).connect(ctx.params.id, container, { aliases: ep?.strList('Aliases') ?? [], ...(ipv4Address ? { ipv4Address } : {}) });
  sendEmpty(ctx.res, 200);
}

async function disconnect(ctx: RequestContext): Promise<void> {
  const body = fields(await readJsonObject(ctx), 'NetworkDisconnectRequest');
  const container = body.str('Container');
  if (!container) throw invalidArgument('container is required: Container');
  await networks(ctx).disconnect(ctx.params.id, container, body.bool('Force'));
  sendEmpty(ctx.res, 200);
}

async function prune(ctx: RequestContext): Promise<void> {
  const removed = await networks(ctx).prune(parseFilters(ctx.query.get('filters')).toRecord());
  sendJson(ctx.res, 200, { NetworksDeleted: removed });
}

export const networkRoutes: Route[] = [
  { method: 'GET', path: '/networks', handler: list },
  { method: 'POST', path: '/networks/create', handler: create },
  { method: 'POST', path: '/networks/prune', handler: prune },
  { method: 'GET', path: '/networks/{id}', handler: inspect },
  { method: 'DELETE', path: '/networks/{id}', handler: remove },
  { method: 'POST', path: '/networks/{id}/connect', handler: connect },
  { method: 'POST', path: '/networks/{id}/disconnect', handler: disconnect },
];

// `docker ps` filters over container records.
import type { Container, ContainerFilter } from '../engine/types.js';
import { invalidArgument } from '../errors.js';
import { matchesNetworkFilters, networkFilterKeys } from './network-filter.js';

const known = new Set(['id', 'name', 'label', 'status', 'ancestor', 'exited', 'before', 'since', ...networkFilterKeys]);
const statuses = new Set(['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead']);

/** Label filter "k" or "k=v" against a label map. */
export function matchesLabel(labels: Record<string, string>, filter: string): boolean {
  const eq = filter.indexOf('=');
  if (eq < 0) return filter in labels;
  return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}

export function filterContainers(
  all: Container[],
  filter: ContainerFilter,
  resolveContainer: (ref: string) => Container | undefined,
  imageMatches: (c: Container, ref: string) => boolean,
): Container[] {
  const f = filter.filters;
  for (const key of Object.keys(f)) if (!known.has(key)) throw invalidArgument(`invalid filter '${key}'`);
  for (const s of f.status ?? []) if (!statuses.has(s)) throw invalidArgument(`invalid filter 'status=${s}'`);
  const created = (ref: string) => {
    const c = resolveContainer(ref);
    if (!c) throw invalidArgument(`No such container: ${ref}`);
    return c.created;
  };
  const before = f.before?.map(created);
  const since = f.since?.map(created);
  const any = (values: string[] | undefined, pred: (v: string) => boolean) => !values || values.some(pred);
  const showAll = filter.all || (f.status?.length ?? 0) > 0 || (f.exited?.length ?? 0) > 0;
  let out = [...all]
    .sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0))
    .filter((c) => showAll || c.state.running)
    .filter((c) => any(f.id, (v) => c.id.startsWith(v)))
    .filter((c) => any(f.name, (v) => new RegExp(v).test(c.name)))
    .filter((c) => !f.label || f.label.every((l) => matchesLabel(c.spec.labels, l)))
    .filter((c) => any(f.status, (v) => c.state.status === v))
    .filter((c) => any(f.exited, (v) => c.state.status === 'exited' && c.state.exitCode === Number(v)))
    .filter((c) => any(f.ancestor, (v) => imageMatches(c, v)))
    .filter((c) => matchesNetworkFilters(c, f))
    .filter((c) => !before || before.every((t) => c.created < t))
    .filter((c) => !since || since.every((t) => c.created > t));
  if (filter.limit !== undefined && filter.limit > 0) out = out.slice(0, filter.limit);
  return out;
}

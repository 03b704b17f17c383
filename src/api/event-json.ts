// Engine events as Docker's events.Message, and Docker's event filters (daemon/events/filter.go).
import type { EngineEvent } from '../engine/types.js';
import { familiarRepository, parseReference } from '../image/reference.js';
import type { Filters } from './filters.js';

export function eventJson(ev: EngineEvent): Record<string, unknown> {
  // Docker still fills the deprecated status/id/from fields for container and image events.
  const legacy =
    ev.type === 'container'
      ? { status: ev.action, id: ev.actor.id, from: ev.actor.attributes.image }
      : ev.type === 'image'
        ? { status: ev.action, id: ev.actor.id }
        : {};
  return {
    ...legacy,
    Type: ev.type,
    Action: ev.action,
    Actor: { ID: ev.actor.id, Attributes: ev.actor.attributes },
    scope: ev.scope,
    time: Math.floor(ev.time / 1e9),
    timeNano: ev.time,
  };
}

/** "busybox:latest" → "busybox"; anything that is not a reference stays as it is. */
function stripTag(name: string): string {
  try {
    const ref = parseReference(name);
    return ref.digest ? name : familiarRepository(ref);
  } catch {
    return name;
  }
}

const named = ['container', 'daemon', 'network', 'volume', 'plugin', 'node', 'service', 'secret', 'config'];
// Docker matches these event names by prefix, since their actions carry a suffix ("exec_start: sh").
const prefixed = ['health_status', 'exec_create', 'exec_start'];

export function eventMatches(f: Filters, ev: EngineEvent): boolean {
  const attrs = ev.actor.attributes;
  const actionMatch = f.get('event').some((e) => prefixed.includes(e)) ? f.fuzzyMatch('event', ev.action) : f.exactMatch('event', ev.action);
  const imageName = attrs[ev.type === 'image' ? 'name' : 'image'] ?? '';
  return (
    actionMatch &&
    f.exactMatch('type', ev.type) &&
    f.exactMatch('scope', ev.scope) &&
    named.every((key) => f.fuzzyMatch(key, ev.actor.id) || f.fuzzyMatch(key, attrs.name ?? '')) &&
    [ev.actor.id, imageName, stripTag(ev.actor.id), stripTag(imageName)].some((s) => f.exactMatch('image', s)) &&
    f.matchKVList('label', attrs)
  );
}

// /networks...: list, inspect, create, remove, prune, connect and disconnect.
import type { NetworkResource } from './docker-types.js';
import type { Transport } from './transport.js';
import type { NetworkApi } from './types.js';

const at = (id: string, suffix = '') => `/networks/${encodeURIComponent(id)}${suffix}`;

export function networkApi(t: Transport): NetworkApi {
  const send = async (method: string, path: string, o: Parameters<Transport['request']>[2]) => {
    (await t.request(method, path, o)).resume();
  };
  return {
    list: ({ filters, signal } = {}) => t.json<NetworkResource[]>('GET', '/networks', { query: { filters }, signal }),
    inspect: (id, { signal } = {}) => t.json<NetworkResource>('GET', at(id), { signal }),
    create: (body, { signal } = {}) => t.json('POST', '/networks/create', { body, signal }),
    remove: (id, { signal } = {}) => send('DELETE', at(id), { signal }),
    prune: ({ filters, signal } = {}) => t.json('POST', '/networks/prune', { query: { filters }, signal }),
    connect: (id, container, endpoint = {}, { signal } = {}) =>
      send('POST', at(id, '/connect'), { body: { Container: container, EndpointConfig: endpoint }, signal }),
    disconnect: (id, container, { force, signal } = {}) =>
      send('POST', at(id, '/disconnect'), { body: { Container: container, Force: force ?? false }, signal }),
  };
}

// createClient: one object of functions per API group over one transport.
import { containerApi } from './containers.js';
import type { EventMessage, PingInfo, SystemInfo, SystemVersion } from './docker-types.js';
import { execApi } from './exec.js';
import { defaultHost, parseHost } from './host.js';
import { imageApi } from './images.js';
import { jsonValues } from './json-stream.js';
import { networkApi } from './networks.js';
import { registryApi } from './registry.js';
import { containerFilesApi, diskApi, volumeApi } from './storage.js';
import { createTransport } from './transport.js';
import type { Client, ClientOptions } from './types.js';

export const defaultApiVersion = '1.50';

export function createClient({ host = defaultHost, apiVersion = defaultApiVersion, userAgent = 'berth-client' }: ClientOptions = {}): Client {
  const t = createTransport(parseHost(host), { apiVersion, userAgent });
  return {
    host: t.url,
    apiVersion,
    containers: containerApi(t),
    images: imageApi(t),
    registry: registryApi(t),
    networks: networkApi(t),
    exec: execApi(t),
    volumes: volumeApi(t),
    files: containerFilesApi(t),
    disk: diskApi(t),
    async ping({ signal } = {}): Promise<PingInfo> {
      const res = await t.request('GET', '/_ping', { signal });
      res.resume();
      const h = (name: string) => String(res.headers[name] ?? '');
      return { apiVersion: h('api-version'), osType: h('ostype'), server: h('server'), builderVersion: h('builder-version') };
    },
    version: ({ signal } = {}) => t.json<SystemVersion>('GET', '/version', { signal }),
    info: ({ signal } = {}) => t.json<SystemInfo>('GET', '/info', { signal }),
    async events({ since, until, filters, signal } = {}) {
      return jsonValues<EventMessage>(await t.request('GET', '/events', { query: { since, until, filters }, signal }));
    },
    close: () => t.close(),
  };
}

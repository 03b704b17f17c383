// /volumes, /containers/{id}/archive|export|changes, /system/df and the prune endpoints.
import type { Readable } from 'node:stream';
import { readBody, type Transport } from './transport.js';
import type { ContainerFilesApi, ContainerPathStat, DiskApi, Volume, VolumeApi } from './storage-types.js';

const volumeAt = (name: string) => `/volumes/${encodeURIComponent(name)}`;
const containerAt = (id: string, suffix: string) => `/containers/${encodeURIComponent(id)}${suffix}`;

export function volumeApi(t: Transport): VolumeApi {
  return {
    create: (body, { signal } = {}) => t.json<Volume>('POST', '/volumes/create', { body, signal }),
    list: ({ filters, signal } = {}) => t.json('GET', '/volumes', { query: { filters }, signal }),
    inspect: (name, { signal } = {}) => t.json<Volume>('GET', volumeAt(name), { signal }),
    async remove(name, { force, signal } = {}) {
      (await t.request('DELETE', volumeAt(name), { query: { force }, signal })).resume();
    },
    prune: ({ filters, signal } = {}) => t.json('POST', '/volumes/prune', { query: { filters }, signal }),
  };
}

function decodeStat(header: string | string[] | undefined): ContainerPathStat {
  if (typeof header !== 'string') throw new Error('the daemon sent no X-Docker-Container-Path-Stat header');
  return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as ContainerPathStat;
}

export function containerFilesApi(t: Transport): ContainerFilesApi {
  return {
    async stat(container, path, { signal } = {}) {
      const res = await t.request('HEAD', containerAt(container, '/archive'), { query: { path }, signal });
      res.resume();
      return decodeStat(res.headers['x-docker-container-path-stat']);
    },
    async copyFrom(container, path, { signal } = {}) {
      const res = await t.request('GET', containerAt(container, '/archive'), { query: { path }, signal });
      return { stat: decodeStat(res.headers['x-docker-container-path-stat']), content: res };
    },
    async copyTo(container, path, content: Readable, { copyUIDGID, allowOverwriteDirWithFile, signal } = {}) {
      const query = { path, noOverwriteDirNonDir: !allowOverwriteDirWithFile, copyUIDGID };
      await readBody(await t.request('PUT', containerAt(container, '/archive'), { query, stream: content, signal }));
    },
    export: (container, { signal } = {}) => t.request('GET', containerAt(container, '/export'), { signal }),
    changes: (container, { signal } = {}) => t.json('GET', containerAt(container, '/changes'), { signal }),
  };
}

export function diskApi(t: Transport): DiskApi {
  return {
    usage: ({ signal } = {}) => t.json('GET', '/system/df', { signal }),
    pruneContainers: ({ filters, signal } = {}) => t.json('POST', '/containers/prune', { query: { filters }, signal }),
    pruneImages: ({ filters, signal } = {}) => t.json('POST', '/images/prune', { query: { filters }, signal }),
    pruneBuildCache: ({ filters, all, signal } = {}) => t.json('POST', '/build/prune', { query: { filters, all }, signal }),
  };
}

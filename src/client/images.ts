// /images/...: listing, inspection, tags, removal, import, load and save.
import type { ImageDeleteItem, ImageHistoryItem, ImageInspect, ImageSummary, JsonMessage } from './docker-types.js';
import { jsonValues } from './json-stream.js';
import type { Transport } from './transport.js';
import type { ImageApi } from './types.js';

const at = (name: string, suffix = '') => `/images/${encodeURIComponent(name)}${suffix}`;

export function imageApi(t: Transport): ImageApi {
  return {
    list: ({ all, digests, filters, signal } = {}) => t.json<ImageSummary[]>('GET', '/images/json', { query: { all, digests, filters }, signal }),
    inspect: (name, { signal } = {}) => t.json<ImageInspect>('GET', at(name, '/json'), { signal }),
    history: (name, { signal } = {}) => t.json<ImageHistoryItem[]>('GET', at(name, '/history'), { signal }),
    async tag(name, repo, tag, { signal } = {}) {
      (await t.request('POST', at(name, '/tag'), { query: { repo, tag }, signal })).resume();
    },
    remove: (name, { force, noPrune, signal } = {}) =>
      t.json<ImageDeleteItem[]>('DELETE', at(name), { query: { force, noprune: noPrune }, signal }),
    async import(source, { repo, tag, changes, message, platform, signal } = {}) {
      const fromUrl = source instanceof URL;
      const query = { fromSrc: fromUrl ? source.href : '-', repo, tag, changes, message, platform };
      const res = await t.request('POST', '/images/create', { query, ...(!fromUrl && { stream: source }), signal });
      return jsonValues<JsonMessage>(res);
    },
    async load(archive, { quiet, signal } = {}) {
      return jsonValues<JsonMessage>(await t.request('POST', '/images/load', { query: { quiet }, stream: archive, signal }));
    },
    save: (names, { signal } = {}) => t.request('GET', '/images/get', { query: { names }, signal }),
  };
}

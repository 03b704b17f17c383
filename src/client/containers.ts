// /containers/...: lifecycle, inspection, logs, attach and wait.
import type { ContainerCreateResponse, ContainerInspect, ContainerSummary, ContainerTopResponse, ContainerWaitResponse } from './docker-types.js';
import { readBody, type Transport } from './transport.js';
import type { ContainerApi } from './types.js';

const at = (id: string, suffix = '') => `/containers/${encodeURIComponent(id)}${suffix}`;

export function containerApi(t: Transport): ContainerApi {
  const post = async (path: string, o: Parameters<Transport['request']>[2] = {}) => {
    (await t.request('POST', path, o)).resume();
  };
  return {
    list: ({ all, limit, size, filters, signal } = {}) =>
      t.json<ContainerSummary[]>('GET', '/containers/json', { query: { all, limit, size, filters }, signal }),
    create: (body, { name, platform, signal } = {}) =>
      t.json<ContainerCreateResponse>('POST', '/containers/create', { query: { name, platform }, body, signal }),
    inspect: (id, { size, signal } = {}) => t.json<ContainerInspect>('GET', at(id, '/json'), { query: { size }, signal }),
    start: (id, { signal } = {}) => post(at(id, '/start'), { signal }),
    stop: (id, { stopSignal, timeout, signal } = {}) => post(at(id, '/stop'), { query: { signal: stopSignal, t: timeout }, signal }),
    restart: (id, { stopSignal, timeout, signal } = {}) =>
      post(at(id, '/restart'), { query: { signal: stopSignal, t: timeout }, signal }),
    kill: (id, { killSignal, signal } = {}) => post(at(id, '/kill'), { query: { signal: killSignal }, signal }),
    remove: async (id, { force, volumes, signal } = {}) => {
      (await t.request('DELETE', at(id), { query: { force, v: volumes }, signal })).resume();
    },
    rename: (id, name, { signal } = {}) => post(at(id, '/rename'), { query: { name }, signal }),
    top: (id, { psArgs, signal } = {}) => t.json<ContainerTopResponse>('GET', at(id, '/top'), { query: { ps_args: psArgs }, signal }),
    resize: (id, { height, width }, { signal } = {}) => post(at(id, '/resize'), { query: { h: height, w: width }, signal }),
    async wait(id, { condition, signal } = {}) {
      const res = await t.request('POST', at(id, '/wait'), { query: { condition }, signal });
      const result = readBody(res).then((text) => JSON.parse(text) as ContainerWaitResponse);
      // The caller may never look at the result (run -d style flows); never leave an unhandled rejection behind.
      result.catch(() => {});
      return { result };
    },
    logs: (id, { follow, stdout = true, stderr = true, since, until, timestamps, tail, details, signal } = {}) =>
      t.request('GET', at(id, '/logs'), { query: { follow, stdout, stderr, since, until, timestamps, tail, details }, signal }),
    attach: (id, { stream = true, logs, stdin, stdout, stderr, detachKeys, signal } = {}) =>
      t.hijack('POST', at(id, '/attach'), { query: { stream, logs, stdin, stdout, stderr, detachKeys }, signal }),
    commit: (id, { repo, tag, comment, author, changes, signal } = {}) =>
      t.json<{ Id: string }>('POST', '/commit', { query: { container: id, repo, tag, comment, author, changes }, signal }),
  };
}

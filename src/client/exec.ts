// /containers/{id}/exec and /exec/{id}/...: processes started in a running container.
import type { ExecInspect } from './docker-types.js';
import type { Transport } from './transport.js';
import type { ExecApi } from './types.js';

const at = (id: string, suffix: string) => `/exec/${encodeURIComponent(id)}${suffix}`;

export function execApi(t: Transport): ExecApi {
  return {
    create: (containerId, config, { signal } = {}) =>
      t.json<{ Id: string }>('POST', `/containers/${encodeURIComponent(containerId)}/exec`, { body: config, signal }),
    start: (execId, { tty = false, consoleSize, signal } = {}) =>
      t.hijack('POST', at(execId, '/start'), {
        body: { Detach: false, Tty: tty, ...(consoleSize && { ConsoleSize: [consoleSize.height, consoleSize.width] }) },
        signal,
      }),
    async startDetached(execId, { signal } = {}) {
      (await t.request('POST', at(execId, '/start'), { body: { Detach: true, Tty: false }, signal })).resume();
    },
    async resize(execId, { height, width }, { signal } = {}) {
      (await t.request('POST', at(execId, '/resize'), { query: { h: height, w: width }, signal })).resume();
    },
    inspect: (execId, { signal } = {}) => t.json<ExecInspect>('GET', at(execId, '/json'), { signal }),
  };
}

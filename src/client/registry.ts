// Registries through the daemon: pull (/images/create?fromImage=), push (/images/{name}/push), login (/auth).
// Credentials travel in the X-Registry-Auth header, base64url JSON, as the docker CLI sends them.
import type { JsonMessage } from './docker-types.js';
import { jsonValues } from './json-stream.js';
import type { Transport } from './transport.js';
import type { RegistryApi, RegistryAuth } from './types.js';

/** Docker's X-Registry-Auth value; "{}" (anonymous) when no credentials are given. */
export function encodeRegistryAuth(auth: RegistryAuth | undefined): string {
  return Buffer.from(JSON.stringify(auth ?? {})).toString('base64url');
}

/** name[:tag|@digest] as Docker's client splits it for /images/create: fromImage=name, tag=tag or digest. */
function splitForPull(ref: string): { fromImage: string; tag?: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { fromImage: ref, tag: 'latest' };
}

export function registryApi(t: Transport): RegistryApi {
  const authHeader = (auth: RegistryAuth | undefined) => ({ 'X-Registry-Auth': encodeRegistryAuth(auth) });
  return {
    async pull(ref, { auth, platform, signal } = {}) {
      const res = await t.request('POST', '/images/create', { query: { ...splitForPull(ref), platform }, headers: authHeader(auth), signal });
      return jsonValues<JsonMessage>(res);
    },
    async push(ref, { auth, signal } = {}) {
      const at = ref.indexOf('@');
      const colon = ref.lastIndexOf(':');
      const tagged = at < 0 && colon > ref.lastIndexOf('/');
      const name = tagged ? ref.slice(0, colon) : ref;
      const query = { tag: tagged ? ref.slice(colon + 1) : undefined };
      const res = await t.request('POST', `/images/${encodeURIComponent(name)}/push`, { query, headers: authHeader(auth), signal });
      return jsonValues<JsonMessage>(res);
    },
    login: (auth, { signal } = {}) => t.json('POST', '/auth', { body: auth, signal }),
  };
}

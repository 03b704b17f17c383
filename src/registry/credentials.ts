// Credentials kept the way the docker CLI keeps them: `{"auths": {"host:port": {"auth": base64(user:pass)}}}`
// (Docker Hub under "https://index.docker.io/v1/"), written atomically with mode 0600; other fields are kept.
import { readFile } from 'node:fs/promises';
import { invalidArgument, isErrno } from '../errors.js';
import { atomicWrite } from '../util/atomic-write.js';
import type { AuthConfig, CredentialStore } from './types.js';

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  [extra: string]: unknown;
}

interface ConfigFile {
  auths?: Record<string, AuthEntry>;
  [extra: string]: unknown;
}

const dockerHubKey = 'https://index.docker.io/v1/';
const dockerHubNames = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** The registry domain a config key or server address names: "https://index.docker.io/v1/" → "docker.io". */
export function credentialDomain(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0].toLowerCase();
  return dockerHubNames.has(host) ? 'docker.io' : host;
}

function decode(entry: AuthEntry): AuthConfig | undefined {
  const out: AuthConfig = {};
  if (entry.auth) {
    const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon < 0) return undefined;
    out.username = plain.slice(0, colon);
    out.password = plain.slice(colon + 1);
  } else if (entry.username) {
    out.username = entry.username;
    out.password = entry.password;
  }
  if (entry.identitytoken) out.identityToken = entry.identitytoken;
  if (entry.registrytoken) out.registryToken = entry.registrytoken;
  return out.username || out.identityToken || out.registryToken ? out : undefined;
}

function encode(auth: AuthConfig): AuthEntry {
  const entry: AuthEntry = {};
  if (auth.username) entry.auth = Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64');
  if (auth.identityToken) entry.identitytoken = auth.identityToken;
  if (auth.registryToken) entry.registrytoken = auth.registryToken;
  return entry;
}

export function createCredentialStore(file: string): CredentialStore {
  /** Writes of this store run one after another so that none is lost. */
  let queue: Promise<unknown> = Promise.resolve();

  async function load(): Promise<ConfigFile> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return {};
      throw err;
    }
    if (!text.trim()) return {};
    try {
      const parsed = JSON.parse(text) as ConfigFile;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return parsed;
    } catch (err) {
      throw invalidArgument(`${file}: invalid credentials file: ${(err as Error).message}`);
    }
  }

  /** Applies change to the file's content and writes it back when change says it changed something. */
  function update(change: (config: ConfigFile) => boolean): Promise<boolean> {
    const run = queue.then(async () => {
      const config = await load();
      const changed = change(config);
      if (changed) await atomicWrite(file, JSON.stringify(config, null, '\t') + '\n', 0o600);
      return changed;
    });
    queue = run.catch(() => undefined);
    return run;
  }

  /** Removes every key that names domain; true when there was one. */
  const drop = (auths: Record<string, AuthEntry>, domain: string): boolean => {
    const keys = Object.keys(auths).filter((k) => credentialDomain(k) === domain);
    for (const k of keys) delete auths[k];
    return keys.length > 0;
  };

  return {
    async get(domain) {
      const wanted = credentialDomain(domain);
      const auths = (await load()).auths ?? {};
      const key = Object.keys(auths).find((k) => credentialDomain(k) === wanted);
      return key ? decode(auths[key]) : undefined;
    },
    async set(domain, auth) {
      const wanted = credentialDomain(domain);
      await update((config) => {
        const auths = (config.auths ??= {});
        drop(auths, wanted);
        auths[wanted === 'docker.io' ? dockerHubKey : wanted] = encode(auth);
        return true;
      });
    },
    remove(domain) {
      return update((config) => drop(config.auths ?? {}, credentialDomain(domain)));
    },
    async list() {
      return [...new Set(Object.keys((await load()).auths ?? {}).map(credentialDomain))];
    },
  };
}

// Where `berth login` keeps credentials: $BERTH_CONFIG/config.json, else ~/.berth/config.json, in the docker CLI's
// config.json format ({"auths": {"host:port": {"auth": base64(user:pass)}}}); pull and push send them along.
import { homedir } from 'node:os';
import path from 'node:path';
import type { RegistryAuth } from '../client/index.js';
import { parseReference } from '../image/reference.js';
import { createCredentialStore } from '../registry/credentials.js';
import type { CredentialStore } from '../registry/types.js';

/** Docker Hub's key in config.json, and the server `berth login` talks to when none is named. */
export const dockerHubServer = 'https://index.docker.io/v1/';

export function credentialsFile(env: Record<string, string | undefined>): string {
  return path.join(env.BERTH_CONFIG || path.join(env.HOME || homedir(), '.berth'), 'config.json');
}

export const cliCredentials = (env: Record<string, string | undefined>): CredentialStore => createCredentialStore(credentialsFile(env));

/** The registry domain an image reference lives on: "busybox" → "docker.io", "127.0.0.1:5000/x" → "127.0.0.1:5000". */
export const registryOf = (ref: string): string => parseReference(ref).domain;

/** What the daemon should present to the registry of ref: the stored login, or nothing (anonymous). */
export async function authFor(store: CredentialStore, ref: string): Promise<RegistryAuth | undefined> {
  const domain = registryOf(ref);
  const auth = await store.get(domain);
  if (!auth) return undefined;
  return {
    username: auth.username,
    password: auth.password,
    identitytoken: auth.identityToken,
    registrytoken: auth.registryToken,
    serveraddress: domain === 'docker.io' ? dockerHubServer : domain,
  };
}

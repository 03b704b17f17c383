// `docker login`: the credentials are checked against the registry's /v2/ (through its token server when it
// has one) and, when a store is given, kept for later pulls and pushes.
import { invalidArgument } from '../errors.js';
import { credentialDomain } from './credentials.js';
import type { AuthConfig, CredentialStore, RegistryClient } from './types.js';

export interface LoginResult {
  /** The registry domain the credentials belong to ("docker.io", "127.0.0.1:5000"). */
  domain: string;
  status: 'Login Succeeded';
}

/** serverAddress: "127.0.0.1:5000", "https://index.docker.io/v1/", ... (empty means Docker Hub). */
export async function login(
  deps: { client: RegistryClient; store?: CredentialStore },
  serverAddress: string,
  auth: AuthConfig,
  signal?: AbortSignal,
): Promise<LoginResult> {
  if (!auth.username && !auth.identityToken) throw invalidArgument('login: a username is required');
  const domain = credentialDomain(serverAddress || 'docker.io');
  if (!domain) throw invalidArgument(`login: invalid server address ${JSON.stringify(serverAddress)}`);
  await deps.client.ping(domain, auth, signal);
  await deps.store?.set(domain, auth);
  return { domain, status: 'Login Succeeded' };
}

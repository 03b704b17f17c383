// Registry contracts: the OCI distribution client, where registries live (hosts, mirrors), who we are (auth).
import type { Readable } from 'node:stream';
import type { Digest } from '../content/types.js';

/** Credentials for one registry, as `docker login` or X-Registry-Auth gives them. */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (Docker's identitytoken); sent instead of the password to a token server. */
  identityToken?: string;
  /** A bearer token used as is. */
  registryToken?: string;
}

/** Where registry settings come from (daemon.json). */
export interface RegistryHostsConfig {
  /** daemon.json "insecure-registries": "host", "host:port" or CIDRs ("10.0.0.0/8"); loopback is always insecure. */
  insecureRegistries?: string[];
  /** daemon.json "registry-mirrors": mirrors of Docker Hub, tried in order before it ("https://mirror.example"). */
  registryMirrors?: string[];
  /** daemon.json "registry-mirror-map": mirrors of any registry, keyed by its domain ("quay.io": ["https://m.example"]). */
  mirrorMap?: Record<string, string[]>;
}

/** One place a repository can be reached. */
export interface Endpoint {
  /** Base URL without trailing slash; requests go to `${url}/v2/...` ("https://registry-1.docker.io"). */
  url: string;
  /** The registry domain the endpoint serves ("docker.io"), used to look up credentials. */
  domain: string;
  mirror: boolean;
}

export interface RegistryHosts {
  /** Endpoints to pull domain from: mirrors first, the origin last. Pushes use the origin only. */
  pullEndpoints(domain: string): Endpoint[];
  origin(domain: string): Endpoint;
  isInsecure(hostPort: string): boolean;
}

export interface Authorizer {
  /** The Authorization header to send to url for the given scopes, if one is known without a 401 first. */
  authorization(url: URL, scopes: string[], auth: AuthConfig | undefined, signal?: AbortSignal): Promise<string | undefined>;
  /**
   * Learns from a 401 response (its WWW-Authenticate challenge) and drops the token it refused. True when a
   * retry may succeed. Throws unauthorized when the token server refuses the credentials.
   */
  challenged(url: URL, res: { headers: Headers }, scopes: string[], auth: AuthConfig | undefined): boolean;
}

export interface ManifestResponse {
  bytes: Buffer;
  mediaType: string;
  digest: Digest;
}

export interface BlobUpload {
  digest: Digest;
  size: number;
}

export interface UploadOptions {
  signal?: AbortSignal;
  onProgress?: (bytes: number) => void;
  /** Send PATCH requests of at most this many bytes instead of one streaming request. */
  chunkSize?: number;
}

/** One repository on one registry (the OCI distribution API of it). */
export interface RepositoryClient {
  /** "127.0.0.1:5000/x" (domain + path) for messages. */
  readonly name: string;
  /** The endpoint that answered last. */
  readonly endpoint: Endpoint;
  /** tagOrDigest: a tag or "sha256:..."; verified against the digest when the reference is one. */
  getManifest(tagOrDigest: string, signal?: AbortSignal): Promise<ManifestResponse>;
  headManifest(tagOrDigest: string, signal?: AbortSignal): Promise<{ digest: Digest; size: number; mediaType: string } | undefined>;
  putManifest(tagOrDigest: string, bytes: Buffer, mediaType: string, signal?: AbortSignal): Promise<Digest>;
  /**
   * The blob's bytes as a stream checked against digest (and size when >= 0) while flowing; a dropped
   * connection resumes with a Range request. The stream errors instead of ending when the content is wrong.
   * opts.verify false: the digest is left to the reader, who checks it anyway (the size is still checked).
   */
  getBlob(digest: Digest, size: number, signal?: AbortSignal, opts?: { verify?: boolean }): Promise<{ stream: Readable; size: number }>;
  /** Size when the repository has the blob, undefined otherwise. */
  headBlob(digest: Digest, signal?: AbortSignal): Promise<number | undefined>;
  /** Cross-repository mount from another repository path on the same registry; false when the registry declined. */
  mountBlob(digest: Digest, fromPath: string, signal?: AbortSignal): Promise<boolean>;
  /** Uploads stream; the digest (and size) are checked when expected.digest is given, computed otherwise. */
  uploadBlob(stream: Readable, expected: { digest?: Digest; size?: number }, opts?: UploadOptions): Promise<BlobUpload>;
  listTags(signal?: AbortSignal): Promise<string[]>;
}

export interface RegistryClient {
  /** push: also asks for push rights (scope pull,push) and talks to the origin only. */
  repository(domain: string, path: string, opts?: { push?: boolean; auth?: AuthConfig }): RepositoryClient;
  /** GET /v2/ on the origin, authenticating with auth; unauthorized when the registry refuses it. */
  ping(domain: string, auth?: AuthConfig, signal?: AbortSignal): Promise<void>;
}

/** A message of Docker's JSON progress stream (what `docker pull` renders). */
export interface ProgressMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: Record<string, unknown>;
  error?: string;
  errorDetail?: { message: string };
}

export interface CredentialStore {
  get(domain: string): Promise<AuthConfig | undefined>;
  set(domain: string, auth: AuthConfig): Promise<void>;
  remove(domain: string): Promise<boolean>;
  /** Domains with stored credentials. */
  list(): Promise<string[]>;
}

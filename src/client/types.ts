// The Docker Engine API client contract: typed methods returning parsed JSON, streams and hijacked sockets.
// Used by the `berth` CLI and by `berth compose`; it speaks HTTP to any daemon serving the API (berthd, dockerd).
import type { Duplex, Readable } from 'node:stream';
import type {
  ContainerCreateBody, ContainerCreateResponse, ContainerInspect, ContainerSummary, ContainerTopResponse,
  ContainerWaitResponse, EndpointSettings, EventMessage, ExecConfig, ExecInspect, Filters, ImageDeleteItem,
  ImageHistoryItem, ImageInspect, ImageSummary, JsonMessage, NetworkCreateBody, NetworkResource, PingInfo,
  SystemInfo, SystemVersion,
} from './docker-types.js';
import type { ContainerFilesApi, DiskApi, VolumeApi } from './storage-types.js';

export interface ClientOptions {
  /** unix:///path or tcp://host:port; default unix:///run/berth/berth.sock. */
  host?: string;
  /** Engine API version put in request paths; default 1.50. */
  apiVersion?: string;
  userAgent?: string;
}

export interface Call {
  signal?: AbortSignal;
}

export interface TtySize {
  height: number;
  width: number;
}

export interface ListContainersOptions extends Call {
  all?: boolean;
  /** Only the n most recently created (any state). */
  limit?: number;
  size?: boolean;
  filters?: Filters;
}

export interface StopOptions extends Call {
  /** The signal to send first; undefined: the container's StopSignal. */
  stopSignal?: string;
  /** Seconds before SIGKILL; undefined: the container's own. */
  timeout?: number;
}

export interface RemoveContainerOptions extends Call {
  force?: boolean;
  volumes?: boolean;
}

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

/** A wait the daemon has registered: `result` settles when the condition is met. */
export interface WaitHandle {
  result: Promise<ContainerWaitResponse>;
}

export interface LogsOptions extends Call {
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  /** Unix seconds (with fraction) as a string, as docker sends it. */
  since?: string;
  until?: string;
  timestamps?: boolean;
  /** "all" or a number of lines. */
  tail?: string;
  details?: boolean;
}

export interface AttachOptions extends Call {
  stream?: boolean;
  logs?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  detachKeys?: string;
}

export interface ContainerApi {
  list(opts?: ListContainersOptions): Promise<ContainerSummary[]>;
  create(body: ContainerCreateBody, opts?: Call & { name?: string; platform?: string }): Promise<ContainerCreateResponse>;
  inspect(id: string, opts?: Call & { size?: boolean }): Promise<ContainerInspect>;
  start(id: string, opts?: Call): Promise<void>;
  stop(id: string, opts?: StopOptions): Promise<void>;
  restart(id: string, opts?: StopOptions): Promise<void>;
  kill(id: string, opts?: Call & { killSignal?: string }): Promise<void>;
  remove(id: string, opts?: RemoveContainerOptions): Promise<void>;
  rename(id: string, name: string, opts?: Call): Promise<void>;
  top(id: string, opts?: Call & { psArgs?: string }): Promise<ContainerTopResponse>;
  resize(id: string, size: TtySize, opts?: Call): Promise<void>;
  /** Resolves once the daemon has registered the wait (headers received), before the container exits. */
  wait(id: string, opts?: Call & { condition?: WaitCondition }): Promise<WaitHandle>;
  /** The raw log stream: multiplexed frames unless the container has a TTY. */
  logs(id: string, opts?: LogsOptions): Promise<Readable>;
  /** A hijacked connection: write stdin to it, read (multiplexed unless TTY) output from it. */
  attach(id: string, opts?: AttachOptions): Promise<Duplex>;
  /** A new image of the container's changes; changes are Dockerfile instructions (CMD, ENV, ...). */
  commit(id: string, opts?: Call & { repo?: string; tag?: string; comment?: string; author?: string; changes?: string[] }): Promise<{ Id: string }>;
}

export interface ExecApi {
  create(containerId: string, config: ExecConfig, opts?: Call): Promise<{ Id: string }>;
  /** Starts attached: a hijacked connection like attach's. */
  start(execId: string, opts?: Call & { tty?: boolean; consoleSize?: TtySize }): Promise<Duplex>;
  startDetached(execId: string, opts?: Call): Promise<void>;
  resize(execId: string, size: TtySize, opts?: Call): Promise<void>;
  inspect(execId: string, opts?: Call): Promise<ExecInspect>;
}

export interface ImportOptions extends Call {
  /** repository[:tag] to give the image. */
  repo?: string;
  tag?: string;
  /** Dockerfile instructions: CMD, ENTRYPOINT, ENV, EXPOSE, ONBUILD, USER, VOLUME, WORKDIR. */
  changes?: string[];
  message?: string;
  platform?: string;
}

export interface ImageApi {
  list(opts?: Call & { all?: boolean; digests?: boolean; filters?: Filters }): Promise<ImageSummary[]>;
  inspect(name: string, opts?: Call): Promise<ImageInspect>;
  history(name: string, opts?: Call): Promise<ImageHistoryItem[]>;
  tag(name: string, repo: string, tag?: string, opts?: Call): Promise<void>;
  remove(name: string, opts?: Call & { force?: boolean; noPrune?: boolean }): Promise<ImageDeleteItem[]>;
  /** Imports a root filesystem tar (a stream, or a URL the daemon fetches); progress messages as they come. */
  import(source: Readable | URL, opts?: ImportOptions): Promise<AsyncIterable<JsonMessage>>;
  /** Loads a docker-archive or OCI archive tar. */
  load(archive: Readable, opts?: Call & { quiet?: boolean }): Promise<AsyncIterable<JsonMessage>>;
  /** The archive (tar) of the named images. */
  save(names: string[], opts?: Call): Promise<Readable>;
}

/** Docker's AuthConfig as X-Registry-Auth and POST /auth carry it. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  serveraddress?: string;
}

export interface RegistryApi {
  /** ref: name[:tag|@digest]; progress messages as they come (an error message ends them). */
  pull(ref: string, opts?: Call & { auth?: RegistryAuth; platform?: string }): Promise<AsyncIterable<JsonMessage>>;
  push(ref: string, opts?: Call & { auth?: RegistryAuth }): Promise<AsyncIterable<JsonMessage>>;
  /** Checks credentials with the registry (auth.serveraddress; empty: Docker Hub). */
  login(auth: RegistryAuth, opts?: Call): Promise<{ Status: string; IdentityToken?: string }>;
}

export interface NetworkApi {
  list(opts?: Call & { filters?: Filters }): Promise<NetworkResource[]>;
  inspect(id: string, opts?: Call): Promise<NetworkResource>;
  create(body: NetworkCreateBody, opts?: Call): Promise<{ Id: string; Warning?: string }>;
  remove(id: string, opts?: Call): Promise<void>;
  prune(opts?: Call & { filters?: Filters }): Promise<{ NetworksDeleted: string[] | null }>;
  connect(id: string, container: string, endpoint?: EndpointSettings, opts?: Call): Promise<void>;
  disconnect(id: string, container: string, opts?: Call & { force?: boolean }): Promise<void>;
}

export interface EventsOptions extends Call {
  since?: string;
  until?: string;
  filters?: Filters;
}

export interface Client {
  /** The daemon address in use. */
  readonly host: string;
  /** The Engine API version in request paths. */
  readonly apiVersion: string;
  readonly containers: ContainerApi;
  readonly images: ImageApi;
  readonly registry: RegistryApi;
  readonly networks: NetworkApi;
  readonly exec: ExecApi;
  readonly volumes: VolumeApi;
  /** A container's files: docker cp, export, diff. */
  readonly files: ContainerFilesApi;
  /** docker system df and the prune endpoints of containers, images and the build cache. */
  readonly disk: DiskApi;
  ping(opts?: Call): Promise<PingInfo>;
  version(opts?: Call): Promise<SystemVersion>;
  info(opts?: Call): Promise<SystemInfo>;
  events(opts?: EventsOptions): Promise<AsyncIterable<EventMessage>>;
  /** Releases idle connections so the process can exit. */
  close(): void;
}

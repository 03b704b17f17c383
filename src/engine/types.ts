// The engine contract: what every edge (Docker API, CLI in-process, later CRI) calls. No HTTP, no Docker JSON.
import type { Readable, Writable } from 'node:stream';
import type { Attachment, ExitStatus, StreamName } from '../runtime/types.js';
import type { ContainerNetworkSpec, ContainerNetworkState, NetworkEngine } from './network-types.js';
import type { Platform } from '../content/types.js';
import type { AuthConfig, ProgressMessage } from '../registry/types.js';
import type { BerthMount, MountConfig, Volume, VolumeService } from '../volume/types.js';
import type { Change, ContainerArchive, PathStat } from '../fs/types.js';

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface RestartPolicy {
  name: 'no' | 'always' | 'unless-stopped' | 'on-failure';
  maximumRetryCount: number;
}

export interface HostOptions {
  autoRemove: boolean;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  readonlyRootfs: boolean;
  restartPolicy: RestartPolicy;
  /** Host-side init (not yet used) and other limits arrive with later issues. */
  shmSize?: number;
  /** Initial terminal size for tty containers (HostConfig.ConsoleSize), before the client's first resize. */
  consoleSize?: { height: number; width: number }; // needed by api
  /** HostConfig.Binds: "name:/ctr[:mode]", "/host:/ctr[:mode]", "/ctr". */
  binds?: string[];
  /** HostConfig.Mounts (Docker's mount.Mount objects). */
  mounts?: MountConfig[];
  /** HostConfig.Tmpfs: container path → options ("rw,size=64m"). */
  tmpfs?: Record<string, string>;
  /** HostConfig.VolumesFrom: "container[:ro|rw]". */
  volumesFrom?: string[];
  volumeDriver?: string;
}

/** What a caller asks for when creating a container. Fields left undefined come from the image. */
export interface ContainerSpec {
  name?: string;
  image: string;
  cmd?: string[];
  /** undefined: the image's; []: none. */
  entrypoint?: string[];
  env: string[];
  workingDir?: string;
  user?: string;
  hostname?: string;
  domainname?: string;
  tty: boolean;
  openStdin: boolean;
  stdinOnce: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  labels: Record<string, string>;
  stopSignal?: string;
  /** Seconds; undefined means 10. */
  stopTimeout?: number;
  exposedPorts: string[];
  /** Networks, published ports, DNS and hosts entries; undefined: the default bridge. */
  network?: ContainerNetworkSpec;
  /** Config.Volumes: container paths that get anonymous volumes (the image's VOLUME entries are added). */
  volumes?: string[];
  host: HostOptions;
}

export interface ContainerState {
  status: ContainerStatus;
  running: boolean;
  paused: boolean;
  restarting: boolean;
  oomKilled: boolean;
  dead: boolean;
  pid: number;
  exitCode: number;
  error: string;
  startedAt: string; // RFC 3339, "0001-01-01T00:00:00Z" when never
  finishedAt: string;
}

/** A container as the engine knows it; the spec is resolved against the image (cmd, env, ...). */
export interface Container {
  id: string;
  name: string;
  created: string;
  imageRef: string; // as the user gave it
  imageId: string; // sha256:...
  spec: ContainerSpec;
  /** The process berth runs: entrypoint + cmd, with the image's defaults applied. */
  path: string;
  args: string[];
  env: string[];
  workingDir: string;
  /** The user the process runs as ("" for the image's default, root). */
  user: string;
  state: ContainerState;
  restartCount: number;
  logPath: string;
  hostnamePath: string;
  hostsPath: string;
  resolvConfPath: string;
  /** Root filesystem mount point while the container has one. */
  rootfs: string;
  execIds: string[];
  /** Set while the container runs with its networking set up. */
  network?: ContainerNetworkState;
  /** Everything mounted into the container (volumes named), resolved at create; absent in older records. */
  mounts?: BerthMount[];
}

export interface ContainerFilter {
  all: boolean;
  limit?: number;
  /** Docker filter names: id, name, label, status, ancestor, exited, before, since. */
  filters: Record<string, string[]>;
}

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface LogOptions {
  follow: boolean;
  stdout: boolean;
  stderr: boolean;
  /** Unix seconds (fractional); 0 for all. */
  since: number;
  until: number;
  timestamps: boolean;
  /** Number of lines from the end; undefined for all. */
  tail?: number;
}

export interface LogLine {
  stream: StreamName;
  time: Date;
  data: Buffer;
}

export interface ExecSpec {
  cmd: string[];
  env: string[];
  user?: string;
  workingDir?: string;
  tty: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  privileged: boolean;
  /** Key sequence that detaches a TTY client (Docker's DetachKeys, "ctrl-p,ctrl-q" when unset). */
  detachKeys?: string; // needed by api
}

export interface ExecInfo {
  id: string;
  containerId: string;
  spec: ExecSpec;
  running: boolean;
  exitCode: number | null;
  pid: number;
}

export interface Top {
  titles: string[];
  processes: string[][];
}

export interface ContainerEngine {
  create(spec: ContainerSpec): Promise<{ id: string; warnings: string[] }>;
  /** By full id, unique id prefix or name (with or without leading "/"). */
  get(ref: string): Promise<Container>;
  list(filter: ContainerFilter): Promise<Container[]>;
  start(ref: string): Promise<void>;
  /** Signal (stopSignal by default), then SIGKILL after timeout seconds. */
  stop(ref: string, opts: { timeout?: number; signal?: string }): Promise<void>;
  kill(ref: string, signal?: string): Promise<void>;
  restart(ref: string, opts: { timeout?: number; signal?: string }): Promise<void>;
  /** Resolves with the exit code; signal aborts. ready is called once the wait is registered. */
  wait(ref: string, condition: WaitCondition, signal?: AbortSignal): Promise<ExitStatus>;
  remove(ref: string, opts: { force: boolean; volumes: boolean }): Promise<void>;
  rename(ref: string, newName: string): Promise<void>;
  attach(ref: string): Promise<Attachment>;
  resize(ref: string, height: number, width: number): Promise<void>;
  logs(ref: string, opts: LogOptions, signal?: AbortSignal): AsyncIterable<LogLine>;
  top(ref: string, psArgs?: string): Promise<Top>;
  execCreate(ref: string, spec: ExecSpec): Promise<string>;
  execStart(execId: string, opts: { tty: boolean }): Promise<{ attachment: Attachment; exited: Promise<ExitStatus> }>;
  execResize(execId: string, height: number, width: number): Promise<void>;
  execInspect(execId: string): Promise<ExecInfo>;
  /** HEAD /containers/{id}/archive: a path of the container, resolved inside its root. */
  statPath(ref: string, path: string): Promise<PathStat>;
  /** GET /containers/{id}/archive: the path as a tar, Docker's naming rules. */
  getArchive(ref: string, path: string, signal?: AbortSignal): Promise<ContainerArchive>;
  /** PUT /containers/{id}/archive: unpacks a tar into a directory of the container. */
  putArchive(ref: string, path: string, archive: Readable, opts: PutArchiveOptions): Promise<void>;
  /** The container's root filesystem (without volumes) as a tar. */
  export(ref: string, signal?: AbortSignal): Promise<Readable>;
  /** Changes of the container's writable layer against its image (docker diff). */
  changes(ref: string): Promise<Change[]>;
  /** Removes stopped containers matching filters (until, label, label!). */
  prune(filters: Record<string, string[]>): Promise<{ deleted: string[]; spaceReclaimed: number }>;
  /** `docker commit`: a new image of the container's image plus one layer of its filesystem changes. */
  commit(ref: string, opts: CommitOptions): Promise<{ id: string }>;
}

export interface PutArchiveOptions {
  noOverwriteDirNonDir: boolean;
  /** Own the files by the container's user instead of the archive's ids. */
  copyUIDGID: boolean;
  signal?: AbortSignal;
}

export interface CommitOptions {
  /** repo:tag naming the new image; untagged when undefined. */
  ref?: string;
  comment?: string;
  author?: string;
  /** Dockerfile instructions applied to the container's config (CMD, ENV, ...). */
  changes: string[];
  /** Config fields that win over the container's (the body of Docker's POST /commit). */
  config?: OciImageConfig;
}

export interface ImageConfigChanges {
  /** Dockerfile instructions applied to the config: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL. */
  changes: string[];
}

/** Image as listed and inspected. config is the OCI image config JSON. */
export interface ImageInfo {
  id: string; // sha256:<config digest hex>
  repoTags: string[];
  repoDigests: string[];
  parent: string;
  comment: string;
  created: string;
  author: string;
  architecture: string;
  os: string;
  variant?: string;
  size: number;
  config: OciImageConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  labels: Record<string, string>;
}

/** The `config` object of an OCI image config. */
export interface OciImageConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ArgsEscaped?: boolean;
  Healthcheck?: unknown;
  Shell?: string[];
  OnBuild?: string[] | null;
}

export interface HistoryEntry {
  id: string;
  created: number; // unix seconds
  createdBy: string;
  tags: string[];
  size: number;
  comment: string;
}

export interface ImageDeleteResult {
  untagged?: string;
  deleted?: string;
}

export interface ImageEngine {
  list(opts: { all: boolean; filters: Record<string, string[]> }): Promise<ImageInfo[]>;
  /** By reference (normalised), full or short id, or digest reference. */
  inspect(ref: string): Promise<ImageInfo>;
  history(ref: string): Promise<HistoryEntry[]>;
  tag(source: string, target: string): Promise<void>;
  remove(ref: string, opts: { force: boolean; noPrune: boolean }): Promise<ImageDeleteResult[]>;
  /** A root filesystem tarball becomes a one-layer image. */
  importRootfs(tar: Readable, opts: { ref?: string; message?: string } & ImageConfigChanges): Promise<ImageInfo>;
  /** docker-archive or OCI archive; returns the loaded references (or ids when untagged). */
  load(tar: Readable): Promise<string[]>;
  /** Writes a docker-archive (with OCI layout files too) holding the named images. */
  save(refs: string[], out: Writable): Promise<void>;
}

export interface EngineEvent {
  type: 'container' | 'image' | 'network' | 'volume' | 'daemon';
  action: string;
  actor: { id: string; attributes: Record<string, string> };
  scope: 'local';
  time: number; // unix nanoseconds
}

export interface EventBus {
  publish(ev: Omit<EngineEvent, 'time' | 'scope'>): void;
  /** Past events since `since` (unix ns) replayed first, then live ones until signal aborts. */
  subscribe(opts: { since?: number; until?: number }, signal: AbortSignal): AsyncIterable<EngineEvent>;
}

export interface SystemInfo {
  id: string;
  name: string;
  dataRoot: string;
  execRoot: string;
  containers: number;
  running: number;
  paused: number;
  stopped: number;
  images: number;
  runtime: string;
  cgroupVersion: '1' | '2';
  kernelVersion: string;
  operatingSystem: string;
  architecture: string;
  ncpu: number;
  memTotal: number;
  version: string;
}

/** Pull, push and login: images to and from registries. Progress comes as Docker's JSON messages. */
export interface RegistryEngine {
  pullImage(ref: string, opts?: { platform?: Platform; auth?: AuthConfig; onProgress?: (m: ProgressMessage) => void; signal?: AbortSignal }): Promise<ImageInfo>;
  pushImage(ref: string, opts?: { auth?: AuthConfig; onProgress?: (m: ProgressMessage) => void; signal?: AbortSignal }): Promise<{ tag?: string; digest: string; size: number }>;
  /** Checks the credentials against the registry at serverAddress (empty: Docker Hub). */
  login(serverAddress: string, auth: AuthConfig, opts?: { signal?: AbortSignal }): Promise<{ domain: string; status: string }>;
}

/** What the API serves of volumes (references and mounting stay inside the container engine). */
export type VolumeEngine = Pick<VolumeService, 'create' | 'inspect' | 'list' | 'remove' | 'prune'>;

/** docker system df. Sizes in bytes. */
export interface DiskUsage {
  /** Every layer counted once. */
  layersSize: number;
  /** size: the image's layers; sharedSize: those also used by another image; containers: how many use it. */
  images: { image: ImageInfo; size: number; sharedSize: number; containers: number }[];
  /** sizeRw: the writable layer; sizeRootFs: plus the image's layers. */
  containers: { container: Container; sizeRw: number; sizeRootFs: number }[];
  volumes: { volume: Volume; size: number; refCount: number }[];
}

export interface ImagePruneReport {
  deleted: ImageDeleteResult[];
  spaceReclaimed: number;
}

export interface Engine {
  containers: ContainerEngine;
  networks: NetworkEngine;
  images: ImageEngine & { prune(filters: Record<string, string[]>): Promise<ImagePruneReport> };
  volumes: VolumeEngine;
  diskUsage(signal?: AbortSignal): Promise<DiskUsage>;
  registry: RegistryEngine;
  events: EventBus;
  info(): Promise<SystemInfo>;
  close(): Promise<void>;
}

export type * from './network-types.js';

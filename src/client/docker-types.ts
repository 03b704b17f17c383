// The Docker Engine API's JSON shapes (v1.50) as the client sends and receives them. Field names are Docker's.
// Only the fields berth's callers use are typed; responses carry the rest untyped for `inspect` and templates.

export type Labels = Record<string, string>;

/** `{"status": {"running": true}}`: the shape the docker CLI sends in `filters` query parameters. */
export type Filters = Record<string, Record<string, boolean>>;

export interface ErrorResponse {
  message: string;
}

export interface PortBinding {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

export interface MountPoint {
  Type?: string;
  Name?: string;
  Source: string;
  Destination: string;
  RW?: boolean;
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  Ports: PortBinding[] | null;
  SizeRw?: number;
  SizeRootFs?: number;
  Labels: Labels | null;
  State: string;
  Status: string;
  Mounts?: MountPoint[] | null;
  /** The platform-specific manifest the container's image resolved to (multi-platform stores). */
  ImageManifestDescriptor?: { platform?: Record<string, unknown> } | null;
  NetworkSettings?: { Networks?: Record<string, unknown> | null } | null;
}

export interface RestartPolicy {
  Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount?: number;
}

export interface HostConfig {
  AutoRemove?: boolean;
  Privileged?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  ReadonlyRootfs?: boolean;
  RestartPolicy?: RestartPolicy;
  /** [height, width] of the TTY at creation. */
  ConsoleSize?: [number, number];
  [key: string]: unknown;
}

export interface ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[];
  Cmd?: string[];
  Entrypoint?: string[];
  Image?: string;
  WorkingDir?: string;
  Labels?: Labels;
  StopSignal?: string;
  StopTimeout?: number;
  [key: string]: unknown;
}

export interface ContainerCreateBody extends ContainerConfig {
  HostConfig?: HostConfig;
}

export interface ContainerCreateResponse {
  Id: string;
  Warnings: string[] | null;
}

export interface ContainerState {
  Status: string;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerState;
  Image: string;
  Config: ContainerConfig;
  HostConfig: HostConfig;
  [key: string]: unknown;
}

export interface ContainerWaitResponse {
  StatusCode: number;
  Error?: { Message?: string } | null;
}

export interface ContainerTopResponse {
  Titles: string[];
  Processes: string[][];
}

export interface ExecConfig {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
  Tty?: boolean;
  ConsoleSize?: [number, number];
  Env?: string[];
  Cmd: string[];
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
}

export interface ExecInspect {
  ID: string;
  Running: boolean;
  ExitCode: number | null;
  ContainerID: string;
  Pid: number;
  [key: string]: unknown;
}

export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: number;
  Size: number;
  SharedSize: number;
  Labels: Labels | null;
  Containers: number;
}

export interface ImageInspect {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created?: string;
  Size: number;
  Config?: ContainerConfig | null;
  [key: string]: unknown;
}

export interface ImageHistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

export interface ImageDeleteItem {
  Untagged?: string;
  Deleted?: string;
}

/** One message of a JSON progress stream (pull, push, load, import). */
export interface JsonMessage {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: unknown;
}

export interface EventMessage {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Labels | null };
  scope?: string;
  time: number;
  timeNano: number;
  [key: string]: unknown;
}

export interface ComponentVersion {
  Name: string;
  Version: string;
  Details?: Record<string, string> | null;
}

export interface SystemVersion {
  Platform?: { Name: string };
  Components?: ComponentVersion[];
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  GitCommit?: string;
  GoVersion?: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  BuildTime?: string;
  Experimental?: boolean;
}

export interface SystemInfo {
  ID?: string;
  Containers?: number;
  ContainersRunning?: number;
  ContainersPaused?: number;
  ContainersStopped?: number;
  Images?: number;
  Driver?: string;
  ServerVersion?: string;
  Name?: string;
  [key: string]: unknown;
}

/** What `GET /_ping` tells about the daemon, from its headers. */
export interface PingInfo {
  apiVersion: string;
  osType: string;
  server: string;
  builderVersion: string;
}

/** EndpointSettings as network connect and container create send them. */
export interface EndpointSettings {
  Aliases?: string[];
  IPAMConfig?: { IPv4Address?: string } | null;
  [key: string]: unknown;
}

export interface NetworkIpamConfig {
  Subnet?: string;
  Gateway?: string;
  IPRange?: string;
}

export interface NetworkResource {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  Internal: boolean;
  Attachable: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: NetworkIpamConfig[] | null };
  Containers: Record<string, { Name: string; EndpointID: string; MacAddress: string; IPv4Address: string; IPv6Address: string }> | null;
  Options: Record<string, string> | null;
  Labels: Labels | null;
  [key: string]: unknown;
}

export interface NetworkCreateBody {
  Name: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  IPAM?: { Driver?: string; Options?: Record<string, string>; Config?: NetworkIpamConfig[] };
  Options?: Record<string, string>;
  Labels?: Labels;
}

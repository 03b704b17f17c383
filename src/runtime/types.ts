// Runtime contract: one OCI container run by runc (crun on cgroup v2-only hosts) under a conmon monitor,
// so the container outlives berthd. Exec sessions are separate processes in a running container.
import type { Readable, Writable } from 'node:stream';

/** An OCI runtime spec (config.json). Kept loose: runtime/spec.ts builds it, runc validates it. */
export type OciSpec = {
  ociVersion: string;
  process: OciProcess;
  root: { path: string; readonly?: boolean };
  hostname?: string;
  mounts: OciMount[];
  linux: Record<string, unknown>;
  [key: string]: unknown;
};

export interface OciUser {
  uid: number;
  gid: number;
  additionalGids?: number[];
  umask?: number;
}

export interface OciProcess {
  terminal?: boolean;
  consoleSize?: { height: number; width: number };
  user: OciUser;
  args: string[];
  env: string[];
  cwd: string;
  capabilities?: Record<'bounding' | 'effective' | 'permitted' | 'inheritable' | 'ambient', string[]>;
  rlimits?: { type: string; hard: number; soft: number }[];
  noNewPrivileges?: boolean;
  apparmorProfile?: string;
  oomScoreAdj?: number;
  selinuxLabel?: string;
}

export interface OciMount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

export type StreamName = 'stdout' | 'stderr';

export interface OutputChunk {
  stream: StreamName;
  data: Buffer;
}

/** A live connection to a container's (or exec session's) stdio through conmon. */
export interface Attachment {
  /** Object-mode stream of OutputChunk; ends when the process's output is closed. */
  output: Readable;
  /** Present when the process was created with stdin. end() closes the process's stdin. */
  stdin?: Writable;
  /** Detaches without affecting the process. */
  close(): void;
}

export interface ExitStatus {
  exitCode: number;
  exitedAt: Date;
  oomKilled: boolean;
}

export type RuntimeStatus = 'created' | 'running' | 'paused' | 'stopped';

export interface RuntimeState {
  status: RuntimeStatus;
  pid: number;
}

export interface CreateOptions {
  id: string;
  /** Bundle directory: config.json is written here from spec; spec.root.path must already be mounted. */
  bundle: string;
  spec: OciSpec;
  /** k8s-file log written by conmon; capped at logSizeMax bytes (conmon rotates it). */
  logPath: string;
  logSizeMax: number;
  terminal: boolean;
  /** Keep the container's stdin open for attach clients. */
  stdin: boolean;
  /** Close the container's stdin when the first attached client closes its stdin. */
  stdinOnce: boolean;
}

export interface ExecOptions {
  /** Exec session id, unique per container. */
  execId: string;
  process: OciProcess;
  terminal: boolean;
  stdin: boolean;
}

export interface ExecSession {
  pid: number;
  attachment: Attachment;
  resize(height: number, width: number): Promise<void>;
  /** Resolves when the exec'd process exits. */
  exited: Promise<ExitStatus>;
}

export interface Runtime {
  /** conmon + `runc create`: the process exists, stopped before the user's command runs. */
  create(opts: CreateOptions): Promise<RuntimeState>;
  start(id: string): Promise<void>;
  kill(id: string, signal: string | number, all?: boolean): Promise<void>;
  /**
   * Removes the runtime's state; force also kills a running container. Not an error when already gone. A create
   * of the same id waits for it, so callers need not.
   */
  delete(id: string, force?: boolean): Promise<void>;
  /** Ids the runtime keeps state for (to release what no container refers to any more). */
  list(): Promise<string[]>;
  /** undefined when the runtime does not know the container. */
  state(id: string): Promise<RuntimeState | undefined>;
  /** Connects to conmon's attach socket. Works before start (docker run attaches first) and after a berthd restart. */
  attach(id: string): Promise<Attachment>;
  resize(id: string, height: number, width: number): Promise<void>;
  /** The exit status conmon recorded, if the container has exited. */
  readExit(id: string): Promise<ExitStatus | undefined>;
  /** Resolves once the container has exited (immediately if it already has). */
  waitExit(id: string, signal?: AbortSignal): Promise<ExitStatus>;
  /** True while the container's conmon is alive. */
  monitorAlive(id: string): Promise<boolean>;
  exec(id: string, opts: ExecOptions): Promise<ExecSession>;
  /** Process table of the container (pids in the host's pid namespace). */
  pids(id: string): Promise<number[]>;
}

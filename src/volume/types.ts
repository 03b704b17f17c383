// Volumes (the `local` driver) and the mounts a container asks for (-v, --mount, --tmpfs, --volumes-from).

/** Docker 23+ marks volumes created for a container without a name; prune removes only these by default. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

export interface Volume {
  name: string;
  driver: 'local';
  /** Host directory holding the data: <dataRoot>/volumes/<name>/_data. */
  mountpoint: string;
  /** RFC 3339, seconds. */
  createdAt: string;
  labels: Record<string, string>;
  /** Driver options as given: type, device, o. */
  options: Record<string, string>;
  scope: 'local';
  anonymous: boolean;
}

export interface VolumeCreateOptions {
  /** 64 hex digits are generated when absent. */
  name?: string;
  /** Only "local" (or empty). */
  driver?: string;
  labels?: Record<string, string>;
  options?: Record<string, string>;
  anonymous?: boolean;
}

export interface VolumeUsage {
  name: string;
  /** Bytes under the mountpoint, Docker's way (apparent sizes, hard links once). */
  size: number;
  /** Containers referencing the volume. */
  refCount: number;
}

export interface PruneReport {
  volumesDeleted: string[];
  spaceReclaimed: number;
}

export interface VolumeService {
  /** An existing volume of the same name is returned as it is (Docker's behaviour). */
  create(opts: VolumeCreateOptions): Promise<Volume>;
  inspect(name: string): Promise<Volume>;
  /** Filters: name (regexp), driver, label (key or key=value, all must match), dangling (true|false|1|0). */
  list(filters?: Record<string, string[]>): Promise<Volume[]>;
  /** Refused while a container references it, force or not; force ignores a missing volume. */
  remove(name: string, opts?: { force?: boolean }): Promise<void>;
  /** Unused anonymous volumes; filter all=true for named ones too; label / label! select further. */
  prune(filters?: Record<string, string[]>): Promise<PruneReport>;
  /** Containers referencing the volume (persisted). Idempotent. */
  acquire(name: string, containerId: string): Promise<void>;
  release(name: string, containerId: string): Promise<void>;
  /** Drops every reference the container holds; returns the volumes it referenced. */
  releaseAll(containerId: string): Promise<string[]>;
  references(name: string): Promise<string[]>;
  /**
   * Makes the volume's data available while a container runs and returns the host directory to bind.
   * A volume with a device (type=tmpfs, type=none o=bind, ...) is mounted on first use. Holders persist.
   */
  mount(name: string, containerId: string): Promise<string>;
  /** The last holder gone, a device volume is unmounted (a tmpfs volume loses its content, as in Docker). */
  unmount(name: string, containerId: string): Promise<void>;
  /**
   * Fills an empty volume with what the image has at containerPath (resolved inside rootfs), preserving
   * owners, modes, times and xattrs; does nothing when the volume has content or the path is not a directory.
   * True when something was copied. The volume must be mounted (see mount) for device volumes.
   */
  populateFromImage(name: string, rootfs: string, containerPath: string, signal?: AbortSignal): Promise<boolean>;
  usage(signal?: AbortSignal): Promise<VolumeUsage[]>;
}

// ---- mounts -------------------------------------------------------------------------------------------

export type Propagation = 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave';

/** A HostConfig.Mounts entry (Docker's mount.Mount), as the API and `--mount` produce it. */
export interface MountConfig {
  Type?: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: {
    Propagation?: string;
    NonRecursive?: boolean;
    CreateMountpoint?: boolean;
    ReadOnlyNonRecursive?: boolean;
    ReadOnlyForceRecursive?: boolean;
  };
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Record<string, string>;
    Subpath?: string;
    DriverConfig?: { Name?: string; Options?: Record<string, string> };
  };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number; Options?: string[][] };
}

interface MountBase {
  /** Absolute, clean container path. */
  target: string;
  readonly: boolean;
  /** The -v mode field as given ("ro,z", ...); "" otherwise. Shown by inspect. */
  mode: string;
}

export interface BindMount extends MountBase {
  type: 'bind';
  source: string;
  propagation: Propagation;
  /** rbind (default) or bind. */
  recursive: boolean;
  /** Read-only applied to submounts too (rro). */
  readonlyRecursive: boolean;
  /** -v creates a missing host directory; --mount refuses it unless CreateMountpoint. */
  createSource: boolean;
}

export interface VolumeMount extends MountBase {
  type: 'volume';
  name: string;
  anonymous: boolean;
  driver: string;
  driverOptions: Record<string, string>;
  labels: Record<string, string>;
  /** Fill a new empty volume from the image (false with nocopy / volume-nocopy / volumes-from). */
  copyData: boolean;
  /** Path inside the volume to mount instead of its root; "" for the root. */
  subpath: string;
}

export interface TmpfsMount extends MountBase {
  type: 'tmpfs';
  /** tmpfs options as given (size=65536k, mode=1777, exec, ...), merged over Docker's defaults at OCI time. */
  options: string[];
}

export type BerthMount = BindMount | VolumeMount | TmpfsMount;

/** Everything a container create asks for, in the order Docker applies it. */
export interface ContainerMountRequest {
  /** HostConfig.Binds: "name:/path[:mode]", "/host:/ctr[:mode]". */
  binds?: string[];
  /** HostConfig.Mounts. */
  mounts?: MountConfig[];
  /** HostConfig.Tmpfs: target → options ("rw,size=64m"). */
  tmpfs?: Record<string, string>;
  /** Anonymous volumes: Config.Volumes and the image's VOLUME entries (skipped where something is mounted). */
  volumes?: string[];
  /** --volumes-from: the other container's mounts and the mode asked ("", "ro", "rw"). */
  volumesFrom?: { mounts: BerthMount[]; mode: string }[];
  /** HostConfig.VolumeDriver. */
  volumeDriver?: string;
}

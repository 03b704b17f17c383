// Filesystem operations on a container's root directory: the archive API (docker cp), export and diff.
// Every container path is resolved inside the root (resolve-in-root.ts); nothing here reads or writes outside it.

/** What Docker's X-Docker-Container-Path-Stat header carries (base64 of this object as JSON). */
export interface PathStat {
  /** Last element of the requested path ("." for "/dir/.", "/" for "/"). */
  name: string;
  size: number;
  /** Go os.FileMode bits: permissions plus ModeDir (1<<31), ModeSymlink (1<<27), ... */
  mode: number;
  /** RFC 3339 with nanoseconds, UTC. */
  mtime: string;
  /** For a symlink: its target fully resolved in the container, as an absolute container path; else "". */
  linkTarget: string;
}

export interface ContainerArchive {
  stat: PathStat;
  /** Uncompressed tar; entry names follow Docker's rebasing rules (see archivePath). */
  tar: import('node:stream').Readable;
}

export interface ArchiveOptions {
  /** Used in Docker's not-found message: "Could not find the file /x in container <name>". */
  containerName?: string;
  signal?: AbortSignal;
}

export interface ExtractOptions extends ArchiveOptions {
  /** Refuse to replace an existing directory with a non-directory and vice versa. */
  noOverwriteDirNonDir?: boolean;
  /** Own every extracted entry by `user` (resolved in the container's /etc/passwd), not the archive's ids. */
  copyUIDGID?: boolean;
  /** The container's configured user ("name", "uid", "name:group", "uid:gid"); empty or absent means root. */
  user?: string;
  /**
   * Called with the resolved extraction point (absolute container path) before anything is written:
   * the engine refuses here when it is on a read-only root or a read-only volume.
   */
  checkDestination?: (containerPath: string) => void | Promise<void>;
}

/** docker diff kinds, with Docker's numbering. */
export const ChangeKind = { Modified: 0, Added: 1, Deleted: 2 } as const;
export type ChangeKind = (typeof ChangeKind)[keyof typeof ChangeKind];

export interface Change {
  Path: string;
  Kind: ChangeKind;
}

export interface ContainerUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  /** Home directory from passwd, "/" when the user has no entry. */
  home: string;
}

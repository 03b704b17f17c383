// Snapshotter contract, after containerd's: snapshots return mounts, they never mount anything themselves.
export type SnapshotKind = 'committed' | 'active' | 'view';

export interface Mount {
  type: string; // "overlay" | "bind"
  source: string;
  options: string[];
}

export interface SnapshotInfo {
  key: string;
  kind: SnapshotKind;
  parent?: string;
  labels: Record<string, string>;
  created: string; // RFC 3339
  updated: string;
}

export interface SnapshotUsage {
  size: number; // bytes
  inodes: number;
}

export interface Snapshotter {
  stat(key: string): Promise<SnapshotInfo>;
  update(key: string, labels: Record<string, string>): Promise<SnapshotInfo>;
  usage(key: string): Promise<SnapshotUsage>;
  mounts(key: string): Promise<Mount[]>;
  /** A writable snapshot on top of committed parent. */
  prepare(key: string, parent?: string, opts?: { labels?: Record<string, string> }): Promise<Mount[]>;
  /** A read-only snapshot of committed parent. */
  view(key: string, parent?: string, opts?: { labels?: Record<string, string> }): Promise<Mount[]>;
  /**
   * Turns active snapshot key into committed snapshot name. With opts.parent, a snapshot prepared without a parent
   * is committed on top of that committed parent (containerd's rebase): a layer unpacked on its own, in parallel
   * with the layers below it, joins their chain once they are committed.
   */
  commit(name: string, key: string, opts?: { labels?: Record<string, string>; parent?: string }): Promise<void>;
  /** Removes a snapshot that no other snapshot has as parent. */
  remove(key: string): Promise<void>;
  walk(fn: (info: SnapshotInfo) => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
}

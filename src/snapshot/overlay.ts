// The overlay snapshotter, after containerd's plugins/snapshots/overlay: root/snapshots/<n>/{fs,work} with short
// numeric ids (keeps lowerdir= short), metadata in one JSON file replaced atomically after every change. Changes
// are made one at a time; reads see the state after the last finished change and never wait for one in flight.
// Only the removal of a committed snapshot is fsync'd at once: everything else is made durable by sync(), which
// whoever records a reference to a snapshot calls first (an fsync waits for the disk behind everything written
// meanwhile, such as the layers still extracting).
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { conflict, invalidArgument, isErrno, notFound } from '../errors.js';
import { atomicWriteJson, fsyncDir, fsyncFile, replaceFile } from '../util/atomic-write.js';
import { diskUsage } from './usage.js';
import type { Mount, SnapshotInfo, SnapshotKind, SnapshotUsage, Snapshotter } from './types.js';

/** The overlay snapshotter also exposes directories, so layers can be applied and diffed in place. */
export interface OverlaySnapshotter extends Snapshotter {
  /** The writable (active) or content (committed) directory of a snapshot. */
  upperDir(key: string): Promise<string>;
  /** Content directories of the snapshot's parents, nearest first. */
  lowerDirs(key: string): Promise<string[]>;
  /** Makes every change so far survive a power cut (each survives a kill -9 as soon as it returns). */
  sync(): Promise<void>;
}

interface Entry {
  id: number;
  kind: SnapshotKind;
  parent?: string;
  labels: Record<string, string>;
  created: string;
  updated: string;
  /** Measured at commit. */
  usage?: SnapshotUsage;
}

interface Metadata {
  nextId: number;
  snapshots: Record<string, Entry>;
}

export function createOverlaySnapshotter(root: string): OverlaySnapshotter {
  const snapshotsDir = path.join(root, 'snapshots');
  const metaFile = path.join(root, 'metadata.json');
  let loaded: Promise<Metadata> | undefined;
  /** What reads see: a copy of the metadata as the last finished change left it. */
  let published: Metadata | undefined;
  /** A change was written since the last sync(). */
  let unsynced = false;
  let queue: Promise<unknown> = Promise.resolve();
  const deleting = new Set<Promise<void>>();

  const dirOf = (id: number) => path.join(snapshotsDir, String(id));
  const fsOf = (id: number) => path.join(dirOf(id), 'fs');

  async function load(): Promise<Metadata> {
    let meta: Metadata = { nextId: 1, snapshots: {} };
    try {
      meta = JSON.parse(await readFile(metaFile, 'utf8')) as Metadata;
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
    }
    await mkdir(snapshotsDir, { recursive: true });
    // Directories without metadata are left from a crash between the two steps of prepare or remove.
    const known = new Set(Object.values(meta.snapshots).map((e) => String(e.id)));
    for (const name of await readdir(snapshotsDir)) {
      if (/^\d+$/.test(name)) meta.nextId = Math.max(meta.nextId, Number(name) + 1);
      if (!known.has(name)) await rm(path.join(snapshotsDir, name), { recursive: true, force: true });
    }
    return meta;
  }

  const meta = () =>
    (loaded ??= load().then((m) => {
      published = structuredClone(m);
      return m;
    }));

  /** Runs metadata changes one at a time; after a failure the next one starts again from what is on disk. */
  function serial<T>(fn: (m: Metadata) => Promise<T>): Promise<T> {
    const run = queue.then(async () => {
      const m = await meta();
      const out = await fn(m);
      published = structuredClone(m);
      return out;
    });
    queue = run.catch(() => {
      loaded = undefined;
    });
    return run;
  }

  async function read<T>(fn: (m: Metadata) => T | Promise<T>): Promise<T> {
    await meta();
    return fn(published!);
  }

  async function save(m: Metadata): Promise<void> {
    await replaceFile(metaFile, JSON.stringify(m));
    unsynced = true;
  }

  function get(m: Metadata, key: string): Entry {
    const e = m.snapshots[key];
    if (!e) throw notFound(`snapshot ${key} does not exist`);
    return e;
  }

  function info(key: string, e: Entry): SnapshotInfo {
    return { key, kind: e.kind, parent: e.parent, labels: { ...e.labels }, created: e.created, updated: e.updated };
  }

  function chain(m: Metadata, parent: string | undefined): string[] {
    const dirs: string[] = [];
    for (let p = parent; p; p = m.snapshots[p]?.parent) dirs.push(fsOf(get(m, p).id));
    return dirs;
  }

  function mountsOf(m: Metadata, key: string): Mount[] {
    const e = get(m, key);
    const own = fsOf(e.id);
    if (e.kind === 'active') {
      const lowers = chain(m, e.parent);
      if (lowers.length === 0) return [{ type: 'bind', source: own, options: ['rbind', 'rw'] }];
      const work = path.join(dirOf(e.id), 'work');
      return [
        { type: 'overlay', source: 'overlay', options: [`workdir=${work}`, `upperdir=${own}`, `lowerdir=${lowers.join(':')}`] },
      ];
    }
    const lowers = e.kind === 'view' ? chain(m, e.parent) : [own, ...chain(m, e.parent)];
    if (lowers.length === 0) return [{ type: 'bind', source: own, options: ['rbind', 'ro'] }];
    if (lowers.length === 1) return [{ type: 'bind', source: lowers[0], options: ['rbind', 'ro'] }];
    return [{ type: 'overlay', source: 'overlay', options: [`lowerdir=${lowers.join(':')}`] }];
  }

  function create(kind: 'active' | 'view') {
    return (key: string, parent?: string, opts?: { labels?: Record<string, string> }) =>
      serial(async (m) => {
        if (!key) throw invalidArgument('snapshot key must not be empty');
        if (m.snapshots[key]) throw conflict(`snapshot ${key} already exists`);
        if (parent !== undefined && get(m, parent).kind !== 'committed') {
          throw invalidArgument(`parent snapshot ${parent} is not committed`);
        }
        const id = m.nextId++;
        const tmp = path.join(snapshotsDir, `new-${id}`);
        await mkdir(path.join(tmp, 'fs'), { recursive: true, mode: 0o755 });
        if (kind === 'active') await mkdir(path.join(tmp, 'work'), { mode: 0o700 });
        await rename(tmp, dirOf(id));
        const now = new Date().toISOString();
        m.snapshots[key] = { id, kind, parent, labels: { ...opts?.labels }, created: now, updated: now };
        await save(m);
        return mountsOf(m, key);
      });
  }

  return {
    stat: (key) => read((m) => info(key, get(m, key))),
    update: (key, labels) =>
      serial(async (m) => {
        const e = get(m, key);
        e.labels = { ...labels };
        e.updated = new Date().toISOString();
        await save(m);
        return info(key, e);
      }),
    usage: (key) =>
      read((m) => {
        const e = get(m, key);
        return e.usage ?? diskUsage(fsOf(e.id));
      }),
    mounts: (key) => read((m) => mountsOf(m, key)),
    prepare: create('active'),
    view: create('view'),
    commit: (name, key, opts) =>
      serial(async (m) => {
        const e = get(m, key);
        if (e.kind !== 'active') throw invalidArgument(`snapshot ${key} is not active`);
        if (m.snapshots[name]) throw conflict(`snapshot ${name} already exists`);
        const parent = opts?.parent ?? e.parent;
        if (parent !== e.parent) {
          if (e.parent !== undefined) throw invalidArgument(`snapshot ${key} has parent ${e.parent}: it cannot be committed on top of ${parent}`);
          if (get(m, parent!).kind !== 'committed') throw invalidArgument(`parent snapshot ${parent} is not committed`);
        }
        const usage = await diskUsage(fsOf(e.id));
        delete m.snapshots[key];
        const now = new Date().toISOString();
        m.snapshots[name] = { ...e, kind: 'committed', parent, labels: { ...e.labels, ...opts?.labels }, updated: now, usage };
        await save(m);
        await rm(path.join(dirOf(e.id), 'work'), { recursive: true, force: true });
      }),
    remove: async (key) => {
      const { id, kind } = await serial(async (m) => {
        const e = get(m, key);
        const child = Object.entries(m.snapshots).find(([, c]) => c.parent === key);
        if (child) throw conflict(`cannot remove snapshot ${key}: snapshot ${child[0]} has it as parent`);
        delete m.snapshots[key];
        // A layer must stay gone (a pull would take a half-deleted one for done); losing the removal of a
        // container's writable snapshot to a power cut costs nothing worse than the container's own record does.
        if (e.kind === 'committed') {
          await atomicWriteJson(metaFile, m);
          unsynced = false;
        } else {
          await save(m);
        }
        return e;
      });
      // Gone from the metadata, the directory is garbage (load() deletes what a crash leaves). A layer's is deleted
      // before remove() returns, as `docker rmi` frees the space; a container's upper directory, which can be
      // large, in the background.
      const deleted = rm(dirOf(id), { recursive: true, force: true }).finally(() => deleting.delete(deleted));
      deleting.add(deleted);
      if (kind === 'committed') await deleted;
    },
    walk: async (fn) => {
      const m = await read((md) => md);
      for (const [key, e] of Object.entries(m.snapshots)) await fn(info(key, e));
    },
    close: async () => {
      await queue;
      await Promise.allSettled(deleting);
    },
    upperDir: (key) => read((m) => fsOf(get(m, key).id)),
    lowerDirs: (key) => read((m) => chain(m, get(m, key).parent)),
    sync: () =>
      serial(async () => {
        if (!unsynced) return;
        await fsyncFile(metaFile);
        await fsyncDir(root);
        unsynced = false;
      }),
  };
}

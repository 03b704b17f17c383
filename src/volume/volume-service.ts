// The volume service with Docker's `local` driver semantics (see types.ts for the contract).
import { lstat, readdir } from 'node:fs/promises';
import { conflict, invalidArgument, notFound, isErrno } from '../errors.js';
import { newId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import { resolveInRoot } from '../fs/resolve-in-root.js';
import { copyTree } from '../fs/copy-tree.js';
import { directorySize } from '../fs/dir-size.js';
import { isMountPoint } from '../fs/mountinfo.js';
import { createVolumeStore, type VolumeRecord } from './volume-store.js';
import { validateLocalOptions, hasDevice, mountLocal, unmountLocal } from './local-driver.js';
import { validateFilters, matchAny, matchLabels, boolFilter, type Filters } from './volume-filters.js';
import { ANONYMOUS_LABEL, type Volume, type VolumeCreateOptions, type VolumeService } from './types.js';

const NAME_CHARS = '[a-zA-Z0-9][a-zA-Z0-9_.-]';
const NAME_PATTERN = new RegExp(`^${NAME_CHARS}+$`);

function validateName(name: string): void {
  if (name.length === 1) {
    throw invalidArgument(`create ${name}: volume name is too short, names should be at least two alphanumeric characters`);
  }
  if (!NAME_PATTERN.test(name)) {
    throw invalidArgument(
      `create ${name}: ${JSON.stringify(name)} includes invalid characters for a local volume name, only ` +
        `${JSON.stringify(NAME_CHARS)} are allowed. If you intended to pass a host directory, use absolute path`,
    );
  }
}

export function createVolumeService(deps: { dataRoot: string; logger: Logger }): VolumeService {
  const store = createVolumeStore(deps.dataRoot);
  const { logger } = deps;
  let ready: Promise<void> | undefined;
  const init = () => (ready ??= store.init());

  // One operation at a time per volume name.
  const locks = new Map<string, Promise<unknown>>();
  const locked = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    await init();
    const prev = locks.get(name) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    locks.set(name, tail);
    void tail.then(() => {
      if (locks.get(name) === tail) locks.delete(name);
    });
    return run;
  };

  const toVolume = (r: VolumeRecord): Volume => ({
    name: r.name,
    driver: r.driver,
    mountpoint: store.dataDir(r.name),
    createdAt: r.createdAt,
    labels: r.labels,
    options: r.options,
    scope: 'local',
    anonymous: r.anonymous,
  });

  const mustRead = async (name: string): Promise<VolumeRecord> => {
    const r = await store.read(name);
    if (!r) throw notFound(`get ${name}: no such volume`);
    return r;
  };

  const allRecords = async (): Promise<VolumeRecord[]> => {
    await init();
    const records = await Promise.all((await store.names()).map((n) => store.read(n)));
    return records.filter((r): r is VolumeRecord => r !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  };

  /** Removes a volume nobody references; the caller holds its lock. */
  const removeUnlocked = async (r: VolumeRecord): Promise<void> => {
    if (r.refs.length > 0) throw conflict(`remove ${r.name}: volume is in use - [${r.refs.join(', ')}]`);
    if (hasDevice(r.options)) unmountLocal(store.dataDir(r.name));
    await store.remove(r.name);
    logger.debug('volume removed', { name: r.name });
  };

  const updateRefs = (name: string, change: (refs: string[]) => string[]) =>
    locked(name, async () => {
      const r = await mustRead(name);
      const refs = change(r.refs);
      if (refs.length !== r.refs.length) await store.write({ ...r, refs });
    });
  const release = (name: string, containerId: string) => updateRefs(name, (refs) => refs.filter((id) => id !== containerId));

  return {
    async create(opts: VolumeCreateOptions) {
      const driver = opts.driver || 'local';
      if (driver !== 'local') throw notFound(`error looking up volume plugin ${driver}: plugin "${driver}" not found`);
      const name = opts.name || newId();
      validateName(name);
      const options = { ...opts.options };
      try {
        validateLocalOptions(options);
      } catch (err) {
        throw invalidArgument(`create ${name}: ${(err as Error).message}`);
      }
      const labels = { ...opts.labels, ...(opts.anonymous ? { [ANONYMOUS_LABEL]: '' } : {}) };
      return locked(name, async () => {
        const existing = await store.read(name);
        if (existing) return toVolume(existing);
        const record: VolumeRecord = {
          name,
          driver: 'local',
          createdAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          labels,
          options,
          anonymous: !!opts.anonymous,
          refs: [],
          holders: [],
        };
        if (!(await store.create(record))) return toVolume(await mustRead(name));
        logger.debug('volume created', { name });
        return toVolume(record);
      });
    },

    async inspect(name) {
      await init();
      return toVolume(await mustRead(name));
    },

    async list(filters: Filters = {}) {
      validateFilters(filters, ['name', 'driver', 'label', 'dangling']);
      const dangling = boolFilter(filters, 'dangling');
      return (await allRecords())
        .filter((r) => !filters.name?.length || matchAny(r.name, filters.name))
        .filter((r) => !filters.driver?.length || matchAny(r.driver, filters.driver))
        .filter((r) => !filters.label?.length || matchLabels(r.labels, filters.label))
        .filter((r) => dangling === undefined || (r.refs.length === 0) === dangling)
        .map(toVolume);
    },

    async remove(name, opts = {}) {
      await locked(name, async () => {
        const r = await store.read(name);
        if (!r) {
          if (opts.force) return;
          throw notFound(`get ${name}: no such volume`);
        }
        await removeUnlocked(r);
      });
    },

    async prune(filters: Filters = {}) {
      validateFilters(filters, ['label', 'label!', 'all']);
      const all = boolFilter(filters, 'all') ?? false;
      const wanted = [...(filters.label ?? []), ...(all ? [] : [ANONYMOUS_LABEL])];
      const unwanted = filters['label!'] ?? [];
      const report = { volumesDeleted: [] as string[], spaceReclaimed: 0 };
      for (const candidate of await allRecords()) {
        if (!matchLabels(candidate.labels, wanted)) continue;
        if (unwanted.some((u) => matchLabels(candidate.labels, [u]))) continue;
        await locked(candidate.name, async () => {
          const r = await store.read(candidate.name);
          if (!r || r.refs.length > 0) return;
          const size = await directorySize(store.dataDir(r.name));
          await removeUnlocked(r);
          report.volumesDeleted.push(r.name);
          report.spaceReclaimed += size;
        });
      }
      return report;
    },

    async acquire(name, containerId) {
      await updateRefs(name, (refs) => (refs.includes(containerId) ? refs : [...refs, containerId]));
    },

    release,

    async releaseAll(containerId) {
      const released: string[] = [];
      for (const r of await allRecords()) {
        if (!r.refs.includes(containerId)) continue;
        await release(r.name, containerId);
        released.push(r.name);
      }
      return released;
    },

    async references(name) {
      await init();
      return (await mustRead(name)).refs;
    },

    async mount(name, containerId) {
      return locked(name, async () => {
        const r = await mustRead(name);
        const data = store.dataDir(name);
        if (hasDevice(r.options) && !(await isMountPoint(data))) {
          mountLocal(r.options, data);
          logger.debug('volume mounted', { name, device: r.options.device });
        }
        if (!r.holders.includes(containerId)) {
          r.holders.push(containerId);
          await store.write(r);
        }
        return data;
      });
    },

    async unmount(name, containerId) {
      await locked(name, async () => {
        const r = await mustRead(name);
        r.holders = r.holders.filter((id) => id !== containerId);
        await store.write(r);
        if (r.holders.length === 0 && hasDevice(r.options)) unmountLocal(store.dataDir(name));
      });
    },

    async populateFromImage(name, rootfs, containerPath, signal) {
      return locked(name, async () => {
        const r = await mustRead(name);
        const src = await resolveInRoot(rootfs, containerPath);
        const isDir = await lstat(src).then(
          (st) => st.isDirectory(),
          (err: unknown) => {
            if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return false;
            throw err;
          },
        );
        const data = store.dataDir(name);
        if (!isDir || (!r.populating && (await readdir(data)).length > 0)) return false;
        r.populating = true;
        await store.write(r);
        await copyTree(src, data, { logger, signal });
        delete r.populating;
        await store.write(r);
        logger.debug('volume populated from image', { name, path: containerPath });
        return true;
      });
    },

    async usage(signal) {
      const records = await allRecords();
      const out = [];
      for (const r of records) {
        out.push({ name: r.name, size: await directorySize(store.dataDir(r.name), signal), refCount: r.refs.length });
      }
      return out;
    },
  };
}

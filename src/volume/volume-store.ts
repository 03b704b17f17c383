// Volumes on disk: <dataRoot>/volumes/<name>/{volume.json,_data}. A volume appears by renaming a complete
// staging directory into place and disappears by renaming it away before deletion, so a crash at any instant
// leaves either a whole volume or none (staging leftovers are swept on start). volume.json is rewritten
// atomically on every change of references or holders.
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { atomicWriteJson, fsyncDir } from '../util/atomic-write.js';

export interface VolumeRecord {
  name: string;
  driver: 'local';
  createdAt: string;
  labels: Record<string, string>;
  options: Record<string, string>;
  anonymous: boolean;
  /** Containers referencing the volume (in use). */
  refs: string[];
  /** Containers that have it mounted (device volumes stay mounted while any is left). */
  holders: string[];
  /** Set while populateFromImage copies: a crash leaves it set and the copy is redone. */
  populating?: boolean;
}

const STAGING = '.staging-';
const TRASH = '.trash-';

export interface VolumeStore {
  dir: string;
  dataDir(name: string): string;
  /** Sweeps half-created and half-removed volumes. */
  init(): Promise<void>;
  read(name: string): Promise<VolumeRecord | undefined>;
  write(record: VolumeRecord): Promise<void>;
  /** False when a volume of that name already exists. */
  create(record: VolumeRecord): Promise<boolean>;
  remove(name: string): Promise<void>;
  names(): Promise<string[]>;
}

export function createVolumeStore(dataRoot: string): VolumeStore {
  const dir = path.join(dataRoot, 'volumes');
  const volumeDir = (name: string) => path.join(dir, name);
  const metaFile = (name: string) => path.join(volumeDir(name), 'volume.json');
  const tempName = (prefix: string) => path.join(dir, prefix + randomBytes(8).toString('hex'));

  return {
    dir,
    dataDir: (name) => path.join(volumeDir(name), '_data'),

    async init() {
      await mkdir(dir, { recursive: true, mode: 0o701 });
      for (const entry of await readdir(dir)) {
        if (entry.startsWith(STAGING) || entry.startsWith(TRASH)) await rm(path.join(dir, entry), { recursive: true, force: true });
      }
    },

    async read(name) {
      try {
        return JSON.parse(await readFile(metaFile(name), 'utf8')) as VolumeRecord;
      } catch (err) {
        if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return undefined;
        throw err;
      }
    },

    write: (record) => atomicWriteJson(metaFile(record.name), record),

    async create(record) {
      const staging = tempName(STAGING);
      await mkdir(path.join(staging, '_data'), { recursive: true, mode: 0o755 });
      await atomicWriteJson(path.join(staging, 'volume.json'), record);
      try {
        await rename(staging, volumeDir(record.name));
      } catch (err) {
        await rm(staging, { recursive: true, force: true });
        if (isErrno(err, 'ENOTEMPTY') || isErrno(err, 'EEXIST')) return false;
        throw err;
      }
      await fsyncDir(dir);
      return true;
    },

    async remove(name) {
      const trash = tempName(TRASH);
      await rename(volumeDir(name), trash);
      await fsyncDir(dir);
      await rm(trash, { recursive: true, force: true });
    },

    async names() {
      return (await readdir(dir)).filter((n) => !n.startsWith('.'));
    },
  };
}

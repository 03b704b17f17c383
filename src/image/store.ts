// Image metadata: image records (by ID = config digest) and names (tags, repo@digest) → image, in one JSON file
// written atomically after every change, changes serialized.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { atomicWriteJson } from '../util/atomic-write.js';
import type { Descriptor, Digest } from '../content/types.js';

export interface LayerRecord {
  /** The blob as the manifest describes it (compressed or not). */
  blob: Descriptor;
  diffId: Digest;
  chainId: Digest;
  /** Bytes of file data in the layer. */
  size: number;
  /** Length of the uncompressed tar. */
  tarSize: number;
}

export interface ImageRecord {
  id: string;
  /** The single-platform manifest. */
  manifest: Descriptor;
  layers: LayerRecord[];
  /** When this image arrived here (RFC 3339). */
  added: string;
}

export interface NameRecord {
  image: string;
  /** The top-level manifest or index the name was given for. */
  target: Descriptor;
}

export interface StoreData {
  images: Record<string, ImageRecord>;
  names: Record<string, NameRecord>;
}

export interface ImageStore {
  read(): Promise<StoreData>;
  /** Runs fn on the data and saves it, one change at a time. */
  update<T>(fn: (d: StoreData) => T | Promise<T>): Promise<T>;
}

export function createImageStore(root: string): ImageStore {
  const file = path.join(root, 'images.json');
  let loaded: Promise<StoreData> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function load(): Promise<StoreData> {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as StoreData;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return { images: {}, names: {} };
      throw err;
    }
  }
  const data = () => (loaded ??= load());

  return {
    read: async () => {
      await queue;
      return data();
    },
    update<T>(fn: (d: StoreData) => T | Promise<T>): Promise<T> {
      const run = queue.then(async () => {
        const d = await data();
        const result = await fn(d);
        await atomicWriteJson(file, d);
        return result;
      });
      // A failed change may have half-edited the data in memory: start again from the file.
      queue = run.catch(() => {
        loaded = undefined;
      });
      return run;
    },
  };
}

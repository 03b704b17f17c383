// Container records on disk (one atomically written JSON per container) with in-memory id and name indexes.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { atomicWriteJson, replaceFile } from '../util/atomic-write.js';
import { conflict, invalidArgument, isErrno } from '../errors.js';
import type { ContainerRecord, ContainerStore } from './types.js';
import type { Logger } from '../util/logger.js';

const recordFile = 'container.json';
const validName = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function createContainerStore(root: string, logger: Logger): ContainerStore {
  const byId = new Map<string, ContainerRecord>();
  const names = new Map<string, string>();
  const dir = (id: string) => path.join(root, id);

  async function load(): Promise<ContainerRecord[]> {
    await mkdir(root, { recursive: true });
    for (const id of await readdir(root)) {
      try {
        const rec = JSON.parse(await readFile(path.join(dir(id), recordFile), 'utf8')) as ContainerRecord;
        byId.set(rec.id, rec);
        names.set(rec.name, rec.id);
      } catch (err) {
        // A directory without a complete record is a create that never finished: nothing refers to it.
        if (!isErrno(err, 'ENOENT')) logger.warn('unreadable container record, ignoring', { id, err: String(err) });
      }
    }
    return [...byId.values()];
  }

  function find(ref: string): ContainerRecord | undefined {
    const exact = byId.get(ref);
    if (exact) return exact;
    const byName = names.get(ref.replace(/^\//, ''));
    if (byName) return byId.get(byName);
    if (!/^[a-f0-9]+$/.test(ref)) return undefined;
    const matches = [...byId.keys()].filter((id) => id.startsWith(ref));
    if (matches.length > 1) throw invalidArgument(`multiple IDs found with provided prefix: ${ref}`);
    return matches.length === 1 ? byId.get(matches[0]) : undefined;
  }

  function reserveName(name: string, id: string): void {
    if (!validName.test(name)) {
      throw invalidArgument(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    }
    const holder = names.get(name);
    if (holder && holder !== id) {
      throw conflict(
        `Conflict. The container name "/${name}" is already in use by container "${holder}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
    names.set(name, id);
  }

  async function save(record: ContainerRecord): Promise<void> {
    await atomicWriteJson(path.join(dir(record.id), recordFile), record);
    byId.set(record.id, record);
  }

  async function saveState(record: ContainerRecord): Promise<void> {
    await replaceFile(path.join(dir(record.id), recordFile), JSON.stringify(record));
    byId.set(record.id, record);
  }

  async function remove(id: string): Promise<void> {
    const rec = byId.get(id);
    // Drop the record first: a crash after this leaves a directory that load() ignores and removes below.
    await rm(path.join(dir(id), recordFile), { force: true });
    await rm(dir(id), { recursive: true, force: true });
    byId.delete(id);
    if (rec && names.get(rec.name) === id) names.delete(rec.name);
  }

  return {
    load,
    all: () => [...byId.values()],
    find,
    reserveName,
    releaseName: (name) => void names.delete(name),
    save,
    saveState,
    remove,
    dir,
  };
}

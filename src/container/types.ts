// Container domain contract: persisted container records and the store that keeps them.
import type { Container } from '../engine/types.js';

/** What berth persists per container (containers/<id>/container.json). */
export type ContainerRecord = Container;

export interface ContainerStore {
  /** Loads every record from disk (at daemon start). */
  load(): Promise<ContainerRecord[]>;
  all(): ContainerRecord[];
  /** By full id, unique id prefix, or name with or without a leading "/". */
  find(ref: string): ContainerRecord | undefined;
  /** Claims a name for id; throws conflict when another container holds it. */
  reserveName(name: string, id: string): void;
  releaseName(name: string): void;
  /** Persists the record atomically and durably, and makes it visible. */
  save(record: ContainerRecord): Promise<void>;
  /**
   * save() for a change of run state: atomic but not flushed, as the processes and mounts it describes do not
   * outlive a reboot (after one, restore finds them gone whatever the record says).
   */
  saveState(record: ContainerRecord): Promise<void>;
  remove(id: string): Promise<void>;
  dir(id: string): string;
}

// One fs.watch on conmon's exit directory for every waiter of a runtime: conmon writes <exits>/<id> atomically
// (temp file + rename) as the container's last act, so a rename or change event naming the id means "look again".
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../util/logger.js';

export interface ExitWatcher {
  /** Calls onEvent whenever the file `name` may have appeared, until the returned function is called. */
  subscribe(name: string, onEvent: () => void): () => void;
}

export function createExitWatcher(dir: string, logger: Logger): ExitWatcher {
  const subscribers = new Map<string, Set<() => void>>();
  let watcher: FSWatcher | undefined;

  const notifyAll = () => {
    for (const set of subscribers.values()) for (const fn of set) fn();
  };

  function ensureWatching(): void {
    if (watcher) return;
    watcher = watch(dir, (_event, filename) => {
      if (filename === null) notifyAll();
      else for (const fn of subscribers.get(filename.toString()) ?? []) fn();
    });
    watcher.on('error', (err) => {
      logger.warn('exit directory watch failed', { dir, err: String(err) });
      watcher?.close();
      watcher = undefined;
      // Waiters re-check on their own timer; a new watch starts with the next subscription.
      notifyAll();
    });
  }

  return {
    subscribe(name, onEvent) {
      ensureWatching();
      let set = subscribers.get(name);
      if (!set) subscribers.set(name, (set = new Set()));
      set.add(onEvent);
      return () => {
        set!.delete(onEvent);
        if (set!.size === 0) subscribers.delete(name);
        if (subscribers.size === 0) {
          watcher?.close();
          watcher = undefined;
        }
      };
    },
  };
}

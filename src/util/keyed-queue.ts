// Tasks by key, run one after another for the same key; a failed task does not stop the ones queued after it.
// For a resource released in the background (a container's runtime state, its network, a mount's flush) that the
// next use of the same key must wait for.

export interface KeyedQueue {
  /** Runs task once every task queued for key before it has settled. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Resolves once every task queued for key so far has settled (never rejects). */
  settled(key: string): Promise<void>;
}

export function createKeyedQueue(): KeyedQueue {
  /** By key: the last task queued, settled either way; gone once it is done and nothing followed it. */
  const tails = new Map<string, Promise<void>>();
  return {
    run(key, task) {
      const result = (tails.get(key) ?? Promise.resolve()).then(task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    async settled(key) {
      await tails.get(key);
    },
  };
}

// Running async tasks at most n at a time, in the order they were asked for.

/** A function that runs fn once fewer than n of the tasks given to it are running. */
export function createLimiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  /** A finished task hands its slot to the first one waiting, if any. */
  const next = () => {
    const wake = waiting.shift();
    if (wake) wake();
    else running--;
  };
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await fn();
    } finally {
      next();
    }
  };
}

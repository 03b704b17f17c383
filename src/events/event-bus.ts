// In-memory event bus: a bounded history for `since` replays and live fan-out to subscribers.
import type { EngineEvent, EventBus } from './types.js';

export function createEventBus(historySize = 1024, now: () => bigint = process.hrtime.bigint): EventBus {
  const history: EngineEvent[] = [];
  const listeners = new Set<(ev: EngineEvent) => void>();
  const epochOffset = BigInt(Date.now()) * 1_000_000n - now();

  function publish(ev: Omit<EngineEvent, 'time' | 'scope'>): void {
    const full: EngineEvent = { ...ev, scope: 'local', time: Number(now() + epochOffset) };
    history.push(full);
    if (history.length > historySize) history.shift();
    for (const l of listeners) l(full);
  }

  async function* subscribe(opts: { since?: number; until?: number }, signal: AbortSignal): AsyncIterable<EngineEvent> {
    const queue: EngineEvent[] = [];
    let wake: (() => void) | undefined;
    const listener = (ev: EngineEvent) => {
      queue.push(ev);
      wake?.();
    };
    const onAbort = () => wake?.();
    // Register before replaying so nothing published in between is lost.
    listeners.add(listener);
    signal.addEventListener('abort', onAbort);
    try {
      const inRange = (ev: EngineEvent) =>
        (opts.since === undefined || ev.time >= opts.since) && (opts.until === undefined || ev.time <= opts.until);
      if (opts.since !== undefined) {
        const replay = history.filter(inRange);
        queue.splice(0, queue.length, ...replay, ...queue.filter((ev) => !replay.includes(ev)));
      }
      for (;;) {
        while (queue.length > 0) {
          const ev = queue.shift()!;
          if (opts.until !== undefined && ev.time > opts.until) return;
          if (inRange(ev)) yield ev;
        }
        if (signal.aborted) return;
        if (opts.until !== undefined && Number(now() + epochOffset) > opts.until) return;
        const untilDelay = opts.until === undefined ? undefined : Math.max(1, (opts.until - Number(now() + epochOffset)) / 1e6);
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (untilDelay !== undefined) setTimeout(resolve, untilDelay);
        });
        wake = undefined;
      }
    } finally {
      listeners.delete(listener);
      signal.removeEventListener('abort', onAbort);
    }
  }

  return { publish, subscribe };
}

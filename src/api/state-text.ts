// The container status text of `docker ps` ("Up 5 minutes", "Exited (0) 2 hours ago").
import type { ContainerState } from '../engine/types.js';
import { humanDuration } from '../util/human-duration.js';

const zero = (t: string) => !t || t.startsWith('0001-01-01');

/** container.State.String() of moby. */
export function stateText(s: ContainerState, now: number = Date.now()): string {
  const since = (t: string) => humanDuration(now - Date.parse(t));
  if (s.running || s.status === 'running' || s.status === 'paused' || s.status === 'restarting') {
    if (s.paused) return `Up ${since(s.startedAt)} (Paused)`;
    if (s.restarting) return `Restarting (${s.exitCode}) ${since(s.finishedAt)} ago`;
    return `Up ${since(s.startedAt)}`;
  }
  if (s.status === 'removing') return 'Removal In Progress';
  if (s.dead) return 'Dead';
  if (zero(s.startedAt)) return 'Created';
  if (zero(s.finishedAt)) return '';
  return `Exited (${s.exitCode}) ${since(s.finishedAt)} ago`;
}

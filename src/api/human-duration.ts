// Docker's go-units HumanDuration and the container status text of `docker ps` ("Up 5 minutes", "Exited (0) 2 hours ago").
import type { ContainerState } from '../engine/types.js';

export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

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

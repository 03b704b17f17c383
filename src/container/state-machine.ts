// The container lifecycle in one place: which operations each status allows.
import type { ContainerStatus } from '../engine/types.js';
import { conflict, notModified } from '../errors.js';

const startable: ContainerStatus[] = ['created', 'exited'];

export function assertCanStart(status: ContainerStatus, id: string): void {
  if (status === 'running' || status === 'restarting') throw notModified(`container ${id} is already started`);
  if (status === 'paused') throw conflict(`cannot start a paused container, try unpause instead`);
  if (!startable.includes(status)) throw conflict(`cannot start container ${id}: container is ${status}`);
}

export function assertCanKill(status: ContainerStatus, id: string): void {
  if (status !== 'running' && status !== 'paused') throw conflict(`Cannot kill container: ${id}: Container ${id} is not running`);
}

export function assertCanRemove(status: ContainerStatus, name: string, force: boolean): void {
  if (status === 'removing') throw conflict(`removal of container ${name} is already in progress`);
  if (force) return;
  if (status === 'running' || status === 'restarting') {
    throw conflict(`cannot remove container "/${name}": container is running: stop the container before removing or force remove`);
  }
  if (status === 'paused') throw conflict(`cannot remove container "/${name}": container is paused: unpause the container before removing or force remove`);
}

export function assertCanExec(status: ContainerStatus, id: string): void {
  if (status === 'paused') throw conflict(`Container ${id} is paused, unpause the container before exec`);
  if (status !== 'running') throw conflict(`container ${id} is not running`);
}

export const isRunning = (status: ContainerStatus): boolean => status === 'running' || status === 'paused' || status === 'restarting';

// Where the conmon runtime keeps its state under the exec root. Everything of one container lives in
// monitor(id) (and its exit file in exits/), so deleting a container leaves nothing behind.
//
//   <execRoot>/oci/<id>/                   the OCI runtime's own state (`runc --root <execRoot>/oci`)
//   <execRoot>/exits/<id>                  exit code, written by conmon (one directory, one watch for all)
//   <execRoot>/conmon/<id>/                monitor.json, pidfile, conmon.pid, exit and oom (conmon's persist dir)
//   <execRoot>/conmon/<id>/exec/<execId>/  an exec session: conmon's bundle (attach, ctl, winsz), process.json
import path from 'node:path';
import { invalidArgument } from '../errors.js';

export interface RuntimePaths {
  ociRoot: string;
  exits: string;
  exitFile(id: string): string;
  monitors: string;
  monitor(id: string): string;
  monitorFile(id: string, name: 'monitor.json' | 'pidfile' | 'conmon.pid' | 'oom'): string;
  execSession(id: string, execId: string): string;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Ids become path components and runtime arguments: only runc's id alphabet is accepted. */
export function assertSafeId(id: string, what = 'container id'): void {
  if (!SAFE_ID.test(id)) throw invalidArgument(`invalid ${what}: ${JSON.stringify(id)}`);
}

export function runtimePaths(execRoot: string): RuntimePaths {
  const root = path.resolve(execRoot);
  const monitor = (id: string) => path.join(root, 'conmon', id);
  return {
    ociRoot: path.join(root, 'oci'),
    exits: path.join(root, 'exits'),
    exitFile: (id) => path.join(root, 'exits', id),
    monitors: path.join(root, 'conmon'),
    monitor,
    monitorFile: (id, name) => path.join(monitor(id), name),
    execSession: (id, execId) => path.join(monitor(id), 'exec', execId),
  };
}

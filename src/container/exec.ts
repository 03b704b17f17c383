// Exec sessions: extra processes in a running container. Kept in memory, as Docker does.
import type { Container, ExecInfo, ExecSpec } from '../engine/types.js';
import type { Attachment, ExitStatus, OciProcess } from '../runtime/types.js';
import type { Runtime } from '../runtime/types.js';
import { conflict, notFound } from '../errors.js';
import { newId } from '../util/ids.js';
import { assertCanExec } from './state-machine.js';

interface ExecRecord {
  info: ExecInfo;
  resize?: (h: number, w: number) => Promise<void>;
}

export interface ExecManager {
  create(c: Container, spec: ExecSpec): string;
  start(execId: string, container: (id: string) => Container): Promise<{ attachment: Attachment; exited: Promise<ExitStatus> }>;
  resize(execId: string, height: number, width: number): Promise<void>;
  inspect(execId: string): ExecInfo;
  /** Forgets the sessions of a removed container. */
  drop(containerId: string): void;
}

export function createExecManager(
  runtime: Runtime,
  buildProcess: (c: Container, spec: ExecSpec) => Promise<OciProcess>,
  onEvent: (c: Container, action: string) => void,
): ExecManager {
  const execs = new Map<string, ExecRecord>();
  const get = (id: string) => {
    const rec = execs.get(id);
    if (!rec) throw notFound(`No such exec instance: ${id}`);
    return rec;
  };

  return {
    create(c, spec) {
      assertCanExec(c.state.status, c.id);
      const id = newId();
      execs.set(id, { info: { id, containerId: c.id, spec, running: false, exitCode: null, pid: 0 } });
      c.execIds.push(id);
      onEvent(c, `exec_create: ${spec.cmd.join(' ')}`);
      return id;
    },
    async start(execId, container) {
      const rec = get(execId);
      if (rec.info.running || rec.info.exitCode !== null) throw conflict(`exec ${execId} has already been started`);
      const c = container(rec.info.containerId);
      assertCanExec(c.state.status, c.id);
      const process = await buildProcess(c, rec.info.spec);
      const session = await runtime.exec(c.id, {
        execId, process, terminal: rec.info.spec.tty, stdin: rec.info.spec.attachStdin,
      }).catch((err: unknown) => {
        // Docker reports an exec whose process could not start as exited with 126.
        rec.info.exitCode = 126;
        throw err;
      });
      rec.info.running = true;
      rec.info.pid = session.pid;
      rec.resize = session.resize;
      onEvent(c, `exec_start: ${rec.info.spec.cmd.join(' ')}`);
      const exited = session.exited.then((status) => {
        rec.info.running = false;
        rec.info.exitCode = status.exitCode;
        onEvent(c, 'exec_die');
        return status;
      });
      return { attachment: session.attachment, exited };
    },
    async resize(execId, height, width) {
      const rec = get(execId);
      if (!rec.resize || !rec.info.running) throw conflict(`exec ${execId} is not running`);
      await rec.resize(height, width);
    },
    inspect: (execId) => get(execId).info,
    drop(containerId) {
      for (const [id, rec] of execs) if (rec.info.containerId === containerId) execs.delete(id);
    },
  };
}

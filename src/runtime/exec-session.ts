// An exec session run by its own conmon (podman's ExecContainer): conmon calls `runtime exec --detach` (owning the
// pty when there is a terminal, which berth could not: Node cannot receive a console fd), and berth attaches to its
// socket before letting the process start, so no output is lost.
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BerthError, conflict, isErrno, notFound } from '../errors.js';
import type { Logger } from '../util/logger.js';
import type { ExecOptions, ExecSession, ExitStatus } from './types.js';
import { createAttachment } from './attachment.js';
import { conmonArgs } from './conmon-args.js';
import { launchConmon, type ConmonProcess } from './conmon-process.js';
import { ociError, runtimeErrorMessage, type OciCli } from './oci-cli.js';
import { assertSafeId, type RuntimePaths } from './runtime-paths.js';
import { connectSeqpacket } from './seqpacket-socket.js';
import { resizeTerminal } from './terminal-control.js';

export interface ExecDeps {
  paths: RuntimePaths;
  cli: OciCli;
  conmonPath: string;
  logger: Logger;
  /** Moves conmon (before it starts anything) to the cgroup it should live in. */
  placeMonitor(pid: number | undefined): Promise<void>;
}

function writeByte(conmon: ConmonProcess): void {
  conmon.start!.write(Buffer.of(0));
}

async function waitExit(conmon: ConmonProcess, execId: string): Promise<ExitStatus> {
  const message = await conmon.sync.next();
  if (!message) throw new BerthError('internal', `exec session ${execId} ended without an exit status`);
  // conmon closes the pipe as it exits: after that nothing of the session is left to clean.
  while ((await conmon.sync.next()) !== undefined);
  return { exitCode: message.data, exitedAt: new Date(), oomKilled: false };
}

export async function startExecSession(deps: ExecDeps, id: string, opts: ExecOptions): Promise<ExecSession> {
  assertSafeId(id);
  assertSafeId(opts.execId, 'exec id');
  if (!(await stat(deps.paths.monitor(id)).catch(() => undefined))) throw notFound(`No such container: ${id}`);
  const dir = deps.paths.execSession(id, opts.execId);
  await mkdir(path.dirname(dir), { recursive: true });
  try {
    await mkdir(dir);
  } catch (err) {
    if (isErrno(err, 'EEXIST')) throw conflict(`exec session ${opts.execId} already exists`);
    throw err;
  }
  const cleanup = () => rm(dir, { recursive: true, force: true });
  let conmon: ConmonProcess | undefined;
  try {
    const processSpec = path.join(dir, 'process.json');
    await writeFile(processSpec, JSON.stringify({ ...opts.process, terminal: opts.terminal }));
    conmon = launchConmon({
      conmonPath: deps.conmonPath,
      cwd: dir,
      exec: true,
      args: conmonArgs({
        id, sessionId: opts.execId, runtimePath: deps.cli.path, runtimeArgs: deps.cli.globalArgs, bundle: dir,
        pidFile: path.join(dir, 'pidfile'), exitDir: dir, log: 'none', terminal: opts.terminal, stdin: opts.stdin,
        execProcessSpec: processSpec,
      }),
    });
    // conmon waits for a first byte before it does anything: the time to move it to its cgroup, as podman does.
    await deps.placeMonitor(conmon.pid);
    writeByte(conmon);
    const ready = await conmon.attach!.next();
    if (!ready || ready.data < 0) {
      await conmon.launched;
      throw new BerthError('internal', `conmon did not set up exec session ${opts.execId}${ready?.message ? `: ${ready.message}` : ''}`);
    }
    const attachment = createAttachment(connectSeqpacket(dir, 'attach'), opts.stdin);
    writeByte(conmon); // the second one starts `runtime exec`
    const started = await conmon.sync.next();
    if (!started || started.data < 0) {
      attachment.close();
      throw ociError('exec', id, runtimeErrorMessage(started?.message ?? '') || 'conmon exited before the process started');
    }
    const running = conmon;
    const exited = waitExit(running, opts.execId).finally(() => {
      running.release();
      return cleanup();
    });
    exited.catch((err) => deps.logger.warn('exec session lost', { id, execId: opts.execId, err: String(err) }));
    return {
      pid: started.data,
      attachment,
      resize: (height, width) => resizeTerminal(dir, height, width, `exec session ${opts.execId}`),
      exited,
    };
  } catch (err) {
    conmon?.release();
    await cleanup();
    throw err;
  }
}

// conmon's command line, as podman's sharedConmonArgs + createOCIContainer / startExec build it.
export interface ConmonArgs {
  /** Container id (runtime argument, name of the exit file). */
  id: string;
  /** The monitored process: the container id again, or an exec session id. */
  sessionId: string;
  runtimePath: string;
  /** Global runtime flags (--root ...), passed on with --runtime-arg. */
  runtimeArgs: string[];
  /** Where conmon puts attach, ctl and winsz (--full-attach: the socket is <bundle>/attach). */
  bundle: string;
  pidFile: string;
  exitDir: string;
  /** "k8s-file:<path>" or "none". */
  log: string;
  logSizeMax?: number;
  persistDir?: string;
  conmonPidFile?: string;
  terminal: boolean;
  stdin: boolean;
  /** Keep the process's stdin open when an attached client goes away (docker's StdinOnce=false). */
  leaveStdinOpen?: boolean;
  /** Exec sessions: the process.json for `runtime exec --process`. */
  execProcessSpec?: string;
}

export function conmonArgs(a: ConmonArgs): string[] {
  const args = [
    '--api-version', '1',
    '-c', a.id,
    '-u', a.sessionId,
    '-r', a.runtimePath,
    '-b', a.bundle,
    '-p', a.pidFile,
    '-n', a.id,
    '--exit-dir', a.exitDir,
    '--full-attach',
    '-l', a.log,
    // conmon would fsync the log before recording the exit: Docker's json-file does not, and it costs each exit
    // a disk flush (hundreds of ms on a busy disk).
    '--no-sync-log',
  ];
  if (a.logSizeMax && a.logSizeMax > 0) args.push('--log-size-max', String(a.logSizeMax));
  if (a.persistDir) args.push('--persist-dir', a.persistDir);
  if (a.conmonPidFile) args.push('--conmon-pidfile', a.conmonPidFile);
  // With a terminal, stdin goes to the pty whatever -i says; -i alone makes conmon open a stdin pipe.
  if (a.terminal) args.push('-t');
  if (a.stdin && (!a.terminal || a.execProcessSpec)) args.push('-i');
  if (a.leaveStdinOpen) args.push('--leave-stdin-open');
  if (a.execProcessSpec) args.push('-e', '--exec-attach', '--exec-process-spec', a.execProcessSpec);
  for (const arg of a.runtimeArgs) args.push('--runtime-arg', arg);
  return args;
}

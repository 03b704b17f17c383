// How a CLI command ends other than normally: with a status, after its message (if any) was printed.
import { isDaemonError } from '../client/index.js';

/** Ends the command with `status`; message (may be empty: already reported) goes to stderr. */
export class StatusError extends Error {
  readonly status: number;
  constructor(status: number, message = '') {
    super(message);
    this.name = 'StatusError';
    this.status = status;
  }
}

/** A bad flag (status 125, like docker) or a wrong number of arguments (status 1); main adds the --help hint. */
export class UsageError extends StatusError {
  constructor(message: string, status = 125) {
    super(status, message);
    this.name = 'UsageError';
  }
}

/** An error as docker prints it: "Error response from daemon: ..." for the daemon's own errors. */
export function errorText(err: unknown): string {
  if (isDaemonError(err)) return `Error response from daemon: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** docker's run/create failure: "berth: <error>" and a pointer to the command's help, with `status`. */
export function withHelp(err: unknown, command: string, status: number): StatusError {
  if (err instanceof StatusError) return err;
  return new StatusError(status, `berth: ${errorText(err)}\n\nRun 'berth ${command} --help' for more information`);
}

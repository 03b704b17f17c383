// Runs the OCI runtime binary (runc, or crun on cgroup v2-only hosts) against berth's own state root, and turns
// its error output into BerthErrors with Docker-like messages.
import { run } from '../util/run.js';
import { existsSync } from 'node:fs';
import { BerthError, conflict, invalidArgument, notFound } from '../errors.js';

export interface OciCli {
  /** Absolute path of the runtime binary. */
  path: string;
  /** Global flags every invocation gets (["--root", dir]); conmon passes them on as --runtime-arg. */
  globalArgs: string[];
  /** Runs `runtime <global flags> ...args`; resolves with stdout, rejects with ociError(). */
  run(args: string[], id: string): Promise<string>;
}

/** runc on hybrid and v1 hosts; crun only where the cgroup tree is v2 alone (crun refuses the hybrid layout). */
export function defaultRuntimePath(cgroupRoot = '/sys/fs/cgroup'): string {
  const v2Only = existsSync(`${cgroupRoot}/cgroup.controllers`);
  const candidates = v2Only ? ['/usr/bin/crun', '/usr/local/bin/crun', '/usr/sbin/runc', '/usr/bin/runc'] : ['/usr/sbin/runc', '/usr/bin/runc', '/usr/local/sbin/runc', '/usr/local/bin/runc'];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new BerthError('unavailable', `no OCI runtime found (looked for ${candidates.join(', ')})`);
  return found;
}

/** Go's strconv.Unquote for the msg="..." field of logrus text output. */
function unquoteGo(s: string): string {
  try {
    return JSON.parse(`"${s.replace(/\\'/g, "'")}"`) as string;
  } catch {
    return s;
  }
}

/**
 * The runtime's own error message from its stderr: logrus JSON lines ({"msg": ...}), logrus text lines
 * (level=error msg="..."), or plain text (crun). The last error line wins.
 */
export function runtimeErrorMessage(stderr: string): string {
  const messages: string[] = [];
  for (const line of stderr.split('\n').map((l) => l.trim()).filter(Boolean)) {
    if (line.startsWith('{')) {
      try {
        const entry = JSON.parse(line) as { level?: string; msg?: string };
        if (entry.msg && (entry.level === undefined || entry.level === 'error' || entry.level === 'fatal')) messages.push(entry.msg);
        continue;
      } catch {
        // not JSON after all: plain text
      }
    }
    const text = /level=(?:error|fatal) msg="((?:[^"\\]|\\.)*)"/.exec(line);
    if (text) messages.push(unquoteGo(text[1]));
    else if (!/level=(?:debug|info|warning)/.test(line)) messages.push(line);
  }
  return messages.at(-1) ?? stderr.trim();
}

/** Classifies a runtime failure of `op` on container `id` the way Docker reports it. */
export function ociError(op: string, id: string, message: string): BerthError {
  if (/does not exist|opening file .*\/(?:status|state\.json)\b/i.test(message)) return notFound(`No such container: ${id}`);
  if (/not running|has stopped|stopped container|cannot exec in a stopped|no such process/i.test(message)) {
    return conflict(`Container ${id} is not running`);
  }
  if (/not stopped|not in 'stopped' state|already running|is running/i.test(message)) {
    return conflict(`Container ${id} is running: ${message}`);
  }
  // A missing or non-executable program is the user's configuration, not a runtime fault (Docker answers 400).
  if (/executable file not found|no such file or directory|permission denied|not a directory/i.test(message)) {
    return invalidArgument(`OCI runtime ${op} failed: ${message}: unknown`);
  }
  return new BerthError('internal', `OCI runtime ${op} failed: ${message}: unknown`);
}

export function createOciCli(runtimePath: string, stateRoot: string): OciCli {
  const globalArgs = ['--root', stateRoot];
  return {
    path: runtimePath,
    globalArgs,
    async run(args, id) {
      const r = await run(runtimePath, [...globalArgs, ...args]).catch((e: Error) => {
        throw new BerthError('unavailable', `cannot run ${runtimePath}: ${e.message}`, { cause: e });
      });
      if (r.code === 0) return r.stdout;
      throw ociError(args[0], id, runtimeErrorMessage(r.stderr) || `exited with status ${r.code}`);
    },
  };
}

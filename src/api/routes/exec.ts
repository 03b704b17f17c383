// Exec endpoints: create, start (hijacked unless detached), resize, inspect.
import type { ExecInfo, ExecSpec } from '../../engine/types.js';
import { invalidArgument } from '../../errors.js';
import { versionAtLeast } from '../api-version.js';
import { readJsonObject } from '../body.js';
import { validEnv, validWorkingDir } from '../container-spec.js';
import { defaultDetachKeys, parseDetachKeys } from '../detach-keys.js';
import { hijack } from '../hijack.js';
import { messageOf } from '../http-status.js';
import { compact, fields } from '../json-fields.js';
import { sendEmpty, sendJson } from '../respond.js';
import { runSession } from '../session.js';
import { encodeOutput } from '../stdcopy.js';
import { write } from '../streaming.js';
import type { RequestContext, Route } from '../types.js';

/** Docker's exec create body → ExecSpec. */
export function toExecSpec(body: Record<string, unknown>): ExecSpec {
  const f = fields(body, 'ExecConfig');
  const cmd = f.strSlice('Cmd') ?? [];
  if (cmd.length === 0) throw invalidArgument('No exec command specified');
  const detachKeys = f.str('DetachKeys') || undefined;
  if (detachKeys) parseDetachKeys(detachKeys);
  return compact<ExecSpec>({
    cmd,
    env: validEnv(f.strList('Env') ?? []),
    user: f.str('User'),
    workingDir: validWorkingDir(f.str('WorkingDir')),
    tty: f.bool('Tty'),
    attachStdin: f.bool('AttachStdin'),
    attachStdout: f.bool('AttachStdout'),
    attachStderr: f.bool('AttachStderr'),
    privileged: f.bool('Privileged'),
    detachKeys,
  });
}

export function execInspectJson(e: ExecInfo): Record<string, unknown> {
  return {
    ID: e.id,
    Running: e.running,
    ExitCode: e.exitCode,
    ProcessConfig: {
      tty: e.spec.tty,
      entrypoint: e.spec.cmd[0],
      arguments: e.spec.cmd.slice(1),
      privileged: e.spec.privileged,
      ...(e.spec.user ? { user: e.spec.user } : {}),
    },
    OpenStdin: e.spec.attachStdin,
    OpenStderr: e.spec.attachStderr,
    OpenStdout: e.spec.attachStdout,
    CanRemove: false,
    ContainerID: e.containerId,
    DetachKeys: e.spec.detachKeys ?? '',
    Pid: e.pid,
  };
}

async function create(ctx: RequestContext): Promise<void> {
  const spec = toExecSpec(await readJsonObject(ctx));
  sendJson(ctx.res, 201, { Id: await ctx.deps.engine.containers.execCreate(ctx.params.id, spec) });
}

/**
 * POST /exec/{id}/start. Detached: started and answered at once. Otherwise the connection is taken over first
 * (as Docker does) and closed once the output has ended and the exit code is recorded (the CLI inspects it next).
 */
async function start(ctx: RequestContext): Promise<void> {
  const { engine, logger } = ctx.deps;
  const body = fields(await readJsonObject(ctx), 'ExecStartConfig');
  const detach = body.bool('Detach');
  const tty = body.bool('Tty');
  const size = tty && versionAtLeast(ctx.apiVersion, '1.42') ? body.intList('ConsoleSize') : undefined;
  const info = await engine.containers.execInspect(ctx.params.id);
  const applyConsoleSize = async () => {
    if (size?.length === 2 && size[0] > 0 && size[1] > 0) {
      await engine.containers.execResize(info.id, size[0], size[1]).catch((err) => logger.debug('exec resize failed', { err: String(err) }));
    }
  };
  if (detach) {
    const { attachment } = await engine.containers.execStart(info.id, { tty });
    attachment.close();
    await applyConsoleSize();
    return sendEmpty(ctx.res, 200);
  }
  const conn = hijack(ctx, !tty);
  try {
    const started = await engine.containers.execStart(info.id, { tty }).catch(async (err: unknown) => {
      await write(conn.output, encodeOutput(!tty, 'stdout', Buffer.from(`${messageOf(err)}\r\n`)));
      throw err;
    });
    await applyConsoleSize();
    await runSession(conn, started.attachment, {
      multiplexed: !tty,
      tty,
      stdout: info.spec.attachStdout,
      stderr: info.spec.attachStderr,
      stdin: info.spec.attachStdin,
      closeStdin: true,
      detachKeys: info.spec.detachKeys ? parseDetachKeys(info.spec.detachKeys) : defaultDetachKeys,
      signal: ctx.signal,
      logger,
      beforeEnd: () => started.exited,
    });
  } finally {
    conn.end();
  }
}

async function resize(ctx: RequestContext): Promise<void> {
  const height = ctx.query.int('h');
  const width = ctx.query.int('w');
  if (height === undefined || width === undefined || height < 0 || width < 0) {
    throw invalidArgument('resize needs non-negative integers h and w');
  }
  await ctx.deps.engine.containers.execResize(ctx.params.id, height, width);
  sendEmpty(ctx.res, 200);
}

export const execRoutes: Route[] = [
  { method: 'POST', path: '/containers/{id}/exec', handler: create },
  { method: 'POST', path: '/exec/{id}/start', handler: start },
  { method: 'POST', path: '/exec/{id}/resize', handler: resize },
  {
    method: 'GET',
    path: '/exec/{id}/json',
    handler: async (ctx) => sendJson(ctx.res, 200, execInspectJson(await ctx.deps.engine.containers.execInspect(ctx.params.id))),
  },
];

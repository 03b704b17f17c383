// Container streams: attach (hijacked) and logs.
import type { Writable } from 'node:stream';
import type { LogOptions } from '../../engine/types.js';
import { conflict, invalidArgument } from '../../errors.js';
import { versionAtLeast } from '../api-version.js';
import { defaultDetachKeys, parseDetachKeys } from '../detach-keys.js';
import { hijack } from '../hijack.js';
import { messageOf } from '../http-status.js';
import { runSession } from '../session.js';
import { encodeOutput, MediaType } from '../stdcopy.js';
import { startStream, write } from '../streaming.js';
import { parseTimestamp, rfc3339NanoFixed } from '../timestamps.js';
import type { RequestContext, Route } from '../types.js';

/** Writes the container's log lines to dest, framed when multiplexed. */
async function copyLogs(ctx: RequestContext, id: string, opts: LogOptions, dest: Writable, multiplexed: boolean): Promise<void> {
  for await (const line of ctx.deps.engine.containers.logs(id, opts, ctx.signal)) {
    const data = opts.timestamps ? Buffer.concat([Buffer.from(`${rfc3339NanoFixed(line.time)} `), line.data]) : line.data;
    await write(dest, encodeOutput(multiplexed, line.stream, data));
  }
}

/**
 * POST /containers/{id}/attach. Docker's order: the connection is taken over, past output is replayed
 * (logs=1), then the live streams are attached (stream=1) until the output ends. `docker run` attaches
 * before it starts the container.
 */
async function attach(ctx: RequestContext): Promise<void> {
  const { query, deps } = ctx;
  const detachKeys = query.get('detachKeys') ? parseDetachKeys(query.get('detachKeys')!) : defaultDetachKeys;
  const c = await deps.engine.containers.get(ctx.params.id);
  if (c.state.paused) throw conflict(`container ${ctx.params.id} is paused, unpause the container before attach`);
  if (c.state.restarting) throw conflict(`container ${ctx.params.id} is restarting, wait until the container is running`);
  const multiplexed = !c.spec.tty;
  const stdout = query.bool('stdout');
  const stderr = query.bool('stderr');
  const conn = hijack(ctx, multiplexed);
  try {
    if (query.bool('logs')) {
      await copyLogs(ctx, c.id, { follow: false, stdout, stderr, since: 0, until: 0, timestamps: false }, conn.output, multiplexed);
    }
    if (!query.bool('stream')) return;
    const attachment = await deps.engine.containers.attach(c.id).catch(async (err: unknown) => {
      await write(conn.output, encodeOutput(multiplexed, 'stdout', Buffer.from(`Error attaching: ${messageOf(err)}\n`)));
      throw err;
    });
    await runSession(conn, attachment, {
      multiplexed,
      tty: c.spec.tty,
      stdout,
      stderr,
      stdin: query.bool('stdin') && c.spec.openStdin,
      closeStdin: c.spec.stdinOnce,
      detachKeys,
      signal: ctx.signal,
      logger: deps.logger,
    });
  } finally {
    conn.end();
  }
}

/** GET /containers/{id}/logs: framed (non-TTY) or raw (TTY), chunked, flushed per line; ends when follow ends. */
async function logs(ctx: RequestContext): Promise<void> {
  const { query } = ctx;
  const stdout = query.bool('stdout');
  const stderr = query.bool('stderr');
  if (!stdout && !stderr) throw invalidArgument('Bad parameters: you must choose at least one stream');
  const tailRaw = query.get('tail') ?? 'all';
  const tail = /^\d+$/.test(tailRaw) ? Number(tailRaw) : undefined; // Docker: anything else means all
  const opts: LogOptions = {
    follow: query.bool('follow'),
    stdout,
    stderr,
    since: parseTimestamp('since', query.get('since')) ?? 0,
    until: parseTimestamp('until', query.get('until')) ?? 0,
    timestamps: query.bool('timestamps'),
    ...(tail !== undefined ? { tail } : {}),
  };
  const c = await ctx.deps.engine.containers.get(ctx.params.id);
  const multiplexed = !c.spec.tty;
  startStream(ctx.res, multiplexed && versionAtLeast(ctx.apiVersion, '1.42') ? MediaType.multiplexed : MediaType.raw);
  try {
    await copyLogs(ctx, c.id, opts, ctx.res, multiplexed);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    // Headers are out: Docker reports the error in band, on stderr.
    ctx.deps.logger.warn('reading logs failed', { id: c.id, err: messageOf(err) });
    await write(ctx.res, encodeOutput(multiplexed, 'stderr', Buffer.from(`Error grabbing logs: ${messageOf(err)}\n`)));
  }
  ctx.res.end();
}

export const containerIoRoutes: Route[] = [
  { method: 'POST', path: '/containers/{id}/attach', handler: attach },
  { method: 'GET', path: '/containers/{id}/logs', handler: logs },
];

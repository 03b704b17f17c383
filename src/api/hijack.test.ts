import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Attachment, ExitStatus } from '../runtime/types.js';
import { conflict, notFound } from '../errors.js';
import { containerRecord, demux, engineWith, rawClient, splitHead, startServer } from './test-helpers.js';

/** An attachment whose process side the test drives: output chunks in, stdin bytes out. */
function attachment(withStdin: boolean) {
  const output = new PassThrough({ objectMode: true });
  const stdin = withStdin ? new PassThrough() : undefined;
  const stdinData: Buffer[] = [];
  stdin?.on('data', (d: Buffer) => stdinData.push(d));
  let closed = 0;
  const a: Attachment = { output, ...(stdin ? { stdin } : {}), close: () => void closed++ };
  return {
    a,
    say: (stream: 'stdout' | 'stderr', text: string) => output.write({ stream, data: Buffer.from(text) }),
    exit: () => output.end(),
    stdinText: () => Buffer.concat(stdinData).toString(),
    stdinEnded: () => stdin?.readableEnded ?? false,
    closed: () => closed,
  };
}

const upgradeRequest = (target: string, body = '') =>
  `POST ${target} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
  (body ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : 'Content-Type: text/plain\r\n') +
  `\r\n${body}`;

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !cond(); i++) await sleep(10);
  assert.ok(cond(), what);
};

test('attach upgrades the connection: framed output, stdin forwarded, half-close ends stdin (StdinOnce), output end closes', async (t) => {
  const att = attachment(true);
  const srv = await startServer(
    engineWith({ containers: { get: async () => containerRecord({ openStdin: true, stdinOnce: true }), attach: async () => att.a } }),
  );
  t.after(() => srv.close());
  const client = await rawClient(srv.socket);
  client.socket.write(upgradeRequest('/v1.50/containers/box/attach?stream=1&stdin=1&stdout=1&stderr=1'));
  const { head } = splitHead(await client.until((b) => splitHead(b) !== undefined))!;
  const lines = head.split('\r\n');
  assert.equal(lines[0], 'HTTP/1.1 101 UPGRADED');
  assert.ok(lines.includes('Content-Type: application/vnd.docker.multiplexed-stream'));
  assert.ok(lines.includes('Connection: Upgrade'));
  assert.ok(lines.includes('Upgrade: tcp'));
  assert.ok(lines.includes('Api-Version: 1.50'));

  client.socket.write('hello ');
  client.socket.write('world');
  await until(() => att.stdinText() === 'hello world', 'stdin forwarded');
  client.socket.end();
  await until(att.stdinEnded, 'stdin ended on half-close');

  att.say('stdout', 'out\n');
  att.say('stderr', 'err\n');
  await client.until((b) => demux(splitHead(b)!.rest).length === 2);
  att.exit();
  await client.closed;
  assert.deepEqual(demux(splitHead(client.received())!.rest), [{ stream: 1, data: 'out\n' }, { stream: 2, data: 'err\n' }]);
  assert.equal(att.closed(), 1);
});

test('TTY attach is raw; ctrl-p ctrl-q detaches without closing the process stdin', async (t) => {
  const att = attachment(true);
  const srv = await startServer(
    engineWith({ containers: { get: async () => containerRecord({ tty: true, openStdin: true }), attach: async () => att.a } }),
  );
  t.after(() => srv.close());
  const client = await rawClient(srv.socket);
  client.socket.write(upgradeRequest('/v1.41/containers/box/attach?stream=1&stdin=1&stdout=1&stderr=1'));
  await client.until((b) => splitHead(b) !== undefined);
  assert.match(splitHead(client.received())!.head, /Content-Type: application\/vnd\.docker\.raw-stream/);
  att.say('stdout', '$ ');
  await client.until((b) => splitHead(b)!.rest.toString() === '$ ');
  client.socket.write(Buffer.from([108, 115, 16, 17, 120]));
  await client.closed;
  assert.equal(att.stdinText(), 'ls');
  assert.equal(att.stdinEnded(), false);
  assert.equal(att.closed(), 1);
});

test('attach without an Upgrade header answers 200 with a raw stream and closes at the end', async (t) => {
  const att = attachment(false);
  const srv = await startServer(engineWith({ containers: { get: async () => containerRecord(), attach: async () => att.a } }));
  t.after(() => srv.close());
  const client = await rawClient(srv.socket);
  client.socket.write('POST /v1.50/containers/box/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\n\r\n');
  await client.until((b) => splitHead(b) !== undefined);
  att.say('stdout', 'plain');
  att.say('stderr', 'not asked for');
  att.exit();
  await client.closed;
  const { head, rest } = splitHead(client.received())!;
  assert.match(head, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(head, /Content-Type: application\/vnd\.docker\.raw-stream/);
  assert.doesNotMatch(head, /Transfer-Encoding/);
  assert.deepEqual(demux(rest), [{ stream: 1, data: 'plain' }]);
});

test('attach with logs=1 and stream=0 replays the log only; a missing container is a plain 404', async (t) => {
  let attached = 0;
  const srv = await startServer(
    engineWith({
      containers: {
        get: async (ref) => (ref === 'box' ? containerRecord() : Promise.reject(notFound(`No such container: ${ref}`))),
        attach: async () => {
          attached++;
          return attachment(false).a;
        },
        logs: () =>
          (async function* () {
            yield { stream: 'stdout' as const, time: new Date(), data: Buffer.from('earlier\n') };
          })(),
      },
    }),
  );
  t.after(() => srv.close());
  const replay = await rawClient(srv.socket);
  replay.socket.write(upgradeRequest('/v1.50/containers/box/attach?logs=1&stream=0&stdout=1'));
  await replay.closed;
  assert.deepEqual(demux(splitHead(replay.received())!.rest), [{ stream: 1, data: 'earlier\n' }]);
  assert.equal(attached, 0);

  const missing = await rawClient(srv.socket);
  missing.socket.write(upgradeRequest('/v1.50/containers/nosuch/attach?stream=1&stdout=1'));
  await missing.closed;
  const { head, rest } = splitHead(missing.received())!;
  assert.match(head, /^HTTP\/1\.1 404 Not Found/);
  assert.deepEqual(JSON.parse(rest.toString()), { message: 'No such container: nosuch' });
});

test('exec start: the JSON body is split from stdin sent right after it; the connection closes once the exit is known', async (t) => {
  const att = attachment(true);
  let exited!: (s: ExitStatus) => void;
  const started: unknown[] = [];
  const srv = await startServer(
    engineWith({
      containers: {
        execInspect: async (id) => ({
          id, containerId: 'c', running: false, exitCode: null, pid: 0,
          spec: { cmd: ['cat'], env: [], tty: false, attachStdin: true, attachStdout: true, attachStderr: true, privileged: false },
        }),
        execStart: async (id, opts) => {
          started.push([id, opts]);
          return { attachment: att.a, exited: new Promise<ExitStatus>((r) => (exited = r)) };
        },
      },
    }),
  );
  t.after(() => srv.close());
  const client = await rawClient(srv.socket);
  client.socket.write(upgradeRequest('/v1.50/exec/e1/start', '{"Detach":false,"Tty":false}') + 'stdin bytes');
  await client.until((b) => splitHead(b) !== undefined);
  assert.match(splitHead(client.received())!.head, /^HTTP\/1\.1 101 UPGRADED/);
  assert.deepEqual(started, [['e1', { tty: false }]]);
  await until(() => att.stdinText() === 'stdin bytes', 'stdin after the body');
  client.socket.end();
  await until(att.stdinEnded, 'exec stdin closed on half-close');
  att.say('stdout', 'STDIN BYTES');
  att.exit();
  await client.until((b) => demux(splitHead(b)!.rest).length === 1);
  await sleep(50);
  assert.equal(client.socket.destroyed, false, 'held open until the exit code is recorded');
  exited({ exitCode: 0, exitedAt: new Date(), oomKilled: false });
  await client.closed;
});

test('exec start: detached answers at once; an error after the upgrade is written to the stream', async (t) => {
  const att = attachment(false);
  const srv = await startServer(
    engineWith({
      containers: {
        execInspect: async (id) => ({
          id, containerId: 'c', running: false, exitCode: null, pid: 0,
          spec: { cmd: ['true'], env: [], tty: true, attachStdin: false, attachStdout: true, attachStderr: true, privileged: false },
        }),
        execStart: async (id) => {
          if (id === 'gone') throw conflict('container c is not running');
          return { attachment: att.a, exited: new Promise<ExitStatus>(() => undefined) };
        },
      },
    }),
  );
  t.after(() => srv.close());
  const detached = await rawClient(srv.socket);
  detached.socket.write(upgradeRequest('/v1.50/exec/e2/start', '{"Detach":true}'));
  await detached.closed;
  assert.match(detached.received().toString(), /^HTTP\/1\.1 200 OK/);
  assert.equal(att.closed(), 1);

  const failing = await rawClient(srv.socket);
  failing.socket.write(upgradeRequest('/v1.50/exec/gone/start', '{"Tty":true}'));
  await failing.closed;
  const { head, rest } = splitHead(failing.received())!;
  assert.match(head, /^HTTP\/1\.1 101 UPGRADED/);
  assert.equal(rest.toString(), 'container c is not running\r\n');
});

test('closing the server ends attached sessions', async () => {
  const att = attachment(false);
  const srv = await startServer(engineWith({ containers: { get: async () => containerRecord(), attach: async () => att.a } }));
  const client = await rawClient(srv.socket);
  client.socket.write(upgradeRequest('/v1.50/containers/box/attach?stream=1&stdout=1'));
  await client.until((b) => splitHead(b) !== undefined);
  await srv.close();
  await client.closed;
  await until(() => att.closed() === 1, 'attachment closed');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { EngineEvent, ImageInfo, LogLine, LogOptions } from '../engine/types.js';
import type { ExitStatus } from '../runtime/types.js';
import { conflict, notFound } from '../errors.js';
import { containerRecord, demux, engineWith, json, request, startServer } from './test-helpers.js';

/** Starts a request and resolves as soon as the response headers arrive; body collects everything, first the first chunk. */
function open(socketPath: string, method: string, urlPath: string): Promise<{ res: IncomingMessage; first: Promise<string>; body: Promise<Buffer> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ socketPath, method, path: urlPath }, (res) => {
      const chunks: Buffer[] = [];
      const first = new Promise<string>((done) => res.once('data', (c: Buffer) => done(c.toString())));
      res.on('data', (c: Buffer) => chunks.push(c));
      const body = new Promise<Buffer>((done) => res.on('end', () => done(Buffer.concat(chunks))));
      resolve({ res, first, body });
    });
    req.on('error', reject);
    req.end();
  });
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

test('wait sends its headers once the wait is registered, and the exit status when the container exits', async (t) => {
  const c = containerRecord();
  const exit = deferred<ExitStatus>();
  const calls: unknown[][] = [];
  const srv = await startServer(
    engineWith({
      containers: {
        get: async (ref) => (ref === c.name ? c : Promise.reject(notFound(`No such container: ${ref}`))),
        wait: (ref, condition, signal) => {
          calls.push([ref, condition, signal instanceof AbortSignal]);
          return exit.promise;
        },
      },
    }),
  );
  t.after(() => srv.close());
  const { res, body } = await open(srv.socket, 'POST', '/v1.50/containers/box/wait?condition=next-exit');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.deepEqual(calls, [[c.id, 'next-exit', true]]);
  exit.resolve({ exitCode: 3, exitedAt: new Date(), oomKilled: false });
  assert.deepEqual(JSON.parse((await body).toString()), { StatusCode: 3 });

  assert.equal((await request(srv.socket, 'POST', '/v1.50/containers/nosuch/wait')).status, 404);
  const bad = await request(srv.socket, 'POST', '/v1.50/containers/box/wait?condition=later');
  assert.equal(bad.status, 400);
  assert.deepEqual(json(bad), { message: 'invalid condition: "later"' });
});

test('a failing wait reports its error in the body; a client leaving aborts the wait', async (t) => {
  const c = containerRecord();
  const aborted = deferred<void>();
  const srv = await startServer(
    engineWith({
      containers: {
        get: async () => c,
        wait: (_ref, condition, signal) => {
          if (condition === 'removed') return Promise.reject(conflict('removal failed'));
          signal?.addEventListener('abort', () => aborted.resolve());
          return new Promise<ExitStatus>(() => undefined);
        },
      },
    }),
  );
  t.after(() => srv.close());
  const failed = await request(srv.socket, 'POST', '/v1.50/containers/box/wait?condition=removed');
  assert.equal(failed.status, 200);
  assert.deepEqual(json(failed), { StatusCode: -1, Error: { Message: 'removal failed' } });

  const { res } = await open(srv.socket, 'POST', '/v1.50/containers/box/wait');
  res.destroy();
  await aborted.promise;
});

const line = (stream: 'stdout' | 'stderr', text: string, time = new Date('2025-05-06T07:08:09.010Z')): LogLine => ({ stream, time, data: Buffer.from(text) });

test('logs: framed for non-TTY containers, timestamps prefixed, options passed through', async (t) => {
  const seen: LogOptions[] = [];
  const srv = await startServer(
    engineWith({
      containers: {
        get: async (ref) => containerRecord({ tty: ref === 'tty' }),
        logs: (_ref, opts) => {
          seen.push(opts);
          return (async function* () {
            yield line('stdout', 'one\n');
            yield line('stderr', 'two\n');
          })();
        },
      },
    }),
  );
  t.after(() => srv.close());
  const r = await request(srv.socket, 'GET', '/v1.50/containers/box/logs?stdout=1&stderr=1&timestamps=1&tail=5&since=1700000000.5&follow=0');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/vnd.docker.multiplexed-stream');
  assert.deepEqual(demux(r.body), [
    { stream: 1, data: '2025-05-06T07:08:09.010000000Z one\n' },
    { stream: 2, data: '2025-05-06T07:08:09.010000000Z two\n' },
  ]);
  assert.deepEqual(seen[0], { follow: false, stdout: true, stderr: true, since: 1700000000.5, until: 0, timestamps: true, tail: 5 });

  const tty = await request(srv.socket, 'GET', '/v1.50/containers/tty/logs?stdout=1&tail=all');
  assert.equal(tty.headers['content-type'], 'application/vnd.docker.raw-stream');
  assert.equal(tty.body.toString(), 'one\ntwo\n');
  assert.equal(seen[1].tail, undefined);
  const old = await request(srv.socket, 'GET', '/v1.41/containers/box/logs?stdout=1');
  assert.equal(old.headers['content-type'], 'application/vnd.docker.raw-stream', 'multiplexed media type only from 1.42');

  const none = await request(srv.socket, 'GET', '/v1.50/containers/box/logs');
  assert.equal(none.status, 400);
  assert.deepEqual(json(none), { message: 'Bad parameters: you must choose at least one stream' });
});

test('logs: a failure after the headers is reported in band on stderr', async (t) => {
  const srv = await startServer(
    engineWith({
      containers: {
        get: async () => containerRecord(),
        logs: () =>
          (async function* () {
            yield line('stdout', 'before\n');
            throw new Error('log file vanished');
          })(),
      },
    }),
  );
  t.after(() => srv.close());
  const r = await request(srv.socket, 'GET', '/v1.50/containers/box/logs?stdout=1&stderr=1');
  assert.deepEqual(demux(r.body), [
    { stream: 1, data: 'before\n' },
    { stream: 2, data: 'Error grabbing logs: log file vanished\n' },
  ]);
});

test('events stream JSON lines, flushed per event, filtered, until the engine ends the subscription', async (t) => {
  const gate = deferred<void>();
  const subs: { since?: number; until?: number }[] = [];
  const ev = (type: EngineEvent['type'], action: string, name: string): EngineEvent => ({
    type, action, scope: 'local', time: 1_700_000_000_000_000_000, actor: { id: `${name}-id`, attributes: { name } },
  });
  const srv = await startServer(
    engineWith({
      events: {
        subscribe: (opts) => {
          subs.push(opts);
          return (async function* () {
            yield ev('container', 'start', 'web');
            await gate.promise;
            yield ev('image', 'tag', 'busybox');
            yield ev('container', 'die', 'web');
          })();
        },
      },
    }),
  );
  t.after(() => srv.close());
  const filters = encodeURIComponent('{"type":["container"]}');
  const { res, first, body } = await open(srv.socket, 'GET', `/v1.50/events?since=1699999999&until=1700000001.25&filters=${filters}`);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(JSON.parse(await first).Action, 'start', 'first event arrives before the stream ends');
  gate.resolve();
  const all = (await body).toString().trim().split('\n').map((l) => JSON.parse(l).Action);
  assert.deepEqual(all, ['start', 'die']);
  assert.deepEqual(subs[0], { since: 1_699_999_999_000_000_000, until: 1_700_000_001_250_000_000 });

  const backwards = await request(srv.socket, 'GET', '/v1.50/events?since=20&until=10');
  assert.equal(backwards.status, 400);
});

const image: ImageInfo = {
  id: `sha256:${'9'.repeat(64)}`, repoTags: ['docker.io/library/busybox:latest'], repoDigests: [], parent: '', comment: '',
  created: '2025-01-01T00:00:00Z', author: '', architecture: 'amd64', os: 'linux', size: 10, config: {},
  rootfs: { type: 'layers', diff_ids: [] }, labels: {},
};

test('images: import streams the body to the engine and answers a JSON progress stream', async (t) => {
  const got: unknown[] = [];
  const srv = await startServer(
    engineWith({
      images: {
        importRootfs: async (tar, opts) => {
          const chunks: Buffer[] = [];
          for await (const c of tar) chunks.push(c as Buffer);
          got.push(Buffer.concat(chunks).toString(), opts);
          return image;
        },
      },
    }),
  );
  t.after(() => srv.close());
  const r = await request(srv.socket, 'POST', '/v1.50/images/create?fromSrc=-&repo=busybox:latest&changes=CMD+%5B%22sh%22%5D&changes=ENV+A%3D1', {
    body: 'tar bytes',
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.body.toString(), `{"status":"${image.id}"}\r\n`);
  assert.deepEqual(got, ['tar bytes', { ref: 'docker.io/library/busybox:latest', message: 'Imported from -', changes: ['CMD ["sh"]', 'ENV A=1'] }]);
  assert.equal((await request(srv.socket, 'POST', '/v1.50/images/create?fromSrc=http%3A%2F%2Fexample.invalid%2Fr.tar')).status, 501);
});

test('images: load reports loaded names and ids, and errors in band', async (t) => {
  let fail = false;
  const srv = await startServer(
    engineWith({
      images: {
        load: async (tar) => {
          for await (const chunk of tar) void chunk;
          if (fail) throw new Error('not a docker archive');
          return ['docker.io/library/busybox:latest', image.id];
        },
      },
    }),
  );
  t.after(() => srv.close());
  const ok = await request(srv.socket, 'POST', '/v1.50/images/load?quiet=1', { body: 'archive' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.toString(), `{"stream":"Loaded image: busybox:latest\\n"}\r\n{"stream":"Loaded image ID: ${image.id}\\n"}\r\n`);
  fail = true;
  const bad = await request(srv.socket, 'POST', '/v1.50/images/load', { body: 'archive' });
  assert.equal(bad.status, 200);
  assert.deepEqual(JSON.parse(bad.body.toString()), { errorDetail: { message: 'not a docker archive' }, error: 'not a docker archive' });
});

test('images: save streams a tarball; errors before the first byte are HTTP errors', async (t) => {
  const asked: string[][] = [];
  const srv = await startServer(
    engineWith({
      images: {
        save: async (refs, out) => {
          asked.push(refs);
          if (refs.includes('missing')) throw notFound('No such image: missing:latest');
          out.write(Buffer.from('tar-part-1,'));
          out.end(Buffer.from('tar-part-2'));
        },
      },
    }),
  );
  t.after(() => srv.close());
  const one = await request(srv.socket, 'GET', '/v1.50/images/localhost:5000/a/b:1/get');
  assert.equal(one.status, 200);
  assert.equal(one.headers['content-type'], 'application/x-tar');
  assert.equal(one.body.toString(), 'tar-part-1,tar-part-2');
  await request(srv.socket, 'GET', '/v1.50/images/get?names=busybox&names=alpine:3');
  assert.deepEqual(asked.slice(0, 2), [['localhost:5000/a/b:1'], ['busybox', 'alpine:3']]);
  const missing = await request(srv.socket, 'GET', '/v1.50/images/get?names=missing');
  assert.equal(missing.status, 404);
  assert.deepEqual(json(missing), { message: 'No such image: missing:latest' });
});

test('images: list, inspect, history, tag and remove', async (t) => {
  const tagged: string[][] = [];
  const srv = await startServer(
    engineWith({
      images: {
        list: async (opts) => (opts.all && opts.filters.reference?.[0] === 'busy*' ? [image] : []),
        inspect: async (ref) => (ref === 'localhost:5000/a/b' ? image : Promise.reject(notFound(`No such image: ${ref}`))),
        history: async () => [{ id: image.id, created: 1, createdBy: 'import', tags: ['docker.io/library/busybox:latest'], size: 10, comment: '' }],
        tag: async (source, target) => void tagged.push([source, target]),
        remove: async () => [{ untagged: 'docker.io/library/busybox:latest' }, { deleted: image.id }],
      },
    }),
  );
  t.after(() => srv.close());
  const list = await request(srv.socket, 'GET', `/v1.50/images/json?all=true&filters=${encodeURIComponent('{"reference":{"busy*":true}}')}`);
  assert.deepEqual((json(list) as { RepoTags: string[] }[])[0].RepoTags, ['busybox:latest']);
  const inspect = await request(srv.socket, 'GET', '/v1.50/images/localhost:5000/a/b/json');
  assert.equal((json(inspect) as { Id: string }).Id, image.id);
  assert.equal((await request(srv.socket, 'GET', '/v1.50/images/nope/json')).status, 404);
  const history = await request(srv.socket, 'GET', '/v1.50/images/busybox/history');
  assert.deepEqual(json(history), [{ Id: image.id, Created: 1, CreatedBy: 'import', Tags: ['busybox:latest'], Size: 10, Comment: '' }]);
  const tag = await request(srv.socket, 'POST', '/v1.50/images/busybox/tag?repo=localhost:5000/copy&tag=v1');
  assert.equal(tag.status, 201);
  assert.deepEqual(tagged, [['busybox', 'localhost:5000/copy:v1']]);
  assert.equal((await request(srv.socket, 'POST', '/v1.50/images/busybox/tag')).status, 400);
  const removed = await request(srv.socket, 'DELETE', '/v1.50/images/busybox?force=1');
  assert.deepEqual(json(removed), [{ Untagged: 'busybox:latest' }, { Deleted: image.id }]);
});

test('info maps SystemInfo and counts live event listeners', async (t) => {
  const srv = await startServer(
    engineWith({
      events: {
        subscribe: (_opts, signal) =>
          (async function* () {
            await new Promise((resolve) => signal.addEventListener('abort', resolve));
          })(),
      },
      info: async () => ({
        id: 'ID1', name: 'host1', dataRoot: '/data', execRoot: '/exec', containers: 3, running: 1, paused: 0, stopped: 2,
        images: 4, runtime: 'runc', cgroupVersion: '1', kernelVersion: '6.1', operatingSystem: 'Debian GNU/Linux 12',
        architecture: 'x86_64', ncpu: 2, memTotal: 1024, version: '0.1.0-test',
      }),
    }),
  );
  t.after(() => srv.close());
  const { res } = await open(srv.socket, 'GET', '/v1.50/events');
  const info = json(await request(srv.socket, 'GET', '/v1.50/info')) as Record<string, unknown>;
  assert.deepEqual(
    [info.ID, info.Containers, info.ContainersRunning, info.ContainersStopped, info.Images, info.DockerRootDir, info.ServerVersion, info.CgroupVersion, info.NEventsListener],
    ['ID1', 3, 1, 2, 4, '/data', '0.1.0-test', '1', 1],
  );
  assert.equal((info.Swarm as { LocalNodeState: string }).LocalNodeState, 'inactive');
  res.destroy();
  for (let i = 0; i < 100 && (json(await request(srv.socket, 'GET', '/v1.50/info')) as { NEventsListener: number }).NEventsListener !== 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal((json(await request(srv.socket, 'GET', '/v1.50/info')) as { NEventsListener: number }).NEventsListener, 0);
});

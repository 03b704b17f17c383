import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { conflict, isBerthError, notFound, notModified } from '../errors.js';
import { silentLogger } from '../util/logger.js';
import { createApiServer } from './server.js';
import { containerRecord, daemon, engineWith, json, request, startServer } from './test-helpers.js';

const run = promisify(execFile);

test('unix socket: parent directory created, mode 0660, stale socket replaced, non-socket refused', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-api-listen-'));
  try {
    const socket = path.join(dir, 'a', 'b', 'api.sock');
    await mkdir(path.dirname(socket), { recursive: true });
    // A daemon killed with SIGKILL leaves its socket file behind.
    const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    await new Promise((resolve) => holder.once('exit', resolve));
    assert.ok((await stat(socket)).isSocket(), 'stale socket left behind');

    const server = createApiServer({ engine: engineWith({}), logger: silentLogger, daemon });
    await server.listen([`unix://${socket}`]);
    assert.equal((await stat(socket)).mode & 0o777, 0o660);
    assert.equal((await request(socket, 'GET', '/_ping')).body.toString(), 'OK');
    await server.close();
    assert.equal(existsSync(socket), false, 'socket removed on close');

    const file = path.join(dir, 'file.sock');
    await writeFile(file, 'not a socket');
    const other = createApiServer({ engine: engineWith({}), logger: silentLogger, daemon });
    await assert.rejects(other.listen([`unix://${file}`]), (err) => isBerthError(err, 'invalid_argument'));
    await assert.rejects(other.listen(['ftp://x']), (err) => isBerthError(err, 'invalid_argument'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('tcp on loopback serves the same API', async () => {
  const server = createApiServer({ engine: engineWith({}), logger: silentLogger, daemon });
  const free = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  await server.listen([`tcp://127.0.0.1:${free}`]);
  try {
    const body = await new Promise<string>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: free, path: '/v1.50/version' }, (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve(data));
      }).on('error', reject).end();
    });
    assert.equal(JSON.parse(body).ApiVersion, '1.50');
  } finally {
    await server.close();
  }
});

test('ping, version and common headers; versions out of range and unknown paths', async (t) => {
  const srv = await startServer(engineWith({}));
  t.after(() => srv.close());
  const common = (r: { headers: Record<string, unknown> }) => {
    assert.equal(r.headers['api-version'], '1.50');
    assert.equal(r.headers['docker-experimental'], 'false');
    assert.equal(r.headers['ostype'], 'linux');
    assert.equal(r.headers['server'], 'Berth/0.1.0-test (linux)');
  };
  const ping = await request(srv.socket, 'GET', '/_ping');
  assert.equal(ping.status, 200);
  assert.equal(ping.body.toString(), 'OK');
  assert.equal(ping.headers['builder-version'], '1');
  assert.equal(ping.headers['cache-control'], 'no-cache, no-store, must-revalidate');
  assert.equal(ping.headers['pragma'], 'no-cache');
  common(ping);
  const head = await request(srv.socket, 'HEAD', '/v1.41/_ping');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  common(head);

  const version = await request(srv.socket, 'GET', '/v1.50/version');
  assert.equal(version.status, 200);
  assert.deepEqual(
    (({ Version, ApiVersion, MinAPIVersion, Os, Arch, KernelVersion }) => ({ Version, ApiVersion, MinAPIVersion, Os, Arch, KernelVersion }))(json(version) as Record<string, unknown>),
    { Version: '0.1.0-test', ApiVersion: '1.50', MinAPIVersion: '1.24', Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0-test' },
  );

  const tooNew = await request(srv.socket, 'GET', '/v1.51/version');
  assert.equal(tooNew.status, 400);
  assert.deepEqual(json(tooNew), { message: 'client version 1.51 is too new. Maximum supported API version is 1.50' });
  common(tooNew);
  const tooOld = await request(srv.socket, 'GET', '/v1.20/version');
  assert.equal(tooOld.status, 400);
  assert.match((json(tooOld) as { message: string }).message, /^client version 1.20 is too old/);

  const missing = await request(srv.socket, 'GET', '/v1.50/nothing/here');
  assert.equal(missing.status, 404);
  assert.deepEqual(json(missing), { message: 'page not found' });
  const wrongMethod = await request(srv.socket, 'DELETE', '/version');
  assert.equal(wrongMethod.status, 404);
});

test('engine errors map to statuses with Docker messages; unexpected errors answer 500 and the daemon lives on', async (t) => {
  const id = 'f'.repeat(64);
  const srv = await startServer(
    engineWith({
      containers: {
        get: async (ref) => {
          if (ref === 'boom') throw new TypeError('cannot read properties of undefined');
          throw notFound(`No such container: ${ref}`);
        },
        remove: async () => {
          throw conflict('cannot remove container "/x": container is running: stop the container before removing or force remove');
        },
        start: async () => {
          throw notModified(`container ${id} is already started`);
        },
        kill: async (ref) => {
          throw conflict(`Cannot kill container: ${ref}: Container ${id} is not running`);
        },
        create: async (spec) => {
          if (spec.image === 'missing:latest') throw notFound('No such image: missing:latest');
          throw conflict(`Conflict. The container name "/${spec.name}" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`);
        },
      },
    }),
  );
  t.after(() => srv.close());

  const notThere = await request(srv.socket, 'GET', '/v1.50/containers/nosuch/json');
  assert.equal(notThere.status, 404);
  assert.equal(notThere.headers['content-type'], 'application/json');
  assert.deepEqual(json(notThere), { message: 'No such container: nosuch' });

  const running = await request(srv.socket, 'DELETE', '/v1.50/containers/x');
  assert.equal(running.status, 409);
  assert.match((json(running) as { message: string }).message, /container is running/);

  const started = await request(srv.socket, 'POST', '/v1.50/containers/x/start');
  assert.equal(started.status, 304);
  assert.equal(started.body.length, 0);

  const kill = await request(srv.socket, 'POST', '/v1.50/containers/x/kill?signal=TERM');
  assert.equal(kill.status, 409);
  assert.equal((json(kill) as { message: string }).message, `Cannot kill container: x: Container ${id} is not running`);

  const post = (body: string, name = 'web', type = 'application/json') =>
    request(srv.socket, 'POST', `/v1.50/containers/create?name=${name}`, { body, headers: { 'Content-Type': type } });
  assert.deepEqual(json(await post('{"Image":"missing:latest"}')), { message: 'No such image: missing:latest' });
  const taken = await post('{"Image":"busybox"}');
  assert.equal(taken.status, 409);
  assert.match((json(taken) as { message: string }).message, /^Conflict\. The container name "\/web" is already in use/);
  const badName = await post('{"Image":"busybox"}', 'a');
  assert.equal(badName.status, 400);
  const badJson = await post('{"Image":');
  assert.equal(badJson.status, 400);
  assert.match((json(badJson) as { message: string }).message, /^invalid JSON: /);
  const badType = await post('{"Image":"busybox"}', 'web', 'text/plain');
  assert.equal(badType.status, 400);
  assert.match((json(badType) as { message: string }).message, /unsupported Content-Type header \(text\/plain\)/);

  const boom = await request(srv.socket, 'GET', '/v1.50/containers/boom/json');
  assert.equal(boom.status, 500);
  assert.deepEqual(json(boom), { message: 'cannot read properties of undefined' });
  assert.ok(srv.logs.some((l) => JSON.parse(l).level === 'error' && /cannot read properties/.test(l)), 'unexpected error logged');
  assert.equal((await request(srv.socket, 'GET', '/_ping')).status, 200, 'still serving');
});

test('create, list and inspect translate between Docker JSON and the engine', async (t) => {
  const created: unknown[] = [];
  const listed: unknown[] = [];
  const c = containerRecord({ name: 'web', state: { status: 'running', running: true, startedAt: new Date(Date.now() - 3000).toISOString() } });
  const srv = await startServer(
    engineWith({
      containers: {
        create: async (spec) => {
          created.push(spec);
          return { id: c.id, warnings: [] };
        },
        list: async (filter) => {
          listed.push(filter);
          return [c];
        },
        get: async () => c,
      },
    }),
  );
  t.after(() => srv.close());
  const res = await request(srv.socket, 'POST', '/v1.50/containers/create?name=web', {
    body: JSON.stringify({ Image: 'busybox', Cmd: ['true'], Entrypoint: [''], HostConfig: { AutoRemove: true } }),
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(res.status, 201);
  assert.deepEqual(json(res), { Id: c.id, Warnings: [] });
  const spec = created[0] as Record<string, unknown>;
  assert.equal(spec.name, 'web');
  assert.deepEqual(spec.cmd, ['true']);
  assert.deepEqual(spec.entrypoint, []);
  assert.equal((spec.host as { autoRemove: boolean }).autoRemove, true);

  const list = await request(srv.socket, 'GET', `/v1.50/containers/json?all=1&limit=5&filters=${encodeURIComponent('{"status":{"running":true}}')}`);
  assert.deepEqual(listed[0], { all: true, limit: 5, filters: { status: ['running'] } });
  const [row] = json(list) as Record<string, unknown>[];
  assert.deepEqual(row.Names, ['/web']);
  assert.equal(row.Status, 'Up 3 seconds');

  const inspect = json(await request(srv.socket, 'GET', '/v1.50/containers/web/json')) as Record<string, Record<string, unknown>>;
  assert.equal(inspect.Id as unknown, c.id);
  assert.equal(inspect.State.Status, 'running');
});

test('the real docker CLI talks to the server', { skip: !existsSync('/usr/local/bin/docker') && 'docker CLI not installed' }, async (t) => {
  const srv = await startServer(
    engineWith({ containers: { remove: async (ref) => Promise.reject(notFound(`No such container: ${ref}`)) } }),
  );
  t.after(() => srv.close());
  const env = { ...process.env, DOCKER_HOST: `unix://${srv.socket}`, DOCKER_CONFIG: path.join(srv.dir, 'docker-config') };
  const version = await run('docker', ['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}} {{.Client.APIVersion}}'], { env });
  assert.equal(version.stdout.trim(), '0.1.0-test 1.50 1.50');
  const rm = await run('docker', ['rm', 'nosuch'], { env }).then(
    () => assert.fail('docker rm of a missing container succeeded'),
    (err: { code: number; stderr: string }) => err,
  );
  assert.equal(rm.code, 1);
  assert.match(rm.stderr, /Error response from daemon: No such container: nosuch/);
});

test('lifecycle actions pass their parameters and answer 204; rename validates the new name', async (t) => {
  const calls: unknown[][] = [];
  const record = (name: string) => async (...args: unknown[]) => void calls.push([name, ...args]);
  const srv = await startServer(
    engineWith({ containers: { stop: record('stop'), restart: record('restart'), kill: record('kill'), rename: record('rename'), resize: record('resize') } }),
  );
  t.after(() => srv.close());
  const post = (p: string) => request(srv.socket, 'POST', `/v1.50/containers/${p}`);
  assert.equal((await post('web/stop?t=5&signal=SIGINT')).status, 204);
  assert.equal((await post('web/restart')).status, 204);
  assert.equal((await post('web/kill?signal=HUP')).status, 204);
  assert.equal((await post('web/rename?name=%2Fnew-name')).status, 204);
  assert.equal((await post('web/resize?h=40&w=120')).status, 200);
  assert.deepEqual(calls, [
    ['stop', 'web', { timeout: 5, signal: 'SIGINT' }],
    ['restart', 'web', {}],
    ['kill', 'web', 'HUP'],
    ['rename', 'web', 'new-name'],
    ['resize', 'web', 40, 120],
  ]);
  assert.equal((await post('web/rename?name=x')).status, 400);
  assert.equal((await post('web/stop?t=soon')).status, 400);
  assert.equal((await post('web/resize?h=40')).status, 400);
});

test('exec create, inspect and resize; top', async (t) => {
  const calls: unknown[][] = [];
  const srv = await startServer(
    engineWith({
      containers: {
        execCreate: async (ref, spec) => {
          calls.push(['create', ref, spec]);
          return 'e'.repeat(64);
        },
        execInspect: async (id) => ({
          id, containerId: 'c', running: true, exitCode: null, pid: 77,
          spec: { cmd: ['sh'], env: [], tty: true, attachStdin: true, attachStdout: true, attachStderr: true, privileged: false },
        }),
        execResize: async (id, h, w) => void calls.push(['resize', id, h, w]),
        top: async (ref, psArgs) => ({ titles: ['PID', 'CMD', psArgs ?? ''], processes: [['1', ref]] }),
      },
    }),
  );
  t.after(() => srv.close());
  const created = await request(srv.socket, 'POST', '/v1.50/containers/web/exec', {
    body: JSON.stringify({ AttachStdout: true, AttachStderr: true, Cmd: ['ls', '/'] }),
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(created.status, 201);
  assert.deepEqual(json(created), { Id: 'e'.repeat(64) });
  const inspect = json(await request(srv.socket, 'GET', '/v1.50/exec/e1/json')) as Record<string, unknown>;
  assert.equal(inspect.Running, true);
  assert.equal(inspect.Pid, 77);
  assert.equal((await request(srv.socket, 'POST', '/v1.50/exec/e1/resize?h=10&w=20')).status, 200);
  assert.deepEqual(calls, [
    ['create', 'web', { cmd: ['ls', '/'], env: [], tty: false, attachStdin: false, attachStdout: true, attachStderr: true, privileged: false }],
    ['resize', 'e1', 10, 20],
  ]);
  const noCmd = await request(srv.socket, 'POST', '/v1.50/containers/web/exec', { body: '{}', headers: { 'Content-Type': 'application/json' } });
  assert.deepEqual(json(noCmd), { message: 'No exec command specified' });
  assert.deepEqual(json(await request(srv.socket, 'GET', '/v1.50/containers/web/top?ps_args=aux')), { Titles: ['PID', 'CMD', 'aux'], Processes: [['1', 'web']] });
});

// Test support for the api tests: a server on a temp unix socket, raw HTTP clients, frame decoding,
// and engine objects holding only the methods a test exercises (any other call fails the test loudly).
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Container, ContainerEngine, ContainerState, Engine, EventBus, NetworkEngine, RegistryEngine, VolumeEngine } from '../engine/types.js';
import { createLogger } from '../util/logger.js';
import { createApiServer } from './server.js';
import type { DaemonInfo } from './types.js';

export const daemon: DaemonInfo = {
  version: '0.1.0-test',
  apiVersion: '1.50',
  minApiVersion: '1.24',
  os: 'linux',
  arch: 'amd64',
  kernelVersion: '6.1.0-test',
};

const unused = (what: string) =>
  new Proxy({}, { get: (_t, key) => () => Promise.reject(new Error(`${what}.${String(key)} is not used by this test`)) });

export function engineWith(parts: {
  containers?: Partial<ContainerEngine>;
  images?: Partial<Engine['images']>;
  volumes?: Partial<VolumeEngine>;
  networks?: Partial<NetworkEngine>;
  diskUsage?: Engine['diskUsage'];
  registry?: Partial<RegistryEngine>;
  events?: Partial<EventBus>;
  info?: Engine['info'];
}): Engine {
  const merge = <T extends object>(what: string, given: Partial<T> | undefined) =>
    new Proxy(given ?? {}, { get: (t, key) => (key in t ? (t as Record<string | symbol, unknown>)[key] : (unused(what) as Record<string | symbol, unknown>)[key]) }) as T;
  return {
    containers: merge<ContainerEngine>('containers', parts.containers),
    images: merge<Engine['images']>('images', parts.images),
    volumes: merge<VolumeEngine>('volumes', parts.volumes),
    networks: merge<NetworkEngine>('networks', parts.networks),
    diskUsage: parts.diskUsage ?? (() => Promise.reject(new Error('diskUsage is not used by this test'))),
    registry: merge<RegistryEngine>('registry', parts.registry),
    events: merge<EventBus>('events', parts.events),
    info: parts.info ?? (() => Promise.reject(new Error('info is not used by this test'))),
    close: async () => undefined,
  };
}

const never = '0001-01-01T00:00:00Z';

export function containerRecord(over: { id?: string; name?: string; tty?: boolean; openStdin?: boolean; stdinOnce?: boolean; state?: Partial<ContainerState> } = {}): Container {
  const id = over.id ?? 'c0ffee'.padEnd(64, '0');
  return {
    id,
    name: over.name ?? 'box',
    created: '2025-01-01T00:00:00.000Z',
    imageRef: 'busybox',
    imageId: `sha256:${'b'.repeat(64)}`,
    spec: {
      image: 'busybox', env: [], tty: over.tty ?? false, openStdin: over.openStdin ?? false, stdinOnce: over.stdinOnce ?? false,
      attachStdin: false, attachStdout: true, attachStderr: true, labels: {}, exposedPorts: [],
      host: { autoRemove: false, privileged: false, capAdd: [], capDrop: [], readonlyRootfs: false, restartPolicy: { name: 'no', maximumRetryCount: 0 } },
    },
    path: 'sh',
    args: [],
    env: [],
    workingDir: '/',
    user: '',
    state: {
      status: 'created', running: false, paused: false, restarting: false, oomKilled: false, dead: false,
      pid: 0, exitCode: 0, error: '', startedAt: never, finishedAt: never, ...over.state,
    },
    restartCount: 0,
    logPath: '/nonexistent/log',
    hostnamePath: '/nonexistent/hostname',
    hostsPath: '/nonexistent/hosts',
    resolvConfPath: '/nonexistent/resolv.conf',
    rootfs: '',
    execIds: [],
  };
}

export interface TestServer {
  dir: string;
  socket: string;
  logs: string[];
  close(): Promise<void>;
}

export async function startServer(engine: Engine): Promise<TestServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-api-'));
  const socket = path.join(dir, 'run', 'api.sock');
  const logs: string[] = [];
  const server = createApiServer({ engine, logger: createLogger('debug', (l) => logs.push(l)), daemon });
  await server.listen([`unix://${socket}`]);
  return {
    dir,
    socket,
    logs,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function request(socketPath: string, method: string, urlPath: string, opts: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ socketPath, method, path: urlPath, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const json = (r: Reply): unknown => JSON.parse(r.body.toString());

/** A raw connection that accumulates everything the server sends. */
export async function rawClient(socketPath: string): Promise<{ socket: Socket; received(): Buffer; until(test: (all: Buffer) => boolean): Promise<Buffer>; closed: Promise<void> }> {
  const socket = connect(socketPath);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let all = Buffer.alloc(0);
  const waiters = new Set<() => void>();
  socket.on('data', (d: Buffer) => {
    all = Buffer.concat([all, d]);
    for (const w of waiters) w();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    received: () => all,
    closed,
    until: (test) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (test(all)) {
            waiters.delete(check);
            resolve(all);
          }
        };
        waiters.add(check);
        void closed.then(() => (waiters.has(check) ? reject(new Error(`connection closed; received ${JSON.stringify(all.toString())}`)) : undefined));
        check();
      }),
  };
}

/** Splits an HTTP/1.1 head from what follows it. */
export function splitHead(all: Buffer): { head: string; rest: Buffer } | undefined {
  const end = all.indexOf('\r\n\r\n');
  return end < 0 ? undefined : { head: all.subarray(0, end).toString(), rest: all.subarray(end + 4) };
}

/** Decodes Docker's multiplexed frames; throws on a truncated frame. */
export function demux(buf: Buffer): { stream: number; data: string }[] {
  const frames: { stream: number; data: string }[] = [];
  for (let at = 0; at < buf.length; ) {
    if (buf.length - at < 8) throw new Error('truncated frame header');
    const size = buf.readUInt32BE(at + 4);
    if (buf.length - at - 8 < size) throw new Error('truncated frame');
    frames.push({ stream: buf[at], data: buf.subarray(at + 8, at + 8 + size).toString() });
    at += 8 + size;
  }
  return frames;
}

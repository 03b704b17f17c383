// An isolated network lab (run it under isolate.ts): a network service in temp roots, "containers" that are
// pinned namespaces with node processes in them, and views of the host state. Used by the tests and the bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newId } from '../util/ids.js';
import { MNT_DETACH, native } from '../util/native.js';
import { silentLogger } from '../util/logger.js';
import { createNetns, removeNetns } from './netns.js';
import { runChecked } from '../util/run.js';
import { createNetworkService } from './service.js';
import type { ContainerNetwork, ContainerNetworkOptions, NetworkService, NetworkServiceConfig } from './types.js';

export interface TestContainer {
  id: string;
  ns: string;
  net: ContainerNetwork;
}

/** A node process inside a namespace, doing what the tests ask of a container. */
export interface Agent {
  /** An HTTP server answering body on port. */
  serve(port: number, body: string): Promise<void>;
  /** The body of url, or "error: <code>". */
  get(url: string): Promise<string>;
  /** dns.Resolver method (resolve4, resolve6, reverse) against server; the answer or "error: <code>". */
  resolve(server: string, method: string, name: string): Promise<string[] | string>;
}

export interface Lab {
  dataRoot: string;
  execRoot: string;
  svc: NetworkService;
  /** A new service over the same roots, as after a berthd restart. */
  restart(): Promise<void>;
  start(name: string, opts?: Partial<ContainerNetworkOptions>): Promise<TestContainer>;
  stop(c: TestContainer): Promise<void>;
  /** The agent of a namespace, started on first use. */
  agent(ns: string): Agent;
  close(): Promise<void>;
}

export const defaultOptions = (name: string): ContainerNetworkOptions => ({
  containerName: name, networks: [], portBindings: [], publishAll: false, exposedPorts: [], hostname: name,
  dns: [], dnsSearch: [], dnsOptions: [], extraHosts: [],
});

const agentCode = `
const http = require('http');
const dns = require('dns');
const out = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
require('readline').createInterface({ input: process.stdin }).on('line', async (line) => {
  const { id, op, ...a } = JSON.parse(line);
  try {
    if (op === 'serve') {
      const s = http.createServer((q, res) => res.end(a.body));
      s.on('error', (e) => out({ id, error: e.code }));
      s.listen(a.port, () => out({ id, result: true }));
    } else if (op === 'get') {
      const r = await fetch(a.url, { signal: AbortSignal.timeout(5000) });
      out({ id, result: await r.text() });
    } else {
      const r = new dns.promises.Resolver({ timeout: 2000, tries: 2 });
      r.setServers([a.server]);
      out({ id, result: await r[a.method](a.name) });
    }
  } catch (e) {
    out({ id, result: 'error: ' + ((e.cause && e.cause.code) || e.code || e.message) });
  }
});
`;

function startAgent(ns: string, children: Set<ChildProcess>): Agent & { child: ChildProcess } {
  const child = spawn('nsenter', [`--net=${ns}`, process.execPath, '-e', agentCode], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  child.on('exit', (code) => {
    children.delete(child);
    for (const p of pending.values()) p.reject(new Error(`agent in ${ns} exited with ${code}`));
  });
  let buf = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const m = JSON.parse(buf.slice(0, nl)) as { id: number; result?: unknown; error?: string };
      buf = buf.slice(nl + 1);
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p?.reject(new Error(`agent in ${ns}: ${m.error}`));
      else p?.resolve(m.result);
    }
  });
  const call = <T>(op: string, args: Record<string, unknown>) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.stdin!.write(JSON.stringify({ id, op, ...args }) + '\n');
    });
  return {
    child,
    serve: (port, body) => call<void>('serve', { port, body }),
    get: (url) => call<string>('get', { url }),
    resolve: (server, method, name) => call<string[] | string>('resolve', { server, method, name }),
  };
}

export async function createLab(config: NetworkServiceConfig): Promise<Lab> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-net-'));
  const dataRoot = path.join(dir, 'data');
  const execRoot = path.join(dir, 'run');
  const children = new Set<ChildProcess>();
  const agents = new Map<string, ReturnType<typeof startAgent>>();
  const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
  process.on('exit', killAll);
  const open = async () => {
    const s = await createNetworkService({ dataRoot, execRoot, logger: silentLogger, config });
    await s.start();
    return s;
  };
  const h: Lab = {
    dataRoot,
    execRoot,
    svc: await open(),
    async restart() {
      await h.svc.close();
      h.svc = await open();
    },
    async start(name, opts = {}) {
      const id = newId();
      const ns = await createNetns(h.svc.netnsPath(id));
      return { id, ns, net: await h.svc.setupContainer(id, ns, { ...defaultOptions(name), ...opts }) };
    },
    async stop(c) {
      agents.get(c.ns)?.child.kill('SIGKILL');
      agents.delete(c.ns);
      await h.svc.teardownContainer(c.id);
    },
    agent(ns) {
      const a = agents.get(ns) ?? startAgent(ns, children);
      agents.set(ns, a);
      return a;
    },
    async close() {
      killAll();
      await h.svc.close();
      const netnsDir = path.join(execRoot, 'netns');
      for (const f of await readdir(netnsDir).catch(() => [])) await removeNetns(path.join(netnsDir, f));
      try {
        native.umount(netnsDir, MNT_DETACH);
      } catch {
        // never mounted
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** GET url from here; resolves with the body or "error: <code>". */
export function httpGet(url: string): Promise<string> {
  return fetch(url, { signal: AbortSignal.timeout(5000) }).then(
    (r) => r.text(),
    (e: Error) => `error: ${(e.cause as { code?: string } | undefined)?.code ?? e.message}`,
  );
}

/** The iptables rules, without comments and counters. */
export async function iptablesRules(): Promise<string> {
  const out = await runChecked('iptables-save', []);
  return out
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ''))
    .join('\n');
}

/** Interface names in this namespace: veths, and ports of a bridge. */
export async function links(kind: { type: 'veth' } | { master: string }): Promise<string[]> {
  const args = 'type' in kind ? ['-j', 'link', 'show', 'type', 'veth'] : ['-j', 'link', 'show', 'master', kind.master];
  return (JSON.parse((await runChecked('ip', args)) || '[]') as { ifname: string }[]).map((l) => l.ifname);
}

/** host-local lease files (named after addresses) under the IPAM directory. */
export async function leases(execRoot: string): Promise<string[]> {
  const root = path.join(execRoot, 'network', 'ipam');
  const found: string[] = [];
  for (const net of await readdir(root).catch(() => [])) {
    for (const f of await readdir(path.join(root, net))) if (/^\d+\.\d+\.\d+\.\d+$/.test(f)) found.push(`${net}/${f}`);
  }
  return found;
}

// Test-only: Debian's docker-registry (CNCF distribution) on 127.0.0.1 with its storage in a temp dir,
// anonymous, with htpasswd auth or with token auth; in this network namespace or, through a wrapper command
// (nsenter ...), in another one.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TestRegistry {
  /** "127.0.0.1:PORT" */
  host: string;
  root: string;
  /** The file holding a blob's bytes in the registry's storage. */
  blobFile(digest: string): string;
  stop(): Promise<void>;
}

export interface RegistryAuth {
  htpasswd?: { username: string; password: string };
  token?: { realm: string; service: string; issuer: string; certFile: string };
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

async function authYaml(dir: string, auth: RegistryAuth): Promise<string> {
  if (auth.htpasswd) {
    const { username, password } = auth.htpasswd;
    const line = execFileSync('htpasswd', ['-Bbn', username, password], { encoding: 'utf8' }).trim();
    const file = path.join(dir, 'htpasswd');
    await writeFile(file, `${line}\n`);
    return `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${file}\n`;
  }
  if (auth.token) {
    const t = auth.token;
    return `auth:\n  token:\n    realm: ${t.realm}\n    service: ${t.service}\n    issuer: ${t.issuer}\n    rootcertbundle: ${t.certFile}\n`;
  }
  return '';
}

export interface RegistryOptions {
  /** A command that runs its arguments elsewhere, e.g. ["nsenter", "-t", pid, "--net"]. */
  wrap?: string[];
}

/** Starts a registry whose files live under dir (which the caller removes). */
export async function startRegistry(dir: string, auth: RegistryAuth = {}, opts: RegistryOptions = {}): Promise<TestRegistry> {
  const root = path.join(dir, 'storage');
  await mkdir(root, { recursive: true });
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = path.join(dir, 'config.yml');
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${root}\n` +
      `  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n  secret: berth-test-secret\n` +
      (await authYaml(dir, auth)),
  );
  const [cmd, ...args] = [...(opts.wrap ?? []), 'docker-registry', 'serve', config];
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // Its log says when it listens (wherever that is); the tail is kept for error messages.
  let stderr = '';
  let listening = false;
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-16384);
    listening ||= stderr.includes(`listening on ${host}`);
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Should the test process end without stopping it, the registry goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
    if (listening) break;
    if (i > 200) {
      await stop();
      throw new Error(`docker-registry did not start: ${stderr}`);
    }
    await sleep(50);
  }
  return {
    host,
    root,
    blobFile: (digest) => {
      const hex = digest.slice('sha256:'.length);
      return path.join(root, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    },
    stop,
  };
}

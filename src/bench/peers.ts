// Benchmark peers measured in the same run: Debian's dockerd 20.10 and bare runc.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createWriteStream, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readTar } from '../archive/tar-stream.js';
import { runCommand, type CommandResult } from '../e2e/harness.js';
import { busyboxRootfsTar } from '../demo/busybox-rootfs.js';

export interface Dockerd {
  docker(args: string[], input?: Buffer): Promise<CommandResult>;
  stop(): Promise<void>;
}

/**
 * dockerd with its own roots and socket, in its own mount namespace and its own network namespace, or the one
 * `wrap` (nsenter -t PID --net ...) enters, to share it with berthd; undefined when not installed.
 */
export async function startDockerd(opts: { wrap?: string[] } = {}): Promise<Dockerd | undefined> {
  if (!existsSync('/usr/sbin/dockerd')) return undefined;
  const root = await mkdtemp(path.join(tmpdir(), 'berth-bench-dockerd-'));
  const host = `unix://${root}/docker.sock`;
  await writeFile(path.join(root, 'daemon.json'), '{}');
  const dockerd = `exec dockerd --data-root ${root}/data --exec-root ${root}/exec --pidfile ${root}/docker.pid -H ${host} --config-file ${root}/daemon.json`;
  const [cmd, ...args] = opts.wrap
    ? [...opts.wrap, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', dockerd]
    : ['unshare', '--net', '--mount', '--propagation', 'private', 'sh', '-c', `ip link set lo up && ${dockerd}`];
  const child: ChildProcess = spawn(cmd, args, { stdio: 'ignore' });
  const docker = (args: string[], input?: Buffer) => runCommand('docker', ['-H', host, ...args], { input, timeoutMs: 120_000 });
  for (let i = 0; i < 300 && (await docker(['version'])).code !== 0; i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if ((await docker(['version'])).code !== 0) {
    child.kill('SIGKILL');
    return undefined;
  }
  return {
    docker,
    async stop() {
      const ids = (await docker(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
      if (ids.length) await docker(['rm', '-f', ...ids]);
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A runc bundle whose rootfs is the busybox image's, running `args`. */
export async function bareRuncBundle(args: string[]): Promise<{ run(): Promise<void>; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-bench-runc-'));
  const rootfs = path.join(dir, 'rootfs');
  await mkdir(rootfs);
  await extractTar(await busyboxRootfsTar(), rootfs);
  const spec = await runCommand('runc', ['spec', '--bundle', dir]);
  if (spec.code !== 0) throw new Error(`runc spec: ${spec.stderr}`);
  const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'));
  config.process.terminal = false;
  config.process.args = args;
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
  let n = 0;
  return {
    async run() {
      const r = await runCommand('runc', ['--root', path.join(dir, 'state'), 'run', '--bundle', dir, `bench-${process.pid}-${n++}`]);
      if (r.code !== 0) throw new Error(`runc run: ${r.stderr}`);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Plain extraction for a trusted tar we made ourselves (the benchmark's busybox rootfs). */
async function extractTar(stream: Readable, dir: string): Promise<void> {
  for await (const { header: h, body } of readTar(stream)) {
    const target = path.join(dir, h.name);
    if (h.type === 'directory') {
      await mkdir(target, { recursive: true });
      await chmod(target, h.mode);
    } else if (h.type === 'symlink') await symlink(h.linkname, target);
    else if (h.type === 'file') await pipeline(Readable.from(body), createWriteStream(target, { mode: h.mode }));
  }
}

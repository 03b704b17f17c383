// Test fixture: a busybox root filesystem in a plain directory (no image, no overlay), a scratch exec root, and
// bundles for containers built with generateSpec. Everything lives in one temp directory removed by cleanup().
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateSpec, type SpecInput } from './spec.js';
import type { Attachment, OciSpec } from './types.js';

const run = promisify(execFile);

export async function makeBusyboxRootfs(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'bin'), { recursive: true });
  await Promise.all(['etc', 'proc', 'sys', 'dev', 'tmp', 'root'].map((d) => mkdir(path.join(dir, d))));
  await copyFile('/bin/busybox', path.join(dir, 'bin/busybox'));
  // What `busybox --install -s` does, with relative links (it would point them at the host's own busybox path).
  const applets = (await run('/bin/busybox', ['--list'])).stdout.split('\n').filter((a) => a && a !== 'busybox');
  await Promise.all(applets.map((a) => symlink('busybox', path.join(dir, 'bin', a))));
  await writeFile(path.join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  await writeFile(path.join(dir, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
}

export interface TestBed {
  dir: string;
  execRoot: string;
  rootfs: string;
  /** A bundle directory for id (config.json is the runtime's to write). */
  bundle(id: string): Promise<string>;
  logPath(id: string): string;
  /** A spec running args in the shared rootfs, in cgroup cgroupsPath(id). */
  spec(id: string, args: string[], extra?: Partial<SpecInput>): Promise<OciSpec>;
  cgroupsPath(id: string): string;
  cleanup(): Promise<void>;
}

export async function makeTestBed(execRootName = 'exec'): Promise<TestBed> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-rt-'));
  const rootfs = path.join(dir, 'rootfs');
  await makeBusyboxRootfs(rootfs);
  const execRoot = path.join(dir, execRootName);
  const tag = path.basename(dir);
  const cgroupsPath = (id: string) => `/${tag}-${id}`;
  return {
    dir,
    execRoot,
    rootfs,
    async bundle(id) {
      const bundle = path.join(dir, 'bundles', id);
      await mkdir(bundle, { recursive: true });
      return bundle;
    },
    logPath: (id) => path.join(dir, 'logs', `${id}.log`),
    spec: (id, args, extra = {}) =>
      generateSpec({
        args, env: [], cwd: '/', user: { uid: 0, gid: 0, additionalGids: [0] }, hostname: id, terminal: false,
        rootfsPath: rootfs, readonlyRootfs: true, privileged: false, capAdd: [], capDrop: [],
        cgroupsPath: cgroupsPath(id), mounts: [], ...extra,
      }),
    cgroupsPath,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Cgroup directories of every v1 controller (or the v2 tree) still named by cgroupsPath. */
export async function leftoverCgroups(cgroupsPath: string): Promise<string[]> {
  const root = '/sys/fs/cgroup';
  const candidates = [path.join(root, cgroupsPath), ...(await readdir(root)).map((c) => path.join(root, c, cgroupsPath))];
  const found = await Promise.all(candidates.map((p) => readdir(p).then(() => p, () => undefined)));
  return found.filter((p): p is string => p !== undefined);
}

/** Every file and directory under dir, relative, sorted. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.map(String).sort();
}

export interface Output {
  stdout: string;
  stderr: string;
}

/** Everything an attachment delivers until the process's output ends. */
export function collect(a: Attachment): Promise<Output> {
  return new Promise((resolve, reject) => {
    const out: Output = { stdout: '', stderr: '' };
    a.output.on('data', (c: { stream: 'stdout' | 'stderr'; data: Buffer }) => (out[c.stream] += c.data.toString('latin1')));
    a.output.on('end', () => resolve(out));
    a.output.on('error', reject);
  });
}

/** Resolves once the attachment's stdout has shown `text`. */
export function waitForOutput(a: Attachment, text: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (c: { data: Buffer }) => {
      seen += c.data.toString('latin1');
      if (seen.includes(text)) {
        a.output.off('data', onData);
        resolve();
      }
    };
    a.output.on('data', onData);
  });
}

// Test-only: a real image service on temp dirs and a tiny busybox root filesystem.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { createContentStore } from '../content/local-store.js';
import { createOverlaySnapshotter } from '../snapshot/overlay.js';
import { silentLogger } from '../util/logger.js';
import { createImageService } from './service.js';
import type { ImageService } from './types.js';
import type { ContentStore } from '../content/types.js';
import type { OverlaySnapshotter } from '../snapshot/overlay.js';

export interface TestEnv {
  dir: string;
  service: ImageService;
  content: ContentStore;
  snapshotter: OverlaySnapshotter;
  /** Set to a container id to make isImageInUse report it. */
  inUse: { by?: string };
  events: string[];
}

export async function withEnv(fn: (env: TestEnv) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-image-'));
  try {
    await fn(await newEnv(dir, 'a'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Another service with its own roots inside dir (for save → load into a fresh store). */
export async function newEnv(dir: string, name: string): Promise<TestEnv> {
  const content = createContentStore(path.join(dir, name, 'content'));
  const snapshotter = createOverlaySnapshotter(path.join(dir, name, 'snapshots'));
  const inUse: { by?: string } = {};
  const events: string[] = [];
  const service = createImageService({
    root: path.join(dir, name, 'image'),
    content,
    snapshotter,
    logger: silentLogger,
    isImageInUse: async () => inUse.by,
    publish: (ev) => events.push(`${ev.action} ${ev.actor.attributes.name ?? ev.actor.id}`),
  });
  return { dir, service, content, snapshotter, inUse, events };
}

/** A minimal root filesystem: busybox and a few of its applet links. */
export async function busyboxRootfs(dir: string): Promise<string> {
  const root = path.join(dir, `rootfs-${Math.random().toString(36).slice(2)}`);
  await mkdir(path.join(root, 'bin'), { recursive: true });
  await mkdir(path.join(root, 'etc'));
  await copyFile('/bin/busybox', path.join(root, 'bin', 'busybox'));
  for (const applet of ['sh', 'echo', 'cat', 'ls']) await symlink('busybox', path.join(root, 'bin', applet));
  await writeFile(path.join(root, 'etc', 'hostname'), 'berth\n');
  return root;
}

/** GNU tar of a directory as a stream (optionally gzip). */
export function tarOf(dir: string, gzip = false): Readable {
  const child = spawn('tar', ['--numeric-owner', gzip ? '-czf' : '-cf', '-', '-C', dir, '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Piped at once: Node discards a child's unread stdout when the child exits before anyone listens.
  const out = child.stdout.pipe(new PassThrough());
  out.on('close', () => child.kill());
  return out;
}

export async function run(cmd: string, args: string[]): Promise<string> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString()}`);
  return Buffer.concat(out).toString();
}

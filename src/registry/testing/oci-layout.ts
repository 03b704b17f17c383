// Test-only: hand-built OCI image layouts (gzip, zstd and plain layers, multi-arch indexes) and skopeo to push them.
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildTar, type EntrySpec } from '../../archive/test-helpers.js';
import { sha256 } from '../../content/digest.js';
import type { Descriptor, Platform } from '../../content/types.js';

const run = promisify(execFile);

export interface LayerSpec {
  /** Regular files (mode 0644), then entries as given (whiteouts, links, hostile names...). */
  files?: Record<string, string>;
  entries?: EntrySpec[];
  /** A whole layer tar made elsewhere (a busybox rootfs), instead of files and entries. */
  tar?: Buffer;
  compression?: 'gzip' | 'zstd' | 'none';
}

export interface ImageSpec {
  layers: LayerSpec[];
  platform?: Platform;
  cmd?: string[];
}

export interface BuiltImage {
  manifest: Descriptor;
  config: Descriptor;
  layers: Descriptor[];
  diffIds: string[];
}

export interface BuiltTag {
  /** The top-level descriptor: an index for multi-arch tags, else the manifest. */
  top: Descriptor;
  images: BuiltImage[];
}

export const zstdAvailable = (): boolean => {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const layerType = { gzip: 'application/vnd.oci.image.layer.v1.tar+gzip', zstd: 'application/vnd.oci.image.layer.v1.tar+zstd', none: 'application/vnd.oci.image.layer.v1.tar' };

async function compress(tar: Buffer, how: 'gzip' | 'zstd' | 'none', dir: string): Promise<Buffer> {
  if (how === 'gzip') return gzipSync(tar);
  if (how === 'none') return tar;
  const file = path.join(dir, `layer-${sha256(tar).slice(7, 19)}.tar`);
  await writeFile(file, tar);
  await run('zstd', ['-q', '-f', '--rm', file, '-o', `${file}.zst`]);
  return readFile(`${file}.zst`);
}

/** Writes an OCI layout at dir with one entry per tag (an array of images makes a multi-arch index). */
export async function writeOciLayout(dir: string, tags: Record<string, ImageSpec | ImageSpec[]>): Promise<Record<string, BuiltTag>> {
  const blobs = path.join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const put = async (data: Buffer, mediaType: string, extra: Partial<Descriptor> = {}): Promise<Descriptor> => {
    const digest = sha256(data);
    await writeFile(path.join(blobs, digest.slice(7)), data);
    return { mediaType, digest, size: data.length, ...extra };
  };
  async function image(spec: ImageSpec): Promise<BuiltImage> {
    const layers: Descriptor[] = [];
    const diffIds: string[] = [];
    for (const l of spec.layers) {
      const files = Object.entries(l.files ?? {}).map(([name, data]): EntrySpec => ({ name, type: 'file', mode: 0o644, data }));
      const tar = l.tar ?? (await buildTar([...files, ...(l.entries ?? [])]));
      diffIds.push(sha256(tar));
      const how = l.compression ?? 'gzip';
      layers.push(await put(await compress(tar, how, dir), layerType[how]));
    }
    const platform = spec.platform ?? { os: 'linux', architecture: 'amd64' };
    const configJson = { ...platform, config: { Cmd: spec.cmd ?? ['/bin/sh'] }, rootfs: { type: 'layers', diff_ids: diffIds } };
    const config = await put(Buffer.from(JSON.stringify(configJson)), 'application/vnd.oci.image.config.v1+json');
    const manifestJson = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers };
    const manifest = await put(Buffer.from(JSON.stringify(manifestJson)), manifestJson.mediaType, { platform });
    return { manifest, config, layers, diffIds };
  }
  const built: Record<string, BuiltTag> = {};
  const entries: Descriptor[] = [];
  for (const [tag, spec] of Object.entries(tags)) {
    const images = [];
    for (const s of Array.isArray(spec) ? spec : [spec]) images.push(await image(s));
    let top: Descriptor;
    if (Array.isArray(spec)) {
      const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: images.map((i) => i.manifest) };
      top = await put(Buffer.from(JSON.stringify(index)), index.mediaType);
    } else {
      const { platform: _, ...plain } = images[0].manifest;
      top = plain;
    }
    built[tag] = { top, images };
    entries.push({ ...top, annotations: { 'org.opencontainers.image.ref.name': tag } });
  }
  await writeFile(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: entries }));
  return built;
}

/** Runs skopeo, through wrap (e.g. ["nsenter", "-t", pid, "--net"]) when given: another network namespace. */
async function skopeo(args: string[], wrap: string[]): Promise<string> {
  const [cmd, ...rest] = [...wrap, 'skopeo', '--insecure-policy', ...args];
  return (await run(cmd, rest, { maxBuffer: 64 << 20 })).stdout;
}

/** skopeo copy of an OCI layout tag to a plain-HTTP registry (all platforms of an index). */
export async function skopeoPush(layout: string, tag: string, dest: string, creds?: string, wrap: string[] = []): Promise<void> {
  const args = ['copy', '--quiet', '--all', '--preserve-digests', '--dest-tls-verify=false'];
  if (creds) args.push('--dest-creds', creds);
  await skopeo([...args, `oci:${layout}:${tag}`, `docker://${dest}`], wrap);
}

/** skopeo inspect --raw of a registry image: its manifest as stored. */
export async function skopeoInspectRaw(ref: string, creds?: string, wrap: string[] = []): Promise<string> {
  const args = ['inspect', '--raw', '--tls-verify=false'];
  if (creds) args.push('--creds', creds);
  return skopeo([...args, `docker://${ref}`], wrap);
}

// berth cp: files between a container and the local filesystem (docker's cli/command/container/cp.go).
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isDaemonError, type Client, type ContainerPathStat } from '../../client/index.js';
import { extractArchive, packTree } from '../../fs/index.js';
import { defineCommand, type CliContext } from '../command.js';
import {
  getRebaseName, isGoDir, isGoSymlink, localDestinationInfo, localSourceInfo, outputModeProblem, prepareArchiveCopy,
  rebaseArchive, splitPathDirEntry, type CopyInfo,
} from '../copy-rules.js';
import { StatusError } from '../errors.js';
import { bool } from '../flags.js';
import { humanSize } from '../units.js';

/** "ctr:/path" → container and path; absolute paths and "./x:y" are local (docker's splitCpArg). */
export function splitCpArg(arg: string): { container?: string; path: string } {
  if (arg.startsWith('/')) return { path: arg };
  const colon = arg.indexOf(':');
  if (colon === -1 || arg.startsWith('.')) return { path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

/** A stat of a container path, undefined when it does not exist. */
async function statOrUndefined(client: Client, container: string, p: string): Promise<ContainerPathStat | undefined> {
  try {
    return await client.files.stat(container, p);
  } catch (err) {
    if (isDaemonError(err, 404)) return undefined;
    throw err;
  }
}

/** A symlink's target as an absolute container path (relative targets are joined to the link's directory). */
const linkTargetOf = (linkPath: string, stat: ContainerPathStat): string =>
  stat.linkTarget.startsWith('/') ? stat.linkTarget : path.posix.join(splitPathDirEntry(linkPath)[0], stat.linkTarget);

/** Counts the bytes going through, for "Successfully copied". */
function counter(): Transform & { bytes: number } {
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      t.bytes += chunk.length;
      done(null, chunk);
    },
  }) as Transform & { bytes: number };
  t.bytes = 0;
  return t;
}

interface CopyOptions {
  followLink: boolean;
  copyUIDGID: boolean;
}

async function copyFromContainer(ctx: CliContext, container: string, srcPath: string, dstPath: string, o: CopyOptions): Promise<number> {
  let rebaseName = '';
  if (o.followLink) {
    const stat = await statOrUndefined(ctx.client, container, srcPath);
    if (stat && isGoSymlink(stat.mode)) [srcPath, rebaseName] = getRebaseName(srcPath, linkTargetOf(srcPath, stat));
  }
  const { stat, content } = await ctx.client.files.copyFrom(container, srcPath);
  const counted = counter();
  if (dstPath === '-') {
    await pipeline(content, counted, ctx.stdout, { end: false });
    return counted.bytes;
  }
  const src: CopyInfo = { path: srcPath, exists: true, isDir: isGoDir(stat.mode), rebaseName };
  const { dstDir, rename } = prepareArchiveCopy(src, await localDestinationInfo(dstPath));
  const archive = rename ? rebaseArchive(content.pipe(counted), rename.from, rename.to) : content.pipe(counted);
  // Like docker's NoLchown: what is copied out belongs to whoever runs berth.
  await extractArchive(path.resolve(dstDir), '/', archive, {
    noOverwriteDirNonDir: true, copyUIDGID: true, user: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
  });
  return counted.bytes;
}

async function copyToContainer(ctx: CliContext, srcPath: string, container: string, dstPath: string, o: CopyOptions): Promise<number> {
  const dst: CopyInfo = { path: dstPath, exists: false, isDir: false, rebaseName: '' };
  let stat = await statOrUndefined(ctx.client, container, dstPath);
  if (stat && isGoSymlink(stat.mode)) {
    dst.path = linkTargetOf(dstPath, stat);
    stat = await statOrUndefined(ctx.client, container, dst.path);
  }
  const problem = stat && outputModeProblem(stat.mode);
  if (problem) throw new StatusError(1, `destination "${container}:${dstPath}" must be a directory or a regular file: ${problem}`);
  if (stat) Object.assign(dst, { exists: true, isDir: isGoDir(stat.mode) });

  const counted = counter();
  let content: Readable;
  let extractTo: string;
  if (srcPath === '-') {
    if (!dst.isDir) throw new StatusError(1, `destination "${container}:${dstPath}" must be a directory`);
    content = ctx.stdin;
    extractTo = dst.path;
  } else {
    const src = await localSourceInfo(srcPath, o.followLink);
    const { dstDir, rename } = prepareArchiveCopy(src, dst);
    const [srcDir, srcBase] = splitPathDirEntry(src.path);
    content = packTree(srcBase === '.' ? srcDir : path.join(srcDir, srcBase), { topName: rename?.to ?? (src.rebaseName || srcBase) });
    extractTo = dstDir;
  }
  await ctx.client.files.copyTo(container, extractTo, content.pipe(counted), { copyUIDGID: o.copyUIDGID });
  return counted.bytes;
}

export const cpCommand = defineCommand({
  names: [['cp'], ['container', 'cp']],
  usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  description: 'Copy files/folders between a container and the local filesystem',
  flags: {
    followLink: bool('follow-link', 'Always follow symbol link in SRC_PATH', { short: 'L' }),
    archive: bool('archive', 'Archive mode (copy all uid/gid information)', { short: 'a' }),
    quiet: bool('quiet', 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached', { short: 'q' }),
  },
  minArgs: 2,
  maxArgs: 2,
  async run(ctx, { flags: f, args }) {
    const src = splitCpArg(args[0]);
    const dst = splitCpArg(args[1]);
    if (src.path === '') throw new StatusError(1, 'source can not be empty');
    if (dst.path === '') throw new StatusError(1, 'destination can not be empty');
    const o = { followLink: f.followLink, copyUIDGID: f.archive };
    let bytes: number;
    let target: string;
    if (src.container !== undefined && dst.container !== undefined) throw new StatusError(1, 'copying between containers is not supported');
    if (src.container !== undefined) {
      bytes = await copyFromContainer(ctx, src.container, src.path, dst.path, o);
      target = dst.path;
    } else if (dst.container !== undefined) {
      bytes = await copyToContainer(ctx, src.path, dst.container, dst.path, o);
      target = `${dst.container}:${dst.path}`;
    } else {
      throw new StatusError(1, 'must specify at least one container source');
    }
    if (!f.quiet && ctx.stderr.isTTY && dst.path !== '-') ctx.stderr.write(`Successfully copied ${humanSize(bytes)} to ${target}\n`);
  },
});

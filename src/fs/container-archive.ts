// GET /containers/{id}/archive and GET /containers/{id}/export over a container's root directory.
import type { Readable } from 'node:stream';
import type { Logger } from '../util/logger.js';
import { resolveArchivePath, lstatArchivePath, pathStatOf, goBase, goClean } from './path-stat.js';
import { packTree } from './tar-pack.js';
import type { ArchiveOptions, ContainerArchive } from './types.js';

/**
 * A path of the container as a tar, with Docker's naming: "/dir" and "/dir/" give "dir/...", "/dir/." gives
 * "./..." (the contents), "/" gives "/", "/bin/...". A symlink as last element is archived as the link itself
 * unless the path ends with "/" or "/." (then its target's content, named after the link).
 */
export async function archivePath(
  root: string,
  containerPath: string,
  opts: ArchiveOptions & { logger?: Logger } = {},
): Promise<ContainerArchive> {
  const resolved = await resolveArchivePath(root, containerPath);
  const st = await lstatArchivePath(resolved, opts.containerName);
  const stat = await pathStatOf(root, resolved, st);
  const rebase = goBase(resolved.absPath);
  const tar = packTree(goClean(resolved.hostPath), {
    topName: rebase === '/' ? '' : rebase,
    logger: opts.logger,
    signal: opts.signal,
  });
  return { stat, tar };
}

/** docker export: the whole filesystem under root, entries named "bin/", "bin/sh", ... (no "./" entry). */
export function exportRootfs(root: string, opts: { logger?: Logger; signal?: AbortSignal } = {}): Readable {
  return packTree(root, { topName: null, logger: opts.logger, signal: opts.signal });
}

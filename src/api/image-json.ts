// Engine images as Docker's ImageInspect, ImageSummary and history JSON; repository names in Docker's familiar form.
import type { HistoryEntry, ImageInfo } from '../engine/types.js';
import { familiarString } from '../image/reference.js';

/** "docker.io/library/busybox:latest" → "busybox:latest"; values that are not references pass unchanged. */
export function familiar(name: string): string {
  try {
    return familiarString(name);
  } catch {
    return name;
  }
}

const unixSeconds = (iso: string): number => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
};

export function imageSummaryJson(img: ImageInfo): Record<string, unknown> {
  return {
    Id: img.id,
    ParentId: img.parent,
    RepoTags: img.repoTags.map(familiar),
    RepoDigests: img.repoDigests.map(familiar),
    Created: unixSeconds(img.created),
    Size: img.size,
    // Docker answers -1 for the counts it does not compute unless asked (shared-size, containers).
    SharedSize: -1,
    Labels: img.labels,
    Containers: -1,
  };
}

export function imageInspectJson(img: ImageInfo): Record<string, unknown> {
  return {
    Id: img.id,
    RepoTags: img.repoTags.map(familiar),
    RepoDigests: img.repoDigests.map(familiar),
    Parent: img.parent,
    Comment: img.comment,
    ...(img.created ? { Created: img.created } : {}),
    Author: img.author,
    Config: { User: '', Env: [], Cmd: null, WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: null, ...img.config },
    Architecture: img.architecture,
    ...(img.variant ? { Variant: img.variant } : {}),
    Os: img.os,
    Size: img.size,
    GraphDriver: { Name: 'overlay2', Data: {} },
    RootFS: { Type: img.rootfs.type, Layers: img.rootfs.diff_ids },
    Metadata: {},
  };
}

export function historyJson(h: HistoryEntry): Record<string, unknown> {
  return { Id: h.id, Created: h.created, CreatedBy: h.createdBy, Tags: h.tags.map(familiar), Size: h.size, Comment: h.comment };
}

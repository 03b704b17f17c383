// Pull and push progress as Docker's JSON message stream (what `docker pull` and `docker push` render):
// one id per layer (12 hex digits of its digest), statuses in Docker's words, byte counts throttled.
import type { Descriptor } from '../content/types.js';
import type { ProgressMessage } from '../registry/types.js';
import type { BlobReuse } from './registry-destination.js';
import type { CopyProgress, UnpackProgress } from './types.js';

export type ProgressSink = (m: ProgressMessage) => void;

/** Docker's layer id in progress messages. */
export const shortId = (digest: string): string => digest.replace(/^sha256:/, '').slice(0, 12);

const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Decimal sizes with four significant digits, as Docker's units.HumanSize: "528B", "1.234MB". */
export function humanSize(bytes: number): string {
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(4))}${units[i]}`;
}

/** Docker's progress text: `[=====>      ]  1.23MB/4.56MB`. */
export function progressText(current: number, total: number): string {
  if (total <= 0) return humanSize(current).padStart(8);
  const done = Math.min(50, Math.floor(Math.floor((current / total) * 100) / 2));
  return `[${'='.repeat(done)}>${' '.repeat(50 - done)}] ${humanSize(current).padStart(8)}/${humanSize(total)}`;
}

/** Emits byte progress for an id at most every intervalMs (and always the last). */
function throttled(emit: ProgressSink, status: string, intervalMs: number) {
  const last = new Map<string, number>();
  return (id: string, current: number, total: number) => {
    const now = Date.now();
    if (current < total && now - (last.get(id) ?? 0) < intervalMs) return;
    last.set(id, now);
    emit({ status, id, progress: progressText(current, total), progressDetail: { current, total } });
  };
}

export interface PullReporter {
  copy(p: CopyProgress): void;
  unpack(p: UnpackProgress): void;
  /** True once any layer was downloaded (rather than found locally). */
  readonly downloaded: boolean;
}

export function createPullReporter(emit: ProgressSink, intervalMs = 100): PullReporter {
  const downloading = throttled(emit, 'Downloading', intervalMs);
  let downloaded = false;
  return {
    get downloaded() {
      return downloaded;
    },
    copy(p) {
      const id = shortId(p.desc.digest);
      switch (p.kind) {
        case 'exists':
          emit({ status: 'Already exists', id, progressDetail: {} });
          break;
        case 'start':
          downloaded = true;
          emit({ status: 'Pulling fs layer', id, progressDetail: {} });
          break;
        case 'progress':
          downloading(id, p.current, p.total);
          break;
        case 'done':
          emit({ status: 'Verifying Checksum', id, progressDetail: {} });
          emit({ status: 'Download complete', id, progressDetail: {} });
          break;
      }
    },
    unpack(p) {
      const id = shortId(p.desc.digest);
      emit({ status: p.kind === 'extracting' ? 'Extracting' : 'Pull complete', id, progressDetail: {} });
    },
  };
}

export interface PushReporter {
  /** Preparing for every layer, Waiting for those beyond the first `concurrency`. */
  prepare(layers: Descriptor[], concurrency: number): void;
  reused(desc: Descriptor, how: BlobReuse): void;
  copy(p: CopyProgress): void;
}

export function createPushReporter(emit: ProgressSink, intervalMs = 100): PushReporter {
  const pushing = throttled(emit, 'Pushing', intervalMs);
  const reuse = new Map<string, BlobReuse>();
  return {
    prepare(layers, concurrency) {
      for (const l of layers) emit({ status: 'Preparing', id: shortId(l.digest), progressDetail: {} });
      for (const l of layers.slice(concurrency)) emit({ status: 'Waiting', id: shortId(l.digest), progressDetail: {} });
    },
    reused(desc, how) {
      reuse.set(desc.digest, how);
    },
    copy(p) {
      const id = shortId(p.desc.digest);
      switch (p.kind) {
        case 'exists': {
          const how = reuse.get(p.desc.digest);
          emit({ status: how?.kind === 'mounted' ? `Mounted from ${how.from}` : 'Layer already exists', id, progressDetail: {} });
          break;
        }
        case 'start':
          emit({ status: 'Pushing', id, progress: progressText(0, p.desc.size), progressDetail: { current: 0, total: p.desc.size } });
          break;
        case 'progress':
          pushing(id, p.current, p.total);
          break;
        case 'done':
          emit({ status: 'Pushed', id, progressDetail: {} });
          break;
      }
    },
  };
}

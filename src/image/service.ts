// The image service: the local image store behind ImageEngine, plus what the container engine and pull/push need.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { invalidArgument, isBerthError, notFound } from '../errors.js';
import type { Digest } from '../content/types.js';
import type { ImageInfo } from '../engine/types.js';
import { createDockerArchiveWriter } from './archive-writer.js';
import { extractArchive, readArchiveImages } from './archive-source.js';
import { copyImage } from './copy.js';
import { stageCommit } from './commit.js';
import { diffLayer } from '../archive/diff.js';
import { filterImages } from './filters.js';
import { createCollector, createLeases } from './gc.js';
import { stageImport } from './import.js';
import { imageHistory, imageInfo } from './info.js';
import { createLocalDestination, createLocalSource, type LocalCommit } from './local.js';
import { displayRef, isNameOnly, mustFindImage, namesOf } from './lookup.js';
import { parseImageConfig, parseManifest } from './manifest.js';
import { familiarString, normalizeReference, parseReference, repositoryName } from './reference.js';
import { removeImage } from './remove.js';
import { createImageStore, type ImageRecord } from './store.js';
import { createUnpacker } from './unpack.js';
import { createEarlyUnpack } from './early-unpack.js';
import { findSameLayer } from './same-layer.js';
import type { ImageDestination, ImageService, ImageServiceDeps, OciImage, UnpackProgress } from './types.js';

export function createImageService(deps: ImageServiceDeps): ImageService {
  const { content, snapshotter, logger } = deps;
  const store = createImageStore(deps.root);
  const unpacker = createUnpacker({ content, snapshotter, logger });
  const leases = createLeases();
  const collector = createCollector({ content, snapshotter, leases, logger });
  const tmpDir = path.join(deps.root, 'tmp');
  const configs = new Map<string, OciImage>();
  const publish = (action: string, id: string, attributes: Record<string, string> = {}) =>
    deps.publish?.({ type: 'image', action, actor: { id, attributes } });

  // Unpacks interrupted by a crash leave "extract-*" snapshots behind; they are ours to drop.
  const ready = (async () => {
    const stale: string[] = [];
    await snapshotter.walk((i) => {
      if (i.kind === 'active' && i.key.startsWith('extract-')) stale.push(i.key);
    });
    for (const key of stale) await snapshotter.remove(key).catch(() => undefined);
    await rm(tmpDir, { recursive: true, force: true });
  })();
  const data = async () => {
    await ready;
    return store.read();
  };

  async function config(id: string): Promise<OciImage> {
    let cfg = configs.get(id);
    if (!cfg) {
      cfg = parseImageConfig(await content.readBlob(id as Digest));
      configs.set(id, cfg);
    }
    return cfg;
  }

  async function info(rec: ImageRecord): Promise<ImageInfo> {
    return imageInfo(rec, await config(rec.id), namesOf(await store.read(), rec.id));
  }

  /** Unpacks a committed copy (or import) and records the image under names. */
  async function register(c: LocalCommit, names: string[], onUnpack?: (p: UnpackProgress) => void, signal?: AbortSignal): Promise<ImageRecord> {
    const parsed = parseManifest({ bytes: c.manifest.bytes, mediaType: c.manifest.desc.mediaType });
    if (parsed.kind !== 'manifest') throw invalidArgument('expected an image manifest');
    const m = parsed.manifest;
    const cfg = parseImageConfig(await content.readBlob(m.config.digest));
    if (cfg.rootfs.diff_ids.length !== m.layers.length) {
      throw invalidArgument(`image config has ${cfg.rootfs.diff_ids.length} diffIDs for ${m.layers.length} layers`);
    }
    const layers = await unpacker.unpack(m.layers.map((blob, i) => ({ blob, diffId: cfg.rootfs.diff_ids[i] })), onUnpack, signal);
    const id = m.config.digest;
    let replaced: ImageRecord | undefined;
    const rec = await store.update((d) => {
      replaced = d.images[id];
      const record: ImageRecord = { id, manifest: c.manifest.desc, layers, added: replaced?.added ?? new Date().toISOString() };
      d.images[id] = record;
      for (const n of names) d.names[n] = { image: id, target: c.top.desc };
      return record;
    });
    if (replaced && replaced.manifest.digest !== rec.manifest.digest) {
      await collector.blobs(await store.read(), [replaced.manifest.digest, ...replaced.layers.map((l) => l.blob.digest)]);
    }
    return rec;
  }

  /** A local destination whose blobs stay leased until the image is recorded; layers unpack as they arrive. */
  function localDestination(label: string, names: string[], onUnpack?: (p: UnpackProgress) => void): ImageDestination & { record(): ImageRecord } {
    const held: Digest[] = [];
    const hold = (d: Digest) => {
      leases.hold(d);
      held.push(d);
    };
    const early = createEarlyUnpack(unpacker, logger, onUnpack);
    let recorded: ImageRecord | undefined;
    const inner = createLocalDestination(
      content,
      label,
      async (c, signal) => {
        await early.settled();
        recorded = await register(c, names, onUnpack, signal);
      },
      { writing: early.arriving },
    );
    /** The diffIDs of the layers to come, by blob digest. */
    const diffIds = new Map<Digest, Digest>();
    return {
      ...inner,
      layersAhead(layers) {
        for (const l of layers) diffIds.set(l.blob.digest, l.diffId);
        early.ahead(layers);
      },
      async tryReusingBlob(desc, signal) {
        hold(desc.digest);
        const reused = await inner.tryReusingBlob(desc, signal);
        if (reused) {
          early.stored(desc.digest, signal);
          return reused;
        }
        const diffId = diffIds.get(desc.digest);
        if (!diffId) return undefined;
        const layersHere = Object.values((await store.read()).images).flatMap((r) => r.layers);
        const same = await findSameLayer(content, layersHere, desc, diffId);
        if (!same) return undefined;
        hold(same.digest);
        early.substituted(desc.digest, same, signal);
        return same;
      },
      async putBlob(stream, desc, opts) {
        const stored = await inner.putBlob(stream, desc, opts);
        hold(stored.digest);
        early.stored(stored.digest, opts?.signal);
        return stored;
      },
      async close() {
        await early.close();
        // A copy that failed leaves no layers behind that no image uses.
        if (!recorded) for (const chainId of early.started()) await collector.snapshots(await store.read(), chainId);
        for (const d of held.splice(0)) leases.release(d);
      },
      record() {
        if (!recorded) throw new Error('image not committed');
        return recorded;
      },
    };
  }

  async function resolveCreated(ref: string): Promise<number> {
    const { record } = mustFindImage(await data(), ref);
    return Date.parse((await config(record.id)).created ?? '') || 0;
  }

  const service: ImageService = {
    async list(opts) {
      const d = await data();
      const infos = await Promise.all(Object.values(d.images).map(info));
      const out = await filterImages(infos, opts.filters, resolveCreated);
      return out.sort((a, b) => (Date.parse(b.created) || 0) - (Date.parse(a.created) || 0));
    },
    async inspect(ref) {
      return info(mustFindImage(await data(), ref).record);
    },
    async history(ref) {
      const { record } = mustFindImage(await data(), ref);
      const i = await info(record);
      return imageHistory(record, await config(record.id), i.repoTags);
    },
    async tag(source, target) {
      const name = normalizeReference(target);
      if (parseReference(name).digest) throw invalidArgument(`refusing to create a tag with a digest reference`);
      await ready;
      const id = await store.update((d) => {
        const { record } = mustFindImage(d, source);
        d.names[name] = { image: record.id, target: record.manifest };
        return record.id;
      });
      publish('tag', id, { name: familiarString(name) });
    },
    async remove(ref, opts) {
      await ready;
      const out = await removeImage({ store, collector, isImageInUse: deps.isImageInUse }, ref, opts);
      for (const u of out.untagged) publish('untag', u.id, { name: familiarString(u.name) });
      if (out.deleted) {
        configs.delete(out.deleted.id);
        publish('delete', out.deleted.id, {});
      }
      return out.results;
    },
    async importRootfs(tar, opts) {
      const name = opts.ref ? normalizeReference(opts.ref) : undefined;
      await ready;
      const staged = await stageImport(content, tar, opts);
      const rec = await register(staged, name ? [name] : []);
      publish('import', rec.id, name ? { name: familiarString(name) } : {});
      return info(rec);
    },
    async load(tar) {
      await ready;
      const dir = path.join(tmpDir, `load-${randomBytes(8).toString('hex')}`);
      await mkdir(dir, { recursive: true });
      try {
        await extractArchive(tar, dir);
        const loaded: string[] = [];
        for (const img of await readArchiveImages(dir)) {
          const dst = localDestination('local', img.names);
          try {
            await copyImage(img.source, dst);
          } finally {
            await dst.close();
          }
          const id = dst.record().id;
          publish('load', id, img.names.length ? { name: familiarString(img.names[0]) } : {});
          loaded.push(...(img.names.length ? img.names.map(familiarString) : [id]));
        }
        return loaded;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async save(refs, out) {
      const d = await data();
      const groups = new Map<string, string[]>();
      for (const ref of refs) {
        const repo = isNameOnly(ref) ? repositoryName(parseReference(ref)) : undefined;
        const tagged = repo ? Object.entries(d.names).filter(([n]) => n.startsWith(`${repo}:`)) : [];
        if (tagged.length) {
          for (const [n, r] of tagged) groups.set(r.image, [...(groups.get(r.image) ?? []), n]);
          continue;
        }
        const found = mustFindImage(d, ref);
        const names = groups.get(found.record.id) ?? [];
        if (found.name && !parseReference(found.name).digest && !names.includes(found.name)) names.push(found.name);
        groups.set(found.record.id, names);
      }
      const writer = createDockerArchiveWriter(out, tmpDir);
      for (const [id, names] of groups) {
        const rec = d.images[id];
        await copyImage(createLocalSource(content, id, rec.manifest), writer.destination(names));
        publish('save', id, names.length ? { name: familiarString(names[0]) } : {});
      }
      await writer.finish();
    },
    async resolve(ref) {
      const { record } = mustFindImage(await data(), ref);
      return { id: record.id, config: await config(record.id), chainIds: record.layers.map((l) => l.chainId) };
    },
    async prepareRootfs(imageId, key, labels) {
      const rec = (await data()).images[imageId];
      if (!rec) throw notFound(`No such image: ${displayRef(imageId)}`);
      // Layers whose snapshots went missing are unpacked again from their blobs.
      await unpacker.unpack(rec.layers.map((l) => ({ blob: l.blob, diffId: l.diffId })));
      const mounts = await snapshotter.prepare(key, rec.layers[rec.layers.length - 1]?.chainId, { labels });
      // The container's record, written next, refers to it.
      await snapshotter.sync();
      return mounts;
    },
    async removeRootfs(key) {
      let parent: string | undefined;
      try {
        parent = (await snapshotter.stat(key)).parent;
        await snapshotter.remove(key);
      } catch (err) {
        if (isBerthError(err, 'not_found')) return;
        throw err;
      }
      // Layers kept only for this container (its image was force-removed) go with it.
      await collector.snapshots(await data(), parent);
    },
    async pullFrom(src, opts) {
      await ready;
      const names = opts.name ? [normalizeReference(opts.name)] : [];
      const dst = localDestination(opts.name ?? src.name, names, opts.onUnpack);
      let result;
      try {
        result = await copyImage(src, dst, opts);
      } finally {
        await dst.close();
      }
      const name = names[0];
      if (name && !parseReference(name).digest) {
        // Pulled by tag: the image is also known as repo@digest, which `docker images --digests` shows.
        const rec = dst.record();
        const byDigest = `${repositoryName(parseReference(name))}@${result.digest}`;
        await store.update((d) => {
          d.names[byDigest] = { image: rec.id, target: d.names[name].target };
        });
      }
      if (name) publish('pull', familiarString(name), { name: familiarString(name) });
      return info(dst.record());
    },
    async commit(opts) {
      const rec = (await data()).images[opts.parent];
      if (!rec) throw notFound(`No such image: ${displayRef(opts.parent)}`);
      const parsed = parseManifest({ bytes: await content.readBlob(rec.manifest.digest), mediaType: rec.manifest.mediaType });
      if (parsed.kind !== 'manifest') throw invalidArgument(`image ${rec.id} has no image manifest`);
      const parent = { id: rec.id, config: await config(rec.id), manifest: parsed.manifest };
      const changes = diffLayer(await snapshotter.upperDir(opts.snapshotKey));
      const staged = await stageCommit(content, parent, changes, opts);
      return info(await register(staged, opts.ref ? [normalizeReference(opts.ref)] : []));
    },
    async openSource(ref) {
      const found = mustFindImage(await data(), ref);
      return createLocalSource(content, found.name ?? found.record.id, found.record.manifest);
    },
  };
  return service;
}

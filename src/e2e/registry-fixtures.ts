// End-to-end registry fixtures: Debian's docker-registry run inside a berthd's namespaces (so berthd reaches it on
// 127.0.0.1), hand-built OCI layouts on a busybox layer, pushed there with skopeo.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { collect } from '../archive/test-helpers.js';
import { busyboxRootfsTar } from '../demo/busybox-rootfs.js';
import { skopeoInspectRaw, skopeoPush, writeOciLayout, type BuiltTag, type ImageSpec, type LayerSpec } from '../registry/testing/oci-layout.js';
import { startRegistry, type RegistryAuth, type TestRegistry } from '../registry/testing/registry-server.js';
import { startDaemon, type Daemon } from './harness.js';

export interface RegistryFixture {
  d: Daemon;
  /** A temp dir removed after the tests. */
  dir: string;
  reg: TestRegistry;
  /** The layout's images, pushed to reg as `test/<tag>:1` (and privateTags to privateReg as `secret/<tag>:1`). */
  built: Record<string, BuiltTag>;
  privateReg?: TestRegistry;
  /** skopeo inspect --raw, from inside the daemon's network namespace. */
  inspectRaw(ref: string, creds?: string): Promise<string>;
}

export interface FixtureOptions {
  /** Images to build on a busybox layer (each entry's layers go on top of it), by tag. */
  images: (busybox: LayerSpec) => Record<string, ImageSpec | ImageSpec[]>;
  /** Credentials of a second, private registry (htpasswd), started when given. */
  privateUser?: RegistryAuth['htpasswd'];
  /** Tags of the layout pushed to the private registry too. */
  privateTags?: string[];
}

/** One berthd and registries in its namespaces for the tests of a file; the getter is valid inside tests. */
export function useRegistryFixture(opts: FixtureOptions): () => RegistryFixture {
  let f: RegistryFixture | undefined;
  const cleanups: Array<() => Promise<unknown>> = [];
  before(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'berth-e2e-registry-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const d = await startDaemon();
    cleanups.push(() => d.stop());
    const reg = await startRegistry(path.join(dir, 'reg'), {}, { wrap: d.wrap });
    cleanups.push(() => reg.stop());
    const layout = path.join(dir, 'layout');
    const busybox: LayerSpec = { tar: await collect(await busyboxRootfsTar()) };
    const built = await writeOciLayout(layout, opts.images(busybox));
    for (const tag of Object.keys(built)) await skopeoPush(layout, tag, `${reg.host}/test/${tag}:1`, undefined, d.wrap);
    let privateReg: TestRegistry | undefined;
    if (opts.privateUser) {
      const u = opts.privateUser;
      privateReg = await startRegistry(path.join(dir, 'private'), { htpasswd: u }, { wrap: d.wrap });
      cleanups.push(() => privateReg!.stop());
      for (const tag of opts.privateTags ?? []) {
        await skopeoPush(layout, tag, `${privateReg.host}/secret/${tag}:1`, `${u.username}:${u.password}`, d.wrap);
      }
    }
    f = { d, dir, reg, built, privateReg, inspectRaw: (ref, creds) => skopeoInspectRaw(ref, creds, d.wrap) };
  });
  after(async () => {
    // Registries first (they live in the daemon's namespaces), the daemon, then the files.
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });
  return () => {
    if (!f) throw new Error('the registry fixture is not started');
    return f;
  };
}

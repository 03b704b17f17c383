// `docker pull` of a multi-layer image of at least 200 MB of random (incompressible) data from a loopback docker-registry: berthd next to dockerd
// 20.10, both in one network namespace (berthd's) where the registry listens on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EntrySpec } from '../archive/test-helpers.js';
import { startDaemon, type CommandResult } from '../e2e/harness.js';
import { skopeoPush, writeOciLayout } from '../registry/testing/oci-layout.js';
import { startRegistry } from '../registry/testing/registry-server.js';
import { startDockerd } from './peers.js';
import { formatTimings, time, type Timing } from './stats.js';

const layers = 5;
const filesPerLayer = 4;
const fileSize = 10 << 20;

function layerEntries(n: number): EntrySpec[] {
  return [
    { name: `data${n}/`, type: 'directory', mode: 0o755 },
    ...Array.from({ length: filesPerLayer }, (_, i): EntrySpec => ({ name: `data${n}/blob${i}`, type: 'file', mode: 0o644, data: randomBytes(fileSize) })),
  ];
}

const check = (what: string, r: CommandResult) => {
  if (r.code !== 0) throw new Error(`${what}: ${r.stderr}`);
};

export async function benchPull(runs: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-bench-pull-'));
  const berth = await startDaemon();
  const stops: Array<() => Promise<unknown>> = [() => berth.stop(), () => rm(dir, { recursive: true, force: true })];
  try {
    const reg = await startRegistry(path.join(dir, 'registry'), {}, { wrap: berth.wrap });
    stops.unshift(() => reg.stop());
    const layout = path.join(dir, 'layout');
    const built = await writeOciLayout(layout, { big: { layers: Array.from({ length: layers }, (_, n) => ({ entries: layerEntries(n) })) } });
    const image = built.big.images[0];
    const compressed = image.layers.reduce((s, l) => s + l.size, 0);
    const ref = `${reg.host}/bench/big:1`;
    await skopeoPush(layout, 'big', ref, undefined, berth.wrap);
    await rm(layout, { recursive: true, force: true });

    const pull = (docker: (args: string[]) => Promise<CommandResult>, name: string) =>
      // One untimed pull first, for each: the registry's files are then in the page cache for both daemons alike.
      time(name, runs, async () => check(`${name}`, await docker(['pull', '-q', ref])), 1, async () => {
        await docker(['rmi', ref]);
      });
    const berthT = await pull((args) => berth.docker(args, { timeoutMs: 600_000 }), 'berth: docker pull');
    await berth.docker(['rmi', ref]);
    const dockerd = await startDockerd({ wrap: berth.wrap });
    let dockerT: Timing | undefined;
    if (dockerd) {
      stops.unshift(() => dockerd.stop());
      dockerT = await pull((args) => dockerd.docker(args), 'dockerd: docker pull');
    }
    const mb = (n: number) => (n / 1e6).toFixed(0);
    return [
      `pull of a ${layers}-layer image (${mb(layers * filesPerLayer * fileSize)} MB of files, ${mb(compressed)} MB gzip) from a loopback docker-registry`,
      formatTimings([berthT, ...(dockerT ? [dockerT] : [])]),
      `  berth / dockerd: ${dockerT ? (berthT.medianMs / dockerT.medianMs).toFixed(2) : 'n/a (dockerd not installed)'}   (target ≤ 0.5)`,
    ].join('\n');
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

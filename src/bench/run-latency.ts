// `docker run --rm busybox true` through the docker CLI: berthd next to dockerd 20.10 and bare `runc run`.
import { startDaemon, importBusybox } from '../e2e/harness.js';
import { busyboxRootfsTar } from '../demo/busybox-rootfs.js';
import { startDockerd, bareRuncBundle } from './peers.js';
import { time, formatTimings, type Timing } from './stats.js';

const ratio = (a: Timing, b: Timing | undefined) => (b ? (a.medianMs / b.medianMs).toFixed(2) : 'n/a');

async function tarBuffer(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await busyboxRootfsTar()) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function benchRunLatency(runs: number): Promise<string> {
  const check = (what: string, r: { code: number; stderr: string }) => {
    if (r.code !== 0) throw new Error(`${what}: ${r.stderr}`);
  };
  const berth = await startDaemon();
  let dockerd;
  const runc = await bareRuncBundle(['true']);
  try {
    await importBusybox(berth);
    const berthT = await time('berth: docker run --rm busybox true', runs, async () =>
      check('berth run', await berth.docker(['run', '--rm', 'busybox', 'true'])));
    const runcT = await time('bare runc run true', runs, () => runc.run());
    dockerd = await startDockerd();
    let dockerT: Timing | undefined;
    if (dockerd) {
      check('dockerd import', await dockerd.docker(['import', '-', 'busybox:latest'], await tarBuffer()));
      const d = dockerd;
      dockerT = await time('dockerd: docker run --rm busybox true', runs, async () =>
        check('dockerd run', await d.docker(['run', '--rm', 'busybox', 'true'])));
    }
    return [
      'run latency (docker CLI → daemon → container running `true` → removed)',
      formatTimings([berthT, ...(dockerT ? [dockerT] : []), runcT]),
      `  berth / dockerd: ${ratio(berthT, dockerT)}   (target ≤ 0.25)`,
      `  berth / bare runc: ${ratio(berthT, runcT)}   (target ≤ 2)`,
    ].join('\n');
  } finally {
    await berth.stop();
    await dockerd?.stop();
    await runc.cleanup();
  }
}

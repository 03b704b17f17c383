// `docker run --rm busybox true` through the docker CLI: berthd next to dockerd 20.10 and bare `runc run`.
import { startDaemon, importBusybox, runCommand } from '../e2e/harness.js';
import { busyboxRootfsTar } from '../demo/busybox-rootfs.js';
import { startDockerd, bareRuncBundle } from './peers.js';
import { time, formatTimings, type Timing } from './stats.js';
import { makeTestBed } from '../runtime/busybox-fixture.js';
import { createConmonRuntime } from '../runtime/conmon-runtime.js';
import { silentLogger } from '../util/logger.js';

const ratio = (a: Timing, b: Timing | undefined) => (b ? (a.medianMs / b.medianMs).toFixed(2) : 'n/a');

async function tarBuffer(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await busyboxRootfsTar()) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * What `docker run --rm` costs before berthd does anything of its own: the docker CLI starting and exiting, and
 * conmon + runc creating, starting and reaping the container (its runtime state is deleted after the run returns).
 */
async function floorTimings(runs: number): Promise<Timing[]> {
  const cli = await time('floor: docker CLI alone', runs, async () => {
    await runCommand('docker', ['-H', 'unix:///nonexistent/berth.sock', 'version']);
  });
  const bed = await makeTestBed();
  const deletes: Promise<void>[] = [];
  try {
    const rt = createConmonRuntime({ execRoot: bed.execRoot, logger: silentLogger });
    let n = 0;
    const lifecycle = await time('floor: conmon+runc, true', runs, async () => {
      const id = `floor${n++}`;
      const spec = await bed.spec(id, ['true']);
      await rt.create({ id, bundle: await bed.bundle(id), spec, logPath: bed.logPath(id), logSizeMax: 1 << 20, terminal: false, stdin: false, stdinOnce: false });
      await rt.start(id);
      await rt.waitExit(id);
      // deleted in the background, as berthd does once the run has returned
      deletes.push(rt.delete(id));
    });
    return [cli, lifecycle];
  } finally {
    await Promise.allSettled(deletes);
    await bed.cleanup();
  }
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
    const floor = await floorTimings(runs);
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
      formatTimings([berthT, ...(dockerT ? [dockerT] : []), runcT, ...floor]),
      `  berth / dockerd: ${ratio(berthT, dockerT)}   (target ≤ 0.25)`,
      `  berth / bare runc: ${ratio(berthT, runcT)}   (target ≤ 2)`,
      `  floor (CLI + conmon/runc) / bare runc: ${((floor[0].medianMs + floor[1].medianMs) / runcT.medianMs).toFixed(2)}`,
    ].join('\n');
  } finally {
    await berth.stop();
    await dockerd?.stop();
    await runc.cleanup();
  }
}

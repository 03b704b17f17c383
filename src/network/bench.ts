// Benchmark: HTTP throughput to a server in a container namespace through a published port (portmap DNAT from
// 127.0.0.1) next to the same server reached directly at the container's address. Runs isolated.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { isolated, runIsolated } from './isolate.js';
import { createLab } from './lab.js';

export interface ThroughputResult {
  url: string;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  megabytesPerSecond: number;
}

export interface PublishedPortBench {
  bodyBytes: number;
  concurrency: number;
  direct: ThroughputResult;
  published: ThroughputResult;
}

export interface BenchOptions {
  /** Per measurement; default 3000. */
  durationMs?: number;
  /** Keep-alive connections; default 8. */
  concurrency?: number;
  /** Response size; default 16 KiB. */
  bodyBytes?: number;
}

const self = fileURLToPath(import.meta.url);

export async function benchPublishedPort(opts: BenchOptions = {}, signal?: AbortSignal): Promise<PublishedPortBench> {
  const out = await runIsolated(self, ['--child', JSON.stringify(opts)], signal);
  return JSON.parse(out.trim().split('\n').at(-1)!) as PublishedPortBench;
}

async function measure(url: string, durationMs: number, concurrency: number): Promise<ThroughputResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const get = () =>
    new Promise<number>((resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          let n = 0;
          res.on('data', (b: Buffer) => (n += b.length));
          res.on('end', () => resolve(n));
          res.on('error', reject);
        })
        .on('error', reject);
    });
  await get(); // connect and warm up
  let requests = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const n = await get();
        bytes += n;
        requests++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  return { url, requests, seconds, requestsPerSecond: requests / seconds, megabytesPerSecond: bytes / seconds / 1e6 };
}

async function child(opts: BenchOptions): Promise<PublishedPortBench> {
  const durationMs = opts.durationMs ?? 3000;
  const concurrency = opts.concurrency ?? 8;
  const bodyBytes = opts.bodyBytes ?? 16384;
  const lab = await createLab({ bridgeName: 'berthbench0', defaultSubnet: '10.213.0.1/24', hostResolvConf: '/dev/null' });
  try {
    const c = await lab.start('bench', { portBindings: [{ hostIp: '', hostPort: 18080, containerPort: 80, protocol: 'tcp' }] });
    await lab.agent(c.ns).serve(80, 'x'.repeat(bodyBytes));
    const direct = await measure(`http://${c.net.endpoints[0].ipAddress}:80/`, durationMs, concurrency);
    const published = await measure('http://127.0.0.1:18080/', durationMs, concurrency);
    await lab.stop(c);
    return { bodyBytes, concurrency, direct, published };
  } finally {
    await lab.close();
  }
}

if (process.argv[1] === self && process.argv[2] === '--child' && isolated()) {
  child(JSON.parse(process.argv[3] ?? '{}') as BenchOptions).then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

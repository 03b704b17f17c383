// npm run bench: each benchmark prints ratios against a peer measured in the same run.
import { benchPull } from './pull.js';
import { benchRunLatency } from './run-latency.js';
import { benchPublishedPortReport } from './published-port.js';

const runs = Number(process.env.BENCH_RUNS ?? 20);

async function main(): Promise<void> {
  process.stdout.write(`${await benchRunLatency(runs)}\n`);
  process.stdout.write(`${await benchPublishedPortReport(Number(process.env.BENCH_HTTP_MS ?? 3000))}\n`);
  process.stdout.write(`${await benchPull(Number(process.env.BENCH_PULL_RUNS ?? 3))}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

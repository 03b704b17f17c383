// npm run bench: each benchmark prints ratios against a peer measured in the same run.
import { benchRunLatency } from './run-latency.js';

const runs = Number(process.env.BENCH_RUNS ?? 20);

async function main(): Promise<void> {
  process.stdout.write(`${await benchRunLatency(runs)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

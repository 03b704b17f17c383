// HTTP throughput through a published port (portmap DNAT from 127.0.0.1) next to the same server reached at the
// container's own address, in an isolated network namespace: what publishing costs.
import { benchPublishedPort, type ThroughputResult } from '../network/index.js';

const line = (label: string, r: ThroughputResult) =>
  `  ${label.padEnd(28)} ${r.requestsPerSecond.toFixed(0).padStart(7)} req/s ${r.megabytesPerSecond.toFixed(1).padStart(8)} MB/s  (${r.requests} requests)`;

export async function benchPublishedPortReport(durationMs: number): Promise<string> {
  const r = await benchPublishedPort({ durationMs });
  return [
    `HTTP throughput, ${r.bodyBytes / 1024} KiB responses, ${r.concurrency} keep-alive connections:`,
    line('published port (127.0.0.1)', r.published),
    line('container address (direct)', r.direct),
    `  published/direct: ${(r.published.requestsPerSecond / r.direct.requestsPerSecond).toFixed(2)} (requests/s)`,
  ].join('\n');
}

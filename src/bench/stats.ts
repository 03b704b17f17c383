// Timing helpers for benchmarks: repeated runs, median and spread.
export interface Timing {
  name: string;
  runs: number;
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
}

/** Times once() runs times after warmup runs; before(), when given, runs untimed ahead of every call. */
export async function time(name: string, runs: number, once: () => Promise<void>, warmup = 2, before?: () => Promise<void>): Promise<Timing> {
  for (let i = 0; i < warmup; i++) {
    await before?.();
    await once();
  }
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const t0 = process.hrtime.bigint();
    await once();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { name, runs, medianMs: at(0.5), p10Ms: at(0.1), p90Ms: at(0.9) };
}

export function formatTimings(rows: Timing[]): string {
  return rows
    .map((t) => `  ${t.name.padEnd(34)} median ${t.medianMs.toFixed(1).padStart(7)} ms  (p10 ${t.p10Ms.toFixed(1)}, p90 ${t.p90Ms.toFixed(1)}, n=${t.runs})`)
    .join('\n');
}

/**
 * What every benchmark shares: the scale knob, percentiles, the result line bench/run.ts reads and
 * the "measured under load" label. A benchmark prints exactly one `BENCH_RESULT {json}` line.
 */
import { availableParallelism, loadavg } from 'node:os';

/**
 * `BENCH_SCALE` (0 < s ≤ 1, default 1) shrinks durations and sizes for development and the smoke
 * test; figures at a scale below 1 are not the benchmark's figures and say so (`scale` in the JSON).
 */
export function benchScale(): number {
  const raw = process.env.BENCH_SCALE;
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new Error(`BENCH_SCALE must be a number in (0, 1], got ${JSON.stringify(raw)}`);
  return n;
}

/** Scales a full-size figure, never below `min`. */
export function scaled(full: number, min = 1): number {
  return Math.max(min, Math.round(full * benchScale()));
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function distribution(values: readonly number[], digits = 0): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : null!);
  return { count: sorted.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1] ?? NaN) };
}

export function round(n: number, digits = 2): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

/** ours ÷ naive style ratios, rounded; null when the divisor is zero. */
export function ratio(a: number, b: number, digits = 2): number | null {
  return b === 0 ? null : round(a / b, digits);
}

/**
 * The 1-minute load average divided by cores at the end of a run: above ~1 the benchmark shared the
 * CPU with other work and its timings are pessimistic (BENCHMARKS.md labels such figures).
 */
export function machineLoad(): { loadPerCore1m: number; underLoad: boolean } {
  const perCore = loadavg()[0]! / availableParallelism();
  return { loadPerCore1m: round(perCore), underLoad: perCore > 1 };
}

export function emitResult(result: Record<string, unknown>): void {
  const scale = benchScale();
  console.log(`BENCH_RESULT ${JSON.stringify({ ...result, ...(scale !== 1 ? { scale } : {}), ...machineLoad() })}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Repeats a read the benchmark makes of a simulator: under load a server may close an idle
 * keep-alive socket just as the client reuses it ("other side closed"); a read is safe to repeat.
 */
export async function readAgain<T>(read: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (error) {
      if (i >= attempts) throw error;
      await sleep(500 * i);
    }
  }
}

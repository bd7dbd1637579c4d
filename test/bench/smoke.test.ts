/**
 * Each benchmark runs end to end at a tiny scale through `bench/run.ts` (so the runner's contract
 * is tested too: one JSON object per benchmark as the last line, with Node version and core
 * count). The figures at this scale mean nothing and are not checked against targets; the shape is.
 * Slow by nature (each starts a sandbox or a build): minutes, not seconds, on a loaded machine.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const TINY: Record<string, Record<string, string>> = {
  'order-cpu': { BENCH_SCALE: '0.02' },
  'order-latency': { BENCH_SCALE: '0.02' },
  'stock-latency': { BENCH_SCALE: '0.02' },
  'api-efficiency': { BENCH_SCALE: '0.02' },
  'cold-start': { BENCH_SCALE: '0.2', BENCH_ACTIONS: 'worker', BENCH_COLD_RUNS: '1' },
  panel: { BENCH_SCALE: '0.2', BENCH_PANEL_LOADS: '1' },
  inventory: { BENCH_INVENTORY_SKUS: '500' },
};

/** What each benchmark must report, whatever the scale. */
const KEYS: Record<string, string[]> = {
  'order-cpu': ['mapping', 'pipeline'],
  'order-latency': ['configured', 'raised', 'naive', 'naiveOverOurs'],
  'stock-latency': ['latencyMs', 'magentoCallsPerAdjustment', 'naive', 'actualOverLowerBound'],
  'api-efficiency': ['order', 'shipment', 'customer', 'naive'],
  'cold-start': ['actions', 'largestBundleKb', 'slowestColdStartMedianMs'],
  panel: ['initialJs', 'js', 'css', 'timing'],
  inventory: ['fullS', 'fullWriteCalls', 'incrementalWriteCalls', 'peakRssMb', 'naive'],
};

describe.sequential('benchmarks at tiny scale', () => {
  it('refuses an unknown benchmark by name', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'no-such-bench'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown benchmark\(s\): no-such-bench/);
  });

  for (const [name, env] of Object.entries(TINY)) {
    it(`${name} prints one JSON result as its last line`, () => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', name], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
      const last = run.stdout.trimEnd().split('\n').pop() ?? '';
      const result = JSON.parse(last) as Record<string, unknown>;
      expect(result.error, run.stderr.slice(-2000)).toBeUndefined();
      expect(result).toMatchObject({ benchmark: name, node: process.version });
      expect(result.cores).toBeGreaterThan(0);
      for (const key of KEYS[name]!) expect(result, `${name} reports ${key}`).toHaveProperty(key);
      expect(run.status).toBe(0);
    }, 400_000);
  }
});

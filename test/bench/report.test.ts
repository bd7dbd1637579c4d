import { afterEach, describe, expect, it } from 'vitest';
import { benchScale, distribution, percentile, ratio, scaled } from '../../bench/support/report';

describe('benchmark figures', () => {
  afterEach(() => {
    delete process.env.BENCH_SCALE;
  });

  it('takes nearest-rank percentiles of a sorted sample', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises an unsorted sample without changing it', () => {
    const values = [300, 100, 200];
    expect(distribution(values)).toEqual({ count: 3, p50: 200, p95: 300, p99: 300, max: 300 });
    expect(values).toEqual([300, 100, 200]);
  });

  it('scales sizes down for smoke runs, never below the minimum, and refuses a bad scale by name', () => {
    expect(benchScale()).toBe(1);
    process.env.BENCH_SCALE = '0.1';
    expect(scaled(60, 1)).toBe(6);
    expect(scaled(5, 2)).toBe(2);
    process.env.BENCH_SCALE = '2';
    expect(() => benchScale()).toThrow(/BENCH_SCALE/);
    process.env.BENCH_SCALE = 'fast';
    expect(() => benchScale()).toThrow(/BENCH_SCALE/);
  });

  it('reports a ratio against zero as null rather than Infinity', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNull();
  });
});

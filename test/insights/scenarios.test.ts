/**
 * Acceptance (issue 12): seeded anomalies are detected; ten minutes of ordinary demo traffic
 * raises none. Every detector runs over the same seeded stream.
 */
import { describe, expect, it } from 'vitest';
import { countPerBucket, evaluatePriceChanges, evaluateStockBatch, median, scanSeries, stockKey } from '../../lib/insights/anomaly';
import { fraudHistoryFor, pastOrderOf, scoreOrder } from '../../lib/insights/fraud';
import { makeOrder, ordinaryTraffic } from './demo-traffic';

const start = Date.parse('2026-03-02T09:00:00Z');

function everyDetector(run: ReturnType<typeof ordinaryTraffic>) {
  const found: string[] = [];
  const totals = run.orders.map((o) => o.totals.grand);
  for (const f of scanSeries('order_total', totals)) found.push(`order_total #${f.index}: ${f.verdict.explanation}`);
  const rate = countPerBucket(run.orders.map((o) => Date.parse(o.placedAt)), start, start + 10 * 60_000, 15_000);
  for (const f of scanSeries('order_rate', rate)) found.push(`order_rate bucket ${f.index}: ${f.verdict.explanation}`);
  const deltas: number[] = [];
  for (let i = 1; i < run.stockSnapshots.length; i++) {
    const previous = run.stockSnapshots[i - 1];
    const next = run.stockSnapshots[i];
    const changed = new Map([...next].filter(([k, v]) => previous.get(k) !== v));
    const verdict = evaluateStockBatch({ previous, next: changed });
    if (verdict.hold) found.push(`stock batch ${i}: ${verdict.reasons.join('; ')}`);
    deltas.push([...changed].reduce((sum, [k, v]) => sum + (v - (previous.get(k) ?? 0)), 0));
  }
  for (const f of scanSeries('stock_delta', deltas)) found.push(`stock_delta ${f.index}: ${f.verdict.explanation}`);
  for (const f of scanSeries('error_rate', run.errorRates)) found.push(`error_rate ${f.index}: ${f.verdict.explanation}`);
  for (const f of scanSeries('latency', run.latencies)) found.push(`latency ${f.index}: ${f.verdict.explanation}`);
  const [before, after] = run.prices;
  for (const f of evaluatePriceChanges([...after].map(([sku, next]) => ({ sku, previous: before.get(sku) ?? next, next })))) found.push(f.reason);
  const past: ReturnType<typeof pastOrderOf>[] = [];
  for (const order of run.orders) {
    const verdict = scoreOrder(order, fraudHistoryFor(order, past));
    if (verdict.flagged) found.push(`fraud ${order.externalId}: ${verdict.reasons.map((r) => r.detail).join('; ')}`);
    past.push(pastOrderOf(order));
  }
  return found;
}

describe('ordinary demo traffic', () => {
  it.each([[1], [2], [3], [42]])('10 minutes with seed %i raise no anomaly and no fraud flag', (seed) => {
    const run = ordinaryTraffic(seed, start);
    expect(run.orders.length).toBeGreaterThan(100);
    expect(everyDetector(run)).toEqual([]);
  });
});

describe('seeded anomalies', () => {
  it('a stock feed zeroing 40% of SKUs is held', () => {
    const run = ordinaryTraffic(1, start);
    const previous = run.stockSnapshots.at(-1) as Map<string, number>;
    const keys = [...previous.keys()].filter((k) => (previous.get(k) ?? 0) > 0);
    const next = new Map(keys.slice(0, Math.ceil(keys.length * 0.4)).map((k) => [k, 0] as [string, number]));
    const verdict = evaluateStockBatch({ previous, next, thresholds: { maxSkuShare: 0.2, maxUnitShare: 0.5 } });
    expect(verdict.hold).toBe(true);
    expect(verdict.reasons[0]).toMatch(/^32 of 80 stocked SKUs \(40%\) would go to zero/);
  });

  it('an order at 30× the median is flagged by the series and by the fraud score', () => {
    const run = ordinaryTraffic(2, start);
    const med = median(run.orders.map((o) => o.totals.grand));
    const big = makeOrder({ n: 999, placedAtMs: start + 10 * 60_000, customer: run.customers[5], lines: [{ sku: 'SKU-001', price: Math.round((med * 30) / 1.08), qty: 1 }] });
    const totals = [...run.orders.map((o) => o.totals.grand), big.totals.grand];
    expect(scanSeries('order_total', totals).map((f) => f.index)).toEqual([totals.length - 1]);
    const verdict = scoreOrder(big, fraudHistoryFor(big, run.orders.map(pastOrderOf)));
    expect(verdict.reasons.map((r) => r.signal)).toContain('total_outlier');
    expect(verdict.flagged).toBe(true);
  });

  it('a burst of 20 orders from one email is flagged', () => {
    const run = ordinaryTraffic(3, start);
    const past = run.orders.map(pastOrderOf);
    const flags: boolean[] = [];
    for (let i = 0; i < 20; i++) {
      const o = makeOrder({ n: 7000 + i, placedAtMs: start + 10 * 60_000 + i * 20_000, customer: { ...run.customers[9], email: 'same@example.com' }, lines: [{ sku: 'SKU-003', price: 35, qty: 1 }] });
      flags.push(scoreOrder(o, fraudHistoryFor(o, past)).flagged);
      past.push(pastOrderOf(o));
    }
    expect(flags.filter(Boolean).length).toBeGreaterThanOrEqual(15);
    expect(flags.at(-1)).toBe(true);
  });

  it('a stopped order feed shows up in the order rate (5-minute buckets)', () => {
    const run = ordinaryTraffic(4, start, 130);
    const cutoff = start + 120 * 60_000;
    const times = run.orders.map((o) => Date.parse(o.placedAt)).filter((t) => t < cutoff);
    const rate = countPerBucket(times, start, start + 130 * 60_000, 5 * 60_000);
    // Both silent buckets after two ordinary hours are unusual.
    expect(scanSeries('order_rate', rate).map((f) => f.index)).toEqual([24, 25]);
  });
});

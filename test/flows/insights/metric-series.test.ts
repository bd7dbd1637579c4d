/**
 * The hourly scan over the flows' metrics: a day of ordinary hours raises nothing, an hour with an
 * order-rate surge, a burst of failures and a latency jump is recorded once per series, a second
 * pass over the same hours records nothing more, and an hour with no order runs counts as zero orders.
 */
import { describe, expect, it } from 'vitest';
import { createAnomalyRepository } from '../../../lib/insights';
import { readMetricSeries, scanMetricSeries, seriesValues } from '../../../lib/flows/insights';
import { createManualClock, createMemoryFileStore, createMemoryStateStore } from '../../../lib/platform/memory';
import { hourLabel, metricsKey, type FlowHourMetrics } from '../../../lib/sync';

const HOUR = 3_600_000;
const start = Date.UTC(2026, 10, 1, 0, 0, 0);

function metrics(flow: string, hourStartMs: number, done: number, failed: number, p95: number | null): FlowHourMetrics {
  return {
    flow, hour: hourLabel(hourStartMs), hourStart: new Date(hourStartMs).toISOString(),
    counts: { done, skipped: 0, 'retry-scheduled': 0, 'dead-lettered': failed }, skipped: {},
    p50Ms: p95, p95Ms: p95, p99Ms: p95, retries: 0, inInvocationRetries: 0, dlqDepth: failed, final: true, computedAt: hourStartMs + HOUR,
  };
}

function setup() {
  const clock = createManualClock(start);
  const state = createMemoryStateStore(clock);
  const files = createMemoryFileStore();
  const put = (m: FlowHourMetrics) => state.put(metricsKey(m.flow, m.hour), m, { ttlSeconds: 30 * 86_400 });
  return { clock, state, files, put, scan: () => scanMetricSeries({ state, files, clock, flows: ['order', 'shipment'] }) };
}

describe('metric series scan', () => {
  it('stays quiet over ordinary hours, then records a surge, failures and slowness once', async () => {
    const t = setup();
    // 30 ordinary hours: 8–14 orders, one failure now and then, 400–700 ms.
    for (let h = 0; h < 30; h++) {
      await t.put(metrics('order', start + h * HOUR, 8 + (h % 7), h % 9 === 0 ? 1 : 0, 400 + (h % 4) * 100));
      await t.put(metrics('shipment', start + h * HOUR, 3 + (h % 3), 0, 900 + (h % 5) * 50));
    }
    t.clock.set(start + 30 * HOUR + 15 * 60_000);
    const quiet = await t.scan();
    expect(quiet.hours).toBe(48); // the first pass looks two days back; the 18 empty hours before the first run are not zeros
    expect(quiet.anomalies).toEqual([]);

    // Hour 30: 70 orders, half of the shipment units dead-lettered, shipments at 9 s.
    await t.put(metrics('order', start + 30 * HOUR, 70, 0, 500));
    await t.put(metrics('shipment', start + 30 * HOUR, 3, 3, 9000));
    t.clock.set(start + 31 * HOUR + 15 * 60_000);
    const loud = await t.scan();
    expect(loud.hours).toBe(1);
    expect(loud.anomalies.map((a) => `${a.kind}:${a.flow}`).sort()).toEqual(['error_rate:shipment', 'latency:shipment', 'order_rate:order']);
    const rate = loud.anomalies.find((a) => a.kind === 'order_rate')!;
    expect(rate).toMatchObject({ holds: false, status: 'open' });
    expect(rate.summary).toMatch(/orders sent per hour for the order flow .* 70 vs median/);
    expect(rate.details).toMatchObject({ hour: hourLabel(start + 30 * HOUR), value: 70 });

    // The same hours again: nothing new (the file moved on), and the repository still holds three.
    expect((await t.scan()).anomalies).toEqual([]);
    expect(await createAnomalyRepository({ state: t.state, files: t.files, clock: t.clock }).listRecent({ days: 90 })).toHaveLength(3);
    // Even when the file is lost, the per-hour marker keeps the surge from being recorded twice.
    await t.files.delete('insights/metric-series.json');
    expect((await t.scan()).anomalies).toEqual([]);
  });

  it('counts an hour without order runs as zero orders; a flow without runs has no error rate or latency', () => {
    expect(seriesValues('order', undefined)).toEqual({ order_rate: 0 });
    expect(seriesValues('shipment', undefined)).toEqual({});
    expect(seriesValues('shipment', metrics('shipment', start, 4, 1, 800))).toEqual({ error_rate: 0.2, latency: 800 });
  });

  it('reads at most two days on its first pass and keeps the activity the silence check needs', async () => {
    const t = setup();
    for (let h = 0; h < 100; h++) await t.put(metrics('order', start + h * HOUR, 5, 0, 300));
    t.clock.set(start + 100 * HOUR + 15 * 60_000);
    expect((await t.scan()).hours).toBe(48);
    const series = await readMetricSeries(t.files);
    expect(series.flows.order.activity).toHaveLength(48);
    expect(series.flows.order.activity![0]).toEqual([start + 52 * HOUR, 5]);
  });
});

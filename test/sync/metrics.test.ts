import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../lib/platform/http';
import { aggregateRuns, metricsKey, percentile, readMetrics } from '../../lib/sync/metrics';
import { runUnit } from '../../lib/sync/run-unit';
import { runScheduler } from '../../lib/sync/scheduler';
import { hourLabel } from '../../lib/sync/time-keys';
import type { RunRecord } from '../../lib/sync/types';
import { createHarness, seedOrder, T0 } from './harness';

const MIN = 60_000;

describe('metrics', () => {
  it('nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('aggregates outcomes, skip reasons, retries and latency from event time to done', () => {
    const base = { unitId: 'u', flow: 'order', key: 'k', trigger: 'event', attempt: 1, tries: 1, correlationId: 'c', startedAt: T0, steps: {} } as const;
    const runs: RunRecord[] = [
      { ...base, runId: '1', outcome: 'done', eventAt: T0 - 1000, endedAt: T0 },
      { ...base, runId: '2', outcome: 'done', eventAt: T0 - 3000, endedAt: T0, trigger: 'retry', attempt: 2 },
      { ...base, runId: '3', outcome: 'skipped', reason: 'duplicate', eventAt: T0, endedAt: T0 },
      { ...base, runId: '4', outcome: 'retry-scheduled', eventAt: T0, endedAt: T0, tries: 3 },
    ];
    const m = aggregateRuns('order', hourLabel(T0), runs, { dlqDepth: 2, final: true, computedAt: T0 });
    expect(m.counts).toEqual({ done: 2, skipped: 1, 'retry-scheduled': 1, 'dead-lettered': 0 });
    expect(m.skipped).toEqual({ duplicate: 1 });
    expect(m).toMatchObject({ p50Ms: 1000, p95Ms: 3000, p99Ms: 3000, retries: 1, inInvocationRetries: 2, dlqDepth: 2, hourStart: '2026-11-28T07:00:00.000Z' });
  });

  it('Given an hour of mixed outcomes, When the scheduler compacts after the hour settles, Then readMetrics returns the final aggregate with cheap gets', async () => {
    const h = createHarness({ options: { triesPerAttempt: 1 } });
    const hour = hourLabel(h.clock.now());
    seedOrder(h.commerce, '700000001');
    seedOrder(h.commerce, '700000002');
    seedOrder(h.commerce, '700000003', { email: 'broken' });
    seedOrder(h.commerce, '700000004');
    const flow = h.registry.flow('order');
    await runUnit(flow, { flow: 'order', key: '700000001', trigger: 'event', eventId: 'm1', eventAt: h.clock.now() - 2_000 }, h.deps);
    await runUnit(flow, { flow: 'order', key: '700000002', trigger: 'event', eventId: 'm2', eventAt: h.clock.now() - 4_000 }, h.deps);
    await runUnit(flow, { flow: 'order', key: '700000002', trigger: 'event', eventId: 'm2' }, h.deps);
    await runUnit(flow, { flow: 'order', key: '700000003', trigger: 'event', eventId: 'm3' }, h.deps);
    h.heartland.failures.push(new UpstreamError({ system: 'heartland', status: 503, method: 'GET', url: 'http://hl', message: 'down' }));
    await runUnit(flow, { flow: 'order', key: '700000004', trigger: 'event', eventId: 'm4' }, h.deps);

    // A pass during the hour produces a provisional aggregate.
    const during = await runScheduler(h.deps);
    expect(during.metrics?.hours).toContain(hour);
    expect(await h.state.get(metricsKey('order', hour))).toMatchObject({ final: false });

    h.clock.advance(60 * MIN + 11 * MIN);
    await runScheduler(h.deps);
    const [metrics] = await readMetrics({ flow: 'order', fromHour: hour, toHour: hour }, h.deps);
    expect(metrics).toMatchObject({
      flow: 'order',
      hour,
      final: true,
      dlqDepth: 1,
      p50Ms: 2_000,
      p99Ms: 4_000,
      skipped: { duplicate: 1 },
    });
    // The retry ran in the later hour; this hour keeps what ended in it.
    expect(metrics.counts).toEqual({ done: 2, skipped: 1, 'retry-scheduled': 1, 'dead-lettered': 1 });
    // Quiet hours are recorded as zeros so the panel's series has no gaps: 06, 07 and 08 UTC.
    const series = await readMetrics({ fromHour: T0 - 5 * 60 * MIN, toHour: h.clock.now() }, h.deps);
    expect(series.map((m) => m.hour)).toEqual(['2026112806', '2026112807', '2026112808']);
    expect(series[0].counts).toEqual({ done: 0, skipped: 0, 'retry-scheduled': 0, 'dead-lettered': 0 });
    expect(series[2].counts.done).toBe(1); // the retried order, done in the next hour
  });

  it('rejects malformed hour bounds with a clear error', async () => {
    const h = createHarness();
    await expect(readMetrics({ fromHour: '2026-11-28', toHour: '2026112807' }, h.deps)).rejects.toMatchObject({ status: 400, field: 'fromHour', message: expect.stringMatching(/yyyymmddhh/) });
    await expect(readMetrics({ fromHour: '2026112808', toHour: '2026112807' }, h.deps)).rejects.toMatchObject({ status: 400, field: 'toHour' });
    await expect(readMetrics({ flow: 'nope', fromHour: '2026112807', toHour: '2026112807' }, h.deps)).rejects.toMatchObject({ status: 404, message: expect.stringMatching(/unknown flow/) });
  });
});

import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../lib/platform/http';
import { MAX_ATTEMPTS, RETRY_SCHEDULE_MS, persistedRetryDelay } from '../../lib/sync/retry-schedule';
import { runUnit } from '../../lib/sync/run-unit';
import { runScheduler } from '../../lib/sync/scheduler';
import { listDeadLetters } from '../../lib/sync/dead-letters';
import { createHarness, seedOrder } from './harness';

const MIN = 60_000;
const down = () => new UpstreamError({ system: 'heartland', status: 500, method: 'GET', url: 'http://hl/tickets', message: 'heartland GET /tickets → 500: oops' });

describe('persisted retry schedule', () => {
  it('is 1 m, 5 m, 15 m, 1 h, 4 h, 12 h, 24 h, then nothing (dead letter), with at most +10% jitter', () => {
    expect(RETRY_SCHEDULE_MS).toEqual([1, 5, 15, 60, 240, 720, 1440].map((m) => m * MIN));
    expect(MAX_ATTEMPTS).toBe(8);
    RETRY_SCHEDULE_MS.forEach((base, i) => {
      expect(persistedRetryDelay(i + 1, () => 0)).toBe(base);
      expect(persistedRetryDelay(i + 1, () => 0.9999)).toBeLessThanOrEqual(base * 1.1);
    });
    expect(persistedRetryDelay(8, () => 0)).toBeUndefined();
  });

  it('Given Heartland keeps failing, When the scheduler picks up every due retry, Then the unit walks the whole schedule and ends in dead letters', async () => {
    // The breaker is kept out of the way (high threshold) so every attempt really runs.
    const h = createHarness({ options: { triesPerAttempt: 1, breakerThreshold: 1000 } });
    h.deps.breakers = undefined;
    seedOrder(h.commerce, '300000001');
    // Fail every call to the Heartland lookup.
    const failForever = () => h.heartland.failures.push(...Array.from({ length: 5 }, down));
    failForever();
    const first = await runUnit(h.registry.flow('order'), { flow: 'order', key: '300000001', trigger: 'event', eventId: 'e-r1' }, h.deps);
    expect(first).toMatchObject({ outcome: 'retry-scheduled', nextAttempt: 2 });
    const dueTimes: number[] = [first.outcome === 'retry-scheduled' ? first.dueAt - h.clock.now() : -1];

    const seenAttempts: number[] = [];
    for (let step = 0; step < RETRY_SCHEDULE_MS.length; step++) {
      failForever();
      h.clock.advance(RETRY_SCHEDULE_MS[step] * 1.1 + MIN);
      const pass = await runScheduler(h.deps);
      expect(pass.ran).toBe(true);
      expect(pass.retries?.ran).toBe(1);
      seenAttempts.push(step + 2);
    }
    const dead = await listDeadLetters({ flow: 'order' }, h.deps);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ status: 'open', attempts: 8, system: 'heartland', httpStatus: 500 });
    expect(dead[0].error).toMatch(/gave up after 8 attempts/);
    expect(seenAttempts).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(dueTimes[0]).toBeGreaterThanOrEqual(MIN);
    expect(h.heartland.creates).toBe(0);
    // Nothing is left scheduled.
    const left: string[] = [];
    for await (const key of h.state.list('retry.*')) left.push(key);
    expect(left).toEqual([]);
  });

  it('Given a 429 with a Retry-After longer than the schedule step, When the retry is persisted, Then it is due no earlier than the server asked', async () => {
    const h = createHarness({ options: { triesPerAttempt: 1 } });
    seedOrder(h.commerce, '300000002');
    h.heartland.failures.push(new UpstreamError({ system: 'heartland', status: 429, method: 'GET', url: 'http://hl/t', message: 'slow down', retryAfterMs: 10 * MIN }));
    const outcome = await runUnit(h.registry.flow('order'), { flow: 'order', key: '300000002', trigger: 'event', eventId: 'e-r2' }, h.deps);
    expect(outcome.outcome).toBe('retry-scheduled');
    if (outcome.outcome === 'retry-scheduled') expect(outcome.dueAt - h.clock.now()).toBeGreaterThanOrEqual(10 * MIN);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UpstreamError } from '../../lib/platform/http';
import { classifyError } from '../../lib/sync/classify';
import { TerminalError } from '../../lib/sync/errors';
import { TriesExhaustedError, delayBeforeNextTry, withInvocationRetries } from '../../lib/sync/invocation-retry';
import { createTestClock } from './harness';

const busy = (retryAfterMs?: number) => new UpstreamError({ system: 'heartland', status: retryAfterMs ? 429 : 503, method: 'GET', url: 'http://hl/x', message: 'busy', retryAfterMs });

function budget(clock: ReturnType<typeof createTestClock>, overrides: Partial<Parameters<typeof withInvocationRetries>[2]> = {}) {
  return { clock, deadlineMs: clock.now() + 60_000, maxTries: 4, baseMs: 500, capMs: 8_000, minTryBudgetMs: 1_000, random: Math.random, ...overrides };
}

describe('in-invocation retries', () => {
  it('backoff is full jitter: every wait lies in [0, min(cap, base·2^(n-1))]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (triesDone, r) => {
        const wait = delayBeforeNextTry({ message: 'x', retryable: true, reason: 'upstream' }, triesDone, { baseMs: 500, capMs: 8_000, random: () => r });
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThanOrEqual(Math.min(8_000, 500 * 2 ** (triesDone - 1)));
      }),
    );
  });

  it('waits between tries stay within the bounds and the unit succeeds on the last try', async () => {
    const clock = createTestClock();
    let calls = 0;
    const { value, tries } = await withInvocationRetries(
      async () => {
        if (++calls < 4) throw busy();
        return 'ok';
      },
      (e) => classifyError(e),
      budget(clock, { random: () => 0.999 }),
    );
    expect(value).toBe('ok');
    expect(tries).toBe(4);
    expect(clock.sleeps).toHaveLength(3);
    clock.sleeps.forEach((ms, i) => expect(ms).toBeLessThanOrEqual(Math.min(8_000, 500 * 2 ** i)));
  });

  it('honours Retry-After: the next try starts no earlier than the server asked', async () => {
    const clock = createTestClock();
    const startedAt: number[] = [];
    await withInvocationRetries(
      async () => {
        startedAt.push(clock.now());
        if (startedAt.length === 1) throw busy(7_000);
        return 'ok';
      },
      (e) => classifyError(e),
      budget(clock),
    );
    expect(startedAt[1] - startedAt[0]).toBeGreaterThanOrEqual(7_000);
    expect(clock.sleeps).toEqual([7_000]);
  });

  it('does not wait past the deadline: a Retry-After longer than the budget surfaces at once', async () => {
    const clock = createTestClock();
    const t0 = clock.now();
    const failure = await withInvocationRetries(async () => Promise.reject(busy(120_000)), (e) => classifyError(e), budget(clock)).catch((e) => e);
    expect(failure).toBeInstanceOf(TriesExhaustedError);
    expect((failure as TriesExhaustedError).tries).toBe(1);
    expect(clock.now()).toBe(t0);
  });

  it('does not retry terminal errors', async () => {
    const clock = createTestClock();
    let calls = 0;
    const failure = await withInvocationRetries(
      async () => {
        calls++;
        throw new TerminalError('unknown SKU');
      },
      (e) => classifyError(e),
      budget(clock),
    ).catch((e) => e);
    expect(calls).toBe(1);
    expect((failure as TriesExhaustedError).cause).toBeInstanceOf(TerminalError);
  });

  it('stops after maxTries', async () => {
    const clock = createTestClock();
    let calls = 0;
    const failure = await withInvocationRetries(async () => { calls++; throw busy(); }, (e) => classifyError(e), budget(clock, { maxTries: 3 })).catch((e) => e);
    expect(calls).toBe(3);
    expect((failure as TriesExhaustedError).tries).toBe(3);
  });
});

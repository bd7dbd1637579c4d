import { describe, expect, it } from 'vitest';
import { createMemoryStateStore } from '../../lib/platform/memory';
import type { StateStore } from '../../lib/platform/ports';
import { acquireLease, leaseKey } from '../../lib/sync/lease';
import { createTestClock } from './harness';

describe('leases', () => {
  it('Given a held lease, When another owner asks, Then it is refused until the lease expires', async () => {
    const clock = createTestClock();
    const state = createMemoryStateStore(clock);
    const key = leaseKey('scheduler');
    const first = await acquireLease(state, clock, key, { ttlMs: 60_000, settleMs: 0 });
    expect(first).toBeDefined();
    expect(await acquireLease(state, clock, key, { ttlMs: 60_000, settleMs: 0 })).toBeUndefined();
    clock.advance(60_001);
    const second = await acquireLease(state, clock, key, { ttlMs: 60_000, settleMs: 0 });
    expect(second).toBeDefined();
    // The first owner's release must not delete the second owner's lease.
    await first!.release();
    expect(await state.get(key)).toMatchObject({ owner: second!.owner });
    expect(await first!.renew(60_000)).toBe(false);
    expect(await second!.renew(60_000)).toBe(true);
    await second!.release();
    expect(await state.get(key)).toBeUndefined();
  });

  it('Given two acquirers that both saw the lease free, When both write, Then the re-read leaves exactly one owner', async () => {
    const clock = createTestClock();
    const inner = createMemoryStateStore(clock);
    // Both reads of "is it free?" happen before either write: the race compare-and-set would prevent.
    let gate!: () => void;
    const bothRead = new Promise<void>((resolve) => (gate = resolve));
    let firstReads = 0;
    const racing: StateStore = {
      ...inner,
      async get<T>(key: string) {
        const value = await inner.get<T>(key);
        if (++firstReads === 2) gate();
        if (firstReads <= 2) await bothRead;
        return value;
      },
    };
    const key = leaseKey('job', 'nightly');
    const [a, b] = await Promise.all([
      acquireLease(racing, clock, key, { ttlMs: 60_000, settleMs: 100, owner: 'a' }),
      acquireLease(racing, clock, key, { ttlMs: 60_000, settleMs: 100, owner: 'b' }),
    ]);
    const winners = [a, b].filter(Boolean);
    expect(winners).toHaveLength(1);
    expect(await inner.get(key)).toMatchObject({ owner: winners[0]!.owner });
  });
});

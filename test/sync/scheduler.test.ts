import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../lib/platform/http';
import { defineFeed } from '../../lib/sync/registry';
import { readCursor } from '../../lib/sync/feeds';
import { acquireLease, leaseKey } from '../../lib/sync/lease';
import { runUnit } from '../../lib/sync/run-unit';
import { runScheduler } from '../../lib/sync/scheduler';
import { createHarness, seedOrder } from './harness';

const MIN = 60_000;

describe('scheduler', () => {
  it('Given a retry scheduled a minute ago, When the next pass runs, Then the index finds it without a list sweep and the unit completes', async () => {
    const h = createHarness({ options: { triesPerAttempt: 1 } });
    const first = await runScheduler(h.deps);
    expect(first.retries).toMatchObject({ found: 0, swept: true });

    seedOrder(h.commerce, '400000001');
    h.heartland.failures.push(new UpstreamError({ system: 'heartland', status: 502, method: 'GET', url: 'http://hl', message: 'bad gateway' }));
    const outcome = await runUnit(h.registry.flow('order'), { flow: 'order', key: '400000001', trigger: 'event', eventId: 'e-s1' }, h.deps);
    expect(outcome.outcome).toBe('retry-scheduled');

    h.clock.advance(30_000);
    const early = await runScheduler(h.deps);
    expect(early.retries).toMatchObject({ found: 0, ran: 0, swept: false });

    h.clock.advance(2 * MIN);
    const pass = await runScheduler(h.deps);
    expect(pass.retries).toMatchObject({ found: 1, ran: 1, swept: false, outcomes: { done: 1 } });
    expect(h.heartland.creates).toBe(1);

    // Handled retries are gone from state and from the index.
    const left: string[] = [];
    for await (const key of h.state.list('retry.*')) left.push(key);
    expect(left).toEqual([]);
    expect(await h.files.list('sync/retry-index/')).toEqual([]);
    const again = await runScheduler(h.deps);
    expect(again.retries?.ran).toBe(0);
  });

  it('Given a retry whose index entry was lost, When the hourly sweep runs, Then the retry is still found and run', async () => {
    const h = createHarness({ options: { triesPerAttempt: 1 } });
    await runScheduler(h.deps); // sweeps now; the next sweep is due in an hour
    seedOrder(h.commerce, '400000002');
    h.heartland.failures.push(new UpstreamError({ system: 'heartland', status: 500, method: 'GET', url: 'http://hl', message: 'oops' }));
    await runUnit(h.registry.flow('order'), { flow: 'order', key: '400000002', trigger: 'poll' }, h.deps);
    await h.files.delete('sync/retry-index/'); // e.g. the index write failed after the state write

    h.clock.advance(5 * MIN);
    expect((await runScheduler(h.deps)).retries).toMatchObject({ found: 0, swept: false });
    h.clock.advance(60 * MIN);
    expect((await runScheduler(h.deps)).retries).toMatchObject({ found: 1, ran: 1, swept: true, outcomes: { done: 1 } });
    expect(h.heartland.creates).toBe(1);
  });

  it('Given a feed, When passes run, Then units run through the pipeline and the cursor advances only after a page is recorded', async () => {
    const h = createHarness();
    const changes = [
      { id: '500000001', updated: '2026-11-28T06:01:00Z' },
      { id: '500000002', updated: '2026-11-28T06:02:00Z' },
      { id: '500000003', updated: '2026-11-28T06:03:00Z' },
    ];
    changes.forEach((c) => seedOrder(h.commerce, c.id, { updated_at: c.updated }));
    const cursorsSeen: Array<string | undefined> = [];
    let failNextPoll = false;
    h.registry.registerFeed(
      defineFeed({
        name: 'commerce-orders',
        async poll(cursor) {
          cursorsSeen.push(cursor);
          if (failNextPoll) throw new Error('commerce search failed');
          const after = changes.filter((c) => !cursor || c.updated > cursor).slice(0, 2);
          return {
            // A feed bug (empty key) must be reported without pinning the cursor.
            units: [...after.map((c) => ({ flow: 'order', key: c.id, version: c.updated })), ...(cursor ? [] : [{ flow: 'order', key: '' }])],
            nextCursor: after.at(-1)?.updated ?? cursor ?? '',
            more: false,
          };
        },
      }),
    );
    const one = await runScheduler(h.deps);
    expect(one.feeds?.[0]).toMatchObject({ feed: 'commerce-orders', units: 2, outcomes: { done: 2 }, cursor: '2026-11-28T06:02:00Z' });
    expect(one.feeds?.[0].invalid).toEqual([expect.objectContaining({ error: expect.stringContaining('key') })]);
    expect(await readCursor(h.state, 'commerce-orders')).toBe('2026-11-28T06:02:00Z');

    h.clock.advance(MIN);
    const two = await runScheduler(h.deps);
    expect(two.feeds?.[0]).toMatchObject({ units: 1, cursor: '2026-11-28T06:03:00Z' });
    expect(h.heartland.creates).toBe(3);

    h.clock.advance(MIN);
    failNextPoll = true;
    const three = await runScheduler(h.deps);
    expect(three.feeds?.[0].error).toMatch(/commerce search failed/);
    expect(await readCursor(h.state, 'commerce-orders')).toBe('2026-11-28T06:03:00Z');
    expect(cursorsSeen).toEqual([undefined, '2026-11-28T06:02:00Z', '2026-11-28T06:03:00Z']);
  });

  it('Given another pass holds lease.scheduler, When a second pass starts, Then it does nothing; after the lease expires it runs', async () => {
    const h = createHarness();
    const held = await acquireLease(h.state, h.clock, leaseKey('scheduler'), { ttlMs: 90_000, settleMs: 0 });
    expect(held).toBeDefined();
    const blocked = await runScheduler(h.deps);
    expect(blocked).toMatchObject({ ran: false, reason: expect.stringContaining('lease.scheduler') });
    h.clock.advance(90_001);
    const later = await runScheduler(h.deps);
    expect(later.ran).toBe(true);
    expect(later.errors).toEqual([]);
  });
});

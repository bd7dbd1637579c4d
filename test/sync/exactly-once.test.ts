/**
 * Property: whatever the delivery order, duplication, concurrency and transient failures, every
 * order ends up in Heartland exactly once with the content of its latest source version.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UpstreamError } from '../../lib/platform/http';
import { runUnit } from '../../lib/sync/run-unit';
import { runScheduler } from '../../lib/sync/scheduler';
import type { UnitInput } from '../../lib/sync/types';
import { createHarness, seedOrder, T0 } from './harness';

type Op = { kind: 'change'; order: number } | { kind: 'deliver'; pick: number; duplicate: boolean; fail: boolean; together: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), order: fc.integer({ min: 0, max: 2 }) }),
  fc.record({
    kind: fc.constant('deliver' as const),
    pick: fc.nat(),
    duplicate: fc.boolean(),
    fail: fc.boolean(),
    together: fc.integer({ min: 1, max: 3 }),
  }),
);

describe('exactly-once effects over at-least-once delivery', () => {
  it('holds for random interleavings of changes, duplicate and reordered deliveries, concurrency and 503s', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const h = createHarness({ options: { triesPerAttempt: 1, breakerThreshold: 1000, leaseSettleMs: 150 } });
        h.deps.breakers = undefined;
        const versions = [0, 0, 0];
        const pending: UnitInput[] = [];
        let eventNo = 0;
        const change = (i: number) => {
          versions[i]++;
          const updated = new Date(T0 - 3_600_000 + versions[i] * 1000).toISOString();
          seedOrder(h.commerce, `O${i}`, { updated_at: updated, items: [{ sku: 'SKU-1', qty: versions[i] }] });
          pending.push({ flow: 'order', key: `O${i}`, trigger: 'event', eventId: `ev-${++eventNo}`, version: updated });
        };
        for (const step of ops) {
          if (step.kind === 'change') {
            change(step.order);
            continue;
          }
          if (pending.length === 0) continue;
          const batch: UnitInput[] = [];
          for (let n = 0; n < step.together && pending.length > 0; n++) {
            const index = (step.pick + n) % pending.length;
            const unit = pending[index];
            // A duplicate stays pending to be delivered again later (at-least-once).
            if (!step.duplicate) pending.splice(index, 1);
            batch.push(unit);
          }
          if (step.fail) h.heartland.failures.push(new UpstreamError({ system: 'heartland', status: 503, method: 'GET', url: 'http://hl', message: 'down' }));
          await Promise.all(batch.map((unit) => runUnit(h.registry.flow('order'), unit, h.otherActivation())));
        }
        // Deliver what is left, then let the scheduler settle every retry.
        for (const unit of pending.splice(0)) await runUnit(h.registry.flow('order'), unit, h.deps);
        h.heartland.failures.length = 0;
        for (let pass = 0; pass < 12; pass++) {
          h.clock.advance(6 * 60_000);
          await runScheduler(h.deps);
        }
        const left: string[] = [];
        for await (const key of h.state.list('retry.*')) left.push(key);
        expect(left).toEqual([]);

        const changed = versions.map((v, i) => ({ v, i })).filter(({ v }) => v > 0);
        expect(h.heartland.creates).toBe(changed.length);
        for (const { v, i } of changed) {
          expect(h.heartland.tickets.get(`O${i}`)?.data).toMatchObject({ lines: [{ item_public_id: 'SKU-1', qty: v }] });
        }
      }),
      { numRuns: 40, seed: 20261128 },
    );
  });
});

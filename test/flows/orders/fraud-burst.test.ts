/**
 * A burst of orders from one shopper handled at the same moment (issue 12: "a burst of 20 orders
 * from one email"), with the hold score lowered to 40 as a merchant worried about card testing
 * would (a burst alone scores at most 45: flagged, not held, by default). Every order remembers
 * itself before it reads the recent orders, so orders judged together see each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrdersHarness, type OrdersHarness } from './harness';

let h: OrdersHarness;
beforeAll(async () => {
  h = await startOrdersHarness({ settings: { fraud: { enabled: true, holdAtScore: 40, flagAtScore: 30, maxOrdersInWindow: 3, windowMinutes: 60 } } });
}, 30_000);
afterAll(async () => h?.close());

describe('fraud hold under a simultaneous burst', () => {
  it('holds every order of 20 simultaneous ones from one email beyond the first five', async () => {
    const item = h.items[0];
    const placed = [];
    for (let i = 0; i < 20; i++) placed.push(await h.placeOrder([{ sku: item.sku, qty: 1, price: item.price }]));
    const outcomes = await Promise.all(placed.map((o) => h.run({ flow: 'order', key: String(o.entity_id) })));
    const held = outcomes.filter((o) => o.outcome === 'skipped' && o.reason === 'held');
    const done = outcomes.filter((o) => o.outcome === 'done');
    expect(held.length + done.length).toBe(20);
    // Placed in sequence (velocity counts only orders placed before, or in the same second), handled
    // together: roughly the first seven pass (email velocity 20 + 5 per order beyond 3 reaches the
    // lowered hold score of 40 at 7 others), the rest wait. The bound leaves room for interleaving.
    expect(held.length).toBeGreaterThanOrEqual(8);
    // Held means not sent: Heartland has exactly the orders that ended done.
    let inHeartland = 0;
    for (const o of placed) inHeartland += (await h.heartlandOrders(o.increment_id)).length;
    expect(inHeartland).toBe(done.length);
  }, 60_000);
});

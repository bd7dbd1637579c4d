/**
 * Fraud hold in the order flow against both simulators: ordinary orders pass and build the
 * baseline, an order at 30× the median from a first-time buyer is held (no Heartland order) with an
 * anomaly naming the reasons, later runs stay held without a second anomaly, approving releases it
 * exactly once, a burst from one email is flagged once (and held when the threshold says so).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnomalyRepository } from '../../../lib/insights';
import { compactRecentOrders, releaseHeldOrder, readRecentOrders } from '../../../lib/flows/orders';
import { saveConnectorSettings } from '../../../lib/config/connector-settings';
import { startOrdersHarness, type OrdersHarness } from '../orders/harness';

let h: OrdersHarness;
beforeAll(async () => {
  h = await startOrdersHarness();
}, 20_000);
afterAll(async () => h?.close());

/** A buyer of their own: a different street per email, as real customers have. */
function buyer(email: string, street: string) {
  const address = (type: 'billing' | 'shipping') => ({
    address_type: type, firstname: 'Sam', lastname: 'Buyer', street: [street], city: 'Purchase', region: 'New York', region_code: 'NY',
    postcode: '10577', country_id: 'US', telephone: '512-555-2222', email,
  });
  return {
    customer_email: email,
    billing_address: address('billing'),
    extension_attributes: { shipping_assignments: [{ shipping: { address: address('shipping'), method: 'flatrate_flatrate', total: { shipping_amount: 5 } } }] },
  };
}

const repo = () => createAnomalyRepository({ state: h.platform.state, files: h.platform.files });

async function ordinaryOrders(count: number, prefix: string) {
  const [a] = h.items;
  for (let i = 0; i < count; i++) {
    const price = 15 + ((i * 7) % 20);
    const order = await h.placeOrder([{ sku: a.sku, qty: 1, price }], buyer(`${prefix}${i}@example.com`, `${i + 1} ${prefix} Street`));
    const outcome = await h.run({ flow: 'order', key: String(order.entity_id), eventId: `${prefix}-${i}` });
    expect(outcome.outcome).toBe('done');
  }
}

describe('fraud hold on the order flow', () => {
  it('passes ordinary orders without any anomaly and remembers them once each', async () => {
    await ordinaryOrders(22, 'buyer');
    expect(await repo().listRecent()).toEqual([]);
    const recent = await readRecentOrders(h.platform.files, Date.now());
    expect(recent).toHaveLength(22);
    // The scheduler folds the per-order files into the day file; readers see the same orders.
    expect(await compactRecentOrders(h.platform.files, Date.now())).toEqual({ folded: 22 });
    expect((await h.platform.files.list('insights/recent-orders/')).filter((p) => p.split('/').length > 3)).toEqual([]);
    expect((await readRecentOrders(h.platform.files, Date.now())).map((o) => o.orderId).sort()).toEqual(recent.map((o) => o.orderId).sort());
    expect(await compactRecentOrders(h.platform.files, Date.now())).toEqual({ folded: 0 });
  }, 30_000);

  it('holds an order at 30× the median, keeps it held on later runs, and sends it once approved', async () => {
    const [a] = h.items;
    const order = await h.placeOrder([{ sku: a.sku, qty: 30, price: 25 }], buyer('big.spender@example.com', '9 Spender Lane'));
    const first = await h.run({ flow: 'order', key: String(order.entity_id), eventId: 'big-1' });
    expect(first).toMatchObject({ outcome: 'skipped', reason: 'held' });
    expect((first as { detail: string }).detail).toMatch(/held for fraud review .*median/);
    expect(await h.heartlandOrders(order.increment_id)).toEqual([]);
    const [anomaly] = await repo().listRecent({ status: 'open' });
    expect(anomaly).toMatchObject({ kind: 'fraud', flow: 'order', holds: true });
    expect(anomaly.details).toMatchObject({ orderId: String(order.entity_id), incrementId: order.increment_id, email: 'big.spender@example.com' });
    const signals = (anomaly.details.reasons as Array<{ signal: string }>).map((r) => r.signal);
    expect(signals).toEqual(expect.arrayContaining(['total_outlier', 'first_order_high_value']));

    // Another event, and a person's "Resend": still held, still one anomaly.
    expect(await h.run({ flow: 'order', key: String(order.entity_id), eventId: 'big-2' })).toMatchObject({ outcome: 'skipped', reason: 'held' });
    expect(await h.run({ flow: 'order', key: String(order.entity_id), trigger: 'manual' })).toMatchObject({ outcome: 'skipped', reason: 'held' });
    expect(await repo().listRecent()).toHaveLength(1);

    const released = await releaseHeldOrder(anomaly.id, h.deps, { by: 'reviewer@example.com', note: 'called the buyer' });
    expect(released.anomaly).toMatchObject({ status: 'approved', decidedBy: 'reviewer@example.com' });
    expect(released.outcome).toMatchObject({ outcome: 'done', action: 'created' });
    expect(await h.heartlandOrders(order.increment_id)).toHaveLength(1);
    // Released stays released: a later event is the redelivery of what was sent, not a new hold.
    expect(await h.run({ flow: 'order', key: String(order.entity_id), eventId: 'big-3' })).toMatchObject({ outcome: 'skipped', reason: 'duplicate' });
    expect(await h.heartlandOrders(order.increment_id)).toHaveLength(1);
    // Approving again re-runs safely; a wrong id is a 404.
    expect((await releaseHeldOrder(anomaly.id, h.deps)).outcome).toMatchObject({ outcome: 'done', action: 'unchanged' });
    await expect(releaseHeldOrder('20260101000000-aaaaaaaa', h.deps)).rejects.toMatchObject({ status: 404 });
  }, 20_000);

  it('flags a burst from one email once, and holds it when the threshold is lowered', async () => {
    const [a] = h.items;
    const before = new Set((await repo().listRecent()).map((x) => x.id));
    const outcomes = [];
    for (let i = 0; i < 8; i++) {
      const order = await h.placeOrder([{ sku: a.sku, qty: 1, price: 20 }], buyer('burst@example.com', '1 Burst Road'));
      outcomes.push((await h.run({ flow: 'order', key: String(order.entity_id), eventId: `burst-${i}` })).outcome);
    }
    expect(outcomes.every((o) => o === 'done')).toBe(true);
    // Only the anomalies this burst added (listing order among equal times is not guaranteed).
    const flagged = (await repo().listRecent()).filter((x) => !before.has(x.id));
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ kind: 'fraud', holds: false });
    expect(flagged[0].summary).toMatch(/other orders from burst@example.com/);

    await saveConnectorSettings(h.platform.state, { fraud: { holdAtScore: 40 } });
    const order = await h.placeOrder([{ sku: a.sku, qty: 1, price: 20 }], buyer('burst@example.com', '1 Burst Road'));
    expect(await h.run({ flow: 'order', key: String(order.entity_id), eventId: 'burst-held' })).toMatchObject({ outcome: 'skipped', reason: 'held' });
    await saveConnectorSettings(h.platform.state, { fraud: { enabled: false } });
    const another = await h.placeOrder([{ sku: a.sku, qty: 1, price: 20 }], buyer('burst@example.com', '1 Burst Road'));
    expect(await h.run({ flow: 'order', key: String(another.entity_id), eventId: 'burst-off' })).toMatchObject({ outcome: 'done' });
    await saveConnectorSettings(h.platform.state, { fraud: { enabled: true, holdAtScore: 60 } });
  }, 20_000);
});

/**
 * The order flow against both simulators: an open Heartland order with every part (lines inline,
 * counted calls), search-first idempotency, resuming an order stopped before open or written line
 * by line by an earlier version, unknown SKUs as dead letters with a Magento
 * comment, payment types resolved by name from the mapping defaults, and "Resend to Heartland".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDeadLetter, replayDeadLetter, runDueRetries, UnitInputError } from '../../../lib/sync';
import { resendOrders } from '../../../lib/flows/orders';
import { runOrderReconciliation } from '../../../lib/flows/insights';
import type { TaskContext } from '../../../lib/sync';
import { startOrdersHarness, type OrdersHarness } from './harness';

let h: OrdersHarness;
const counters = async () => (await h.heartlandControl('GET', 'counters')).body.byEndpoint as Record<string, number>;
/** Heartland calls between two counter reads, by endpoint. */
function diff(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, n]) => [k, n - (before[k] ?? 0)]).filter(([, n]) => (n as number) > 0));
}
beforeAll(async () => {
  h = await startOrdersHarness();
}, 20_000);
afterAll(async () => h?.close());

describe('order flow', () => {
  it('creates the customer, addresses and an open order with its lines inline, tax, shipping charge and payment; records its items; comments once', async () => {
    const [a, b] = h.items;
    const order = await h.placeOrder([
      { sku: a.sku, qty: 2, price: 10, tax: 1.65 },
      { sku: b.sku, qty: 1, price: 7.5, tax: 0.62 },
    ]);
    const before = await counters();
    const outcome = await h.run({ flow: 'order', key: String(order.entity_id), eventId: 'e-1' });
    expect(outcome).toMatchObject({ outcome: 'done', action: 'created' });
    // One request for the order and its lines; no item look-up, no per-line POST.
    const calls = diff(before, await counters());
    expect(calls).toEqual({
      'GET /api/sales/orders': 1,
      'GET /api/customers': 1,
      'POST /api/customers': 1,
      'POST /api/customers/:id/addresses': 1,
      'POST /api/sales/orders': 1,
      'POST /api/sales/orders/:id/payments': 1,
      'PUT /api/sales/orders/:id': 1,
    });
    const [found] = await h.heartlandOrders(order.increment_id);
    expect(found).toMatchObject({ status: 'open', shipping_charge: 5, station_id: h.seeded.stations[0], source_location_id: h.seeded.locations[0], shipping_method_id: h.seeded.shippingMethods.Ground });
    expect(found.custom.ecommerce_number).toBe(order.increment_id);
    const lines = await h.list(`sales/orders/${found.id}/lines`);
    expect(lines.map((l) => [l.item_id, l.qty, l.adjusted_unit_price, l.total_tax]).sort()).toEqual([[a.id, 2, 10, 1.65], [b.id, 1, 7.5, 0.62]].sort());
    const payments = await h.list(`sales/orders/${found.id}/payments`);
    expect(payments).toMatchObject([{ type: 'CustomPayment', amount: 34.77, payment_type_id: h.seeded.paymentTypes.Check, deposit: true }]);
    const customer = (await h.heartlandApi('GET', `customers/${found.customer_id}`)).body;
    expect(customer).toMatchObject({ email: 'jane@example.com', first_name: 'Jane', last_name: 'Doe' });
    expect(found.billing_address_id).toBe(found.shipping_address_id);
    // The order's total includes the lines' tax (heartland.md §3.5), so it equals Magento's grand
    // total and the reconciliation report matches the taxed order (issue 12: it was amount_mismatch).
    expect(found.total).toBe(order.grand_total);
    const now = Date.now();
    const reconciled = await runOrderReconciliation({ from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 3_600_000).toISOString() }, {
      clock: h.platform.clock, state: h.platform.state, files: h.platform.files,
      client: ((u: 'heartland' | 'commerce') => (u === 'heartland' ? h.hl : h.commerce)) as TaskContext['client'],
    });
    expect(reconciled.summary.counts.order).toMatchObject({ matched: 1, amount_mismatch: 0 });
    // The order's items by SKU (shipments and refunds find their Magento items through it).
    const record = await h.platform.state.get<{ items: Array<{ sku: string; magentoItemId: string }> }>(`order-items.${found.id}`);
    expect(record?.items).toEqual(order.items.map((i) => ({ sku: i.sku, magentoItemId: String(i.item_id) })));
    const comments = (await h.magentoApi('GET', `orders/${order.entity_id}/comments`)).body.items as Array<{ comment: string }>;
    expect(comments.map((c) => c.comment)).toEqual([`Sent to Heartland as order #${found.id}`]);

    // The same order again (another event, a poll): found by its ecommerce number, nothing new.
    const again = await h.run({ flow: 'order', key: String(order.entity_id), eventId: 'e-2', trigger: 'manual' });
    expect(again).toMatchObject({ outcome: 'done', action: 'unchanged' });
    expect(await h.heartlandOrders(order.increment_id)).toHaveLength(1);
    expect((await h.magentoApi('GET', `orders/${order.entity_id}/comments`)).body.items).toHaveLength(1);
  });

  it('resumes an order stopped between create and open: the retry adds the payment and opens it, nothing twice', async () => {
    const [a, b] = h.items;
    const order = await h.placeOrder([
      { sku: a.sku, qty: 1, price: 10 },
      { sku: b.sku, qty: 2, price: 11 },
    ]);
    // The payment POST fails (a create is never retried by the transport): the order exists, pending, with its lines.
    await h.heartlandControl('POST', 'faults', { status: 503, method: 'POST', path: '^/sales/orders/\\d+/payments$', count: 1, rate: 1 });
    const first = await h.run({ flow: 'order', key: String(order.entity_id), eventId: 'e-3' });
    expect(first.outcome).toBe('retry-scheduled');
    await h.heartlandControl('DELETE', 'faults');
    const [pending] = await h.heartlandOrders(order.increment_id);
    expect(pending.status).toBe('pending');
    expect(await h.list(`sales/orders/${pending.id}/lines`)).toHaveLength(2);

    const before = await counters();
    const retry = await h.run({ flow: 'order', key: String(order.entity_id), trigger: 'retry', attempt: 2 });
    expect(retry).toMatchObject({ outcome: 'done', action: 'updated' });
    const calls = diff(before, await counters());
    expect(calls['POST /api/sales/orders'] ?? 0).toBe(0);
    expect(calls['POST /api/sales/orders/:id/lines'] ?? 0).toBe(0);
    const orders = await h.heartlandOrders(order.increment_id);
    expect(orders).toHaveLength(1);
    expect(orders[0].status).toBe('open');
    const lines = await h.list(`sales/orders/${pending.id}/lines`);
    expect(lines.map((l) => [l.item_id, l.qty]).sort()).toEqual([[a.id, 1], [b.id, 2]].sort());
    expect(await h.list(`sales/orders/${pending.id}/payments`)).toHaveLength(1);
    expect(await h.platform.state.get(`order-items.${pending.id}`)).toBeTruthy();
  });

  it('resumes when the open fails: the retry finds the complete pending order and only opens it', async () => {
    const order = await h.placeOrder([{ sku: h.items[2].sku, qty: 1, price: 9 }]);
    // PUTs may be retried by the transport: fail every one until the first run gave up.
    await h.heartlandControl('POST', 'faults', { status: 503, method: 'PUT', path: '^/sales/orders/\\d+$', count: 10, rate: 1 });
    const first = await h.run({ flow: 'order', key: String(order.entity_id), eventId: 'e-3b' });
    await h.heartlandControl('DELETE', 'faults');
    expect(first.outcome).toBe('retry-scheduled');
    const [pending] = await h.heartlandOrders(order.increment_id);
    expect(pending.status).toBe('pending');

    const before = await counters();
    expect(await h.run({ flow: 'order', key: String(order.entity_id), trigger: 'retry', attempt: 2 })).toMatchObject({ outcome: 'done', action: 'updated' });
    const calls = diff(before, await counters());
    expect(Object.keys(calls).filter((k) => k.startsWith('POST')).length).toBe(0);
    expect(calls['PUT /api/sales/orders/:id']).toBe(1);
    expect((await h.heartlandOrders(order.increment_id)).map((o) => o.status)).toEqual(['open']);
    expect(await h.list(`sales/orders/${pending.id}/payments`)).toHaveLength(1);
  });

  it('completes a pending order an earlier version wrote line by line and stopped part way: missing lines added, none twice', async () => {
    const [a, b, c] = h.items;
    const order = await h.placeOrder([
      { sku: a.sku, qty: 1, price: 10 },
      { sku: b.sku, qty: 1, price: 11 },
      { sku: c.sku, qty: 3, price: 4 },
    ]);
    // What the line-by-line writer left: the order and its first line, nothing else.
    const customer = await h.heartlandApi('POST', 'customers', { first_name: 'Jane', last_name: 'Doe', email: 'legacy@example.com' });
    const created = await h.heartlandApi('POST', 'sales/orders', {
      customer_id: Number(customer.location!.split('/').pop()), status: 'pending', source_location_id: h.seeded.locations[0], station_id: h.seeded.stations[0],
      custom: { ecommerce_number: order.increment_id },
    });
    const orderId = Number(created.location!.split('/').pop());
    await h.heartlandApi('POST', `sales/orders/${orderId}/lines`, { item_id: a.id, qty: 1, adjusted_unit_price: 10, ship_from_location_id: h.seeded.locations[0] });

    const outcome = await h.run({ flow: 'order', key: String(order.entity_id), trigger: 'retry', attempt: 2 });
    expect(outcome).toMatchObject({ outcome: 'done', action: 'updated' });
    const orders = await h.heartlandOrders(order.increment_id);
    expect(orders).toHaveLength(1);
    expect(orders[0].status).toBe('open');
    const lines = await h.list(`sales/orders/${orderId}/lines`);
    expect(lines.map((l) => [l.item_id, l.qty]).sort()).toEqual([[a.id, 1], [b.id, 1], [c.id, 3]].sort());
    expect(await h.list(`sales/orders/${orderId}/payments`)).toHaveLength(1);
  });

  it('dead-letters an unknown SKU naming the SKU and the order number, comments on the order, and replays once the item exists', async () => {
    const sku = 'WS12-M-Orange';
    const order = await h.placeOrder([{ sku, qty: 1, price: 22 }]);
    const outcome = await h.run({ flow: 'order', key: String(order.entity_id), eventId: 'e-4' });
    expect(outcome.outcome).toBe('dead-lettered');
    if (outcome.outcome !== 'dead-lettered') return;
    expect(outcome.error.message).toBe(`SKU ${sku} not found in Heartland (order ${order.increment_id})`);
    expect(outcome.error).toMatchObject({ field: 'lines.sku', value: sku, retryable: false });
    const { summary } = await getDeadLetter(outcome.deadLetterId, h.deps);
    expect(summary.error).toContain(sku);
    const comments = (await h.magentoApi('GET', `orders/${order.entity_id}/comments`)).body.items as Array<{ comment: string }>;
    expect(comments.filter((c) => c.comment.includes(sku) && c.comment.includes(order.increment_id))).toHaveLength(1);
    expect(await h.heartlandOrders(order.increment_id)).toHaveLength(0);

    await h.heartlandApi('POST', 'items', { public_id: sku, description: 'Radiant Tee', price: 22, cost: 9 });
    const replayed = await replayDeadLetter(outcome.deadLetterId, h.deps);
    expect(replayed).toMatchObject({ outcome: 'done', action: 'created' });
    expect((await h.heartlandOrders(order.increment_id))[0].status).toBe('open');
  });

  it('matches a registered customer by link and a repeat buyer by email, reusing their addresses', async () => {
    const first = await h.placeOrder([{ sku: h.items[0].sku, qty: 1, price: 10 }], { customer_id: 501, customer_is_guest: 0, customer_email: 'reg@example.com' });
    expect(await h.run({ flow: 'order', key: String(first.entity_id) })).toMatchObject({ outcome: 'done', action: 'created' });
    const [one] = await h.heartlandOrders(first.increment_id);
    const link = await h.platform.state.get<{ system: string; id: string }>('link.customer.commerce.501');
    expect(link).toMatchObject({ system: 'heartland', id: String(one.customer_id) });
    const created = (await h.heartlandApi('GET', `customers/${one.customer_id}`)).body;
    expect(created.custom).toMatchObject({ magento_customer_id: '501' });

    // Same Magento customer with a changed email: the link decides, not the email.
    const second = await h.placeOrder([{ sku: h.items[1].sku, qty: 1, price: 11 }], { customer_id: 501, customer_is_guest: 0, customer_email: 'new-address@example.com' });
    await h.run({ flow: 'order', key: String(second.entity_id) });
    const [two] = await h.heartlandOrders(second.increment_id);
    expect(two.customer_id).toBe(one.customer_id);
    expect(two.billing_address_id).toBe(one.billing_address_id);
    expect(await h.list(`customers/${one.customer_id}/addresses`)).toHaveLength(1);
  });

  it('a repeat guest with different billing and shipping addresses gets both reused by content (phone formatting aside), none created', async () => {
    const who = { customer_email: 'two.addresses@example.com', customer_firstname: 'Ana', customer_lastname: 'Ruiz' };
    const addr = (type: string, street: string, telephone: string) => ({ address_type: type, firstname: 'Ana', lastname: 'Ruiz', street: [street], city: 'Purchase', region: 'New York', region_code: 'NY', postcode: '10577', country_id: 'US', telephone, email: who.customer_email });
    const withAddresses = (telephone: string) => ({
      ...who,
      billing_address: addr('billing', '9 Elm St', telephone),
      extension_attributes: { shipping_assignments: [{ shipping: { address: addr('shipping', '77 Harbor Rd', telephone), method: 'flatrate_flatrate', total: { shipping_amount: 5 } } }] },
    });
    const first = await h.placeOrder([{ sku: h.items[0].sku, qty: 1, price: 10 }], withAddresses('512-555-1111'));
    expect(await h.run({ flow: 'order', key: String(first.entity_id) })).toMatchObject({ outcome: 'done', action: 'created' });
    const [one] = await h.heartlandOrders(first.increment_id);
    expect(one.billing_address_id).not.toBe(one.shipping_address_id);

    const second = await h.placeOrder([{ sku: h.items[1].sku, qty: 1, price: 11 }], withAddresses('(512) 555 1111'));
    const before = await counters();
    expect(await h.run({ flow: 'order', key: String(second.entity_id) })).toMatchObject({ outcome: 'done', action: 'created' });
    const calls = diff(before, await counters());
    expect(calls['POST /api/customers/:id/addresses'] ?? 0).toBe(0);
    expect(calls['POST /api/customers'] ?? 0).toBe(0);
    const [two] = await h.heartlandOrders(second.increment_id);
    expect([two.customer_id, two.billing_address_id, two.shipping_address_id]).toEqual([one.customer_id, one.billing_address_id, one.shipping_address_id]);
    expect(await h.list(`customers/${one.customer_id}/addresses`)).toHaveLength(2);
  });

  it('skips orders whose status does not send them, and skips mapping-filtered orders', async () => {
    const order = await h.placeOrder([{ sku: h.items[0].sku, qty: 1, price: 10 }], { state: 'new', status: 'pending' });
    const outcome = await h.run({ flow: 'order', key: String(order.entity_id), eventId: 'e-5' });
    expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'filtered' });
    expect(outcome.outcome === 'skipped' && outcome.detail).toContain('status "pending"');
  });

  it('Resend to Heartland runs manual units (the rest queued for the scheduler) and refuses ids that are not Magento order ids', async () => {
    const order = await h.placeOrder([{ sku: h.items[1].sku, qty: 1, price: 11 }]);
    const result = await resendOrders([String(order.entity_id)], h.deps);
    expect(result.outcomes).toMatchObject([{ outcome: 'done', action: 'created' }]);
    expect(result.jobId).toMatch(/^resend-/);
    // Resent again (a second click, the same id twice): still one Heartland order.
    const twice = await resendOrders([String(order.entity_id), String(order.entity_id)], h.deps);
    expect(twice.outcomes).toMatchObject([{ outcome: 'done', action: 'unchanged' }]);
    expect(await h.heartlandOrders(order.increment_id)).toHaveLength(1);

    // Beyond what runs while the panel waits: queued, and the scheduler's due retries send them.
    const more = [await h.placeOrder([{ sku: h.items[2].sku, qty: 1, price: 9 }]), await h.placeOrder([{ sku: h.items[3].sku, qty: 1, price: 8 }])];
    const queued = await resendOrders(more.map((o) => String(o.entity_id)), h.deps, { inline: 1 });
    expect(queued.outcomes).toHaveLength(1);
    expect(queued.queued).toEqual([String(more[1].entity_id)]);
    expect(await h.heartlandOrders(more[1].increment_id)).toHaveLength(0);
    const summary = await runDueRetries(h.deps, Date.now() + 20_000);
    expect(summary).toBeTruthy();
    expect(await h.heartlandOrders(more[1].increment_id)).toHaveLength(1);

    await expect(resendOrders(['12', 'abc'], h.deps)).rejects.toThrow(UnitInputError);
    await expect(resendOrders(['12', 'abc'], h.deps)).rejects.toThrow(/ids\[1\]/);
    await expect(resendOrders([], h.deps)).rejects.toThrow(/at least one/);
  });
});

describe('order flow without payment maps in the settings', () => {
  let bare: OrdersHarness;
  beforeAll(async () => {
    bare = await startOrdersHarness({ bareSettings: true });
  }, 20_000);
  afterAll(async () => bare?.close());

  it('resolves the mapping document default ("Web") by name when the method\'s own name does not exist in Heartland', async () => {
    const order = await bare.placeOrder([{ sku: bare.items[0].sku, qty: 1, price: 10 }]);
    const outcome = await bare.run({ flow: 'order', key: String(order.entity_id), eventId: 'b-1' });
    expect(outcome).toMatchObject({ outcome: 'done', action: 'created' });
    const [found] = await bare.heartlandOrders(order.increment_id);
    expect(await bare.list(`sales/orders/${found.id}/payments`)).toMatchObject([{ payment_type_id: bare.seeded.paymentTypes.Web }]);
  });
});

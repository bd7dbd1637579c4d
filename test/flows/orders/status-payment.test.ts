/**
 * Order status both ways and payments: Magento hold / unhold / cancel and payment review reach
 * the linked Heartland order (per settings), Heartland cancel and close reach Magento, nothing
 * echoes, and a Magento capture is recorded on the Heartland order once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveConnectorSettings } from '../../../lib/config/connector-settings';
import { startOrdersHarness, type OrdersHarness } from './harness';

let h: OrdersHarness;
beforeAll(async () => {
  h = await startOrdersHarness();
}, 20_000);
afterAll(async () => h?.close());

async function sentOrder(extra: Record<string, unknown> = {}) {
  const order = await h.placeOrder([{ sku: h.items[0].sku, qty: 1, price: 10 }], extra);
  expect(await h.run({ flow: 'order', key: String(order.entity_id) })).toMatchObject({ outcome: 'done' });
  const [found] = await h.heartlandOrders(order.increment_id);
  return { order, heartlandId: found.id as number };
}
const heartlandStatus = async (id: number) => (await h.heartlandApi('GET', `sales/orders/${id}`)).body.status as string;
const comments = async (id: number) => ((await h.magentoApi('GET', `orders/${id}/comments`)).body.items as Array<{ comment: string; is_customer_notified: number }>);

describe('order status, Magento → Heartland', () => {
  it('hold puts the Heartland order back to pending, unhold reopens it, cancel cancels it; repeats change nothing', async () => {
    const { order, heartlandId } = await sentOrder();
    const key = String(order.entity_id);
    await h.magentoApi('POST', `orders/${order.entity_id}/hold`);
    expect(await h.run({ flow: 'order-status', key })).toMatchObject({ outcome: 'done', action: 'updated' });
    expect(await heartlandStatus(heartlandId)).toBe('pending');
    expect(await h.run({ flow: 'order-status', key, trigger: 'manual' })).toMatchObject({ outcome: 'done', action: 'unchanged' });

    await h.magentoApi('POST', `orders/${order.entity_id}/unhold`);
    expect(await h.run({ flow: 'order-status', key })).toMatchObject({ outcome: 'done', action: 'updated' });
    expect(await heartlandStatus(heartlandId)).toBe('open');

    await h.magentoApi('POST', `orders/${order.entity_id}/cancel`);
    expect(await h.run({ flow: 'order-status', key })).toMatchObject({ outcome: 'done', action: 'updated' });
    expect(await heartlandStatus(heartlandId)).toBe('canceled');

    // The Heartland cancel comes back through the Heartland feed: Magento is already canceled, no echo.
    const back = await h.run({ flow: 'heartland-order-status', key: String(heartlandId), trigger: 'poll' });
    expect(back).toMatchObject({ outcome: 'done', action: 'unchanged' });
    expect((await comments(order.entity_id)).filter((c) => c.comment.startsWith('Canceled in Heartland'))).toHaveLength(0);
  });

  it('a payment under review holds the Heartland order (or cancels it, per settings) with a Magento comment', async () => {
    const { order, heartlandId } = await sentOrder();
    await h.magentoApi('POST', 'orders', { entity: { entity_id: order.entity_id, state: 'payment_review', status: 'payment_review' } });
    expect(await h.run({ flow: 'order-status', key: String(order.entity_id) })).toMatchObject({ outcome: 'done', action: 'updated' });
    expect(await heartlandStatus(heartlandId)).toBe('pending');
    expect((await comments(order.entity_id)).map((c) => c.comment)).toContain(`Heartland order #${heartlandId} put on hold: the payment is under review.`);

    await saveConnectorSettings(h.platform.state, { paymentFailureAction: 'cancel', notifyCustomerOnComments: true });
    try {
      const second = await sentOrder();
      await h.magentoApi('POST', 'orders', { entity: { entity_id: second.order.entity_id, state: 'payment_review', status: 'payment_review' } });
      expect(await h.run({ flow: 'order-status', key: String(second.order.entity_id) })).toMatchObject({ outcome: 'done', action: 'updated' });
      expect(await heartlandStatus(second.heartlandId)).toBe('canceled');
      const note = (await comments(second.order.entity_id)).find((c) => c.comment.includes('canceled: the payment is under review'));
      expect(note?.is_customer_notified).toBe(1);
    } finally {
      await saveConnectorSettings(h.platform.state, { paymentFailureAction: 'hold', notifyCustomerOnComments: false });
    }
  });

  it('skips orders that are not in Heartland', async () => {
    const order = await h.placeOrder([{ sku: h.items[0].sku, qty: 1, price: 10 }]);
    expect(await h.run({ flow: 'order-status', key: String(order.entity_id) })).toMatchObject({ outcome: 'skipped', reason: 'filtered' });
  });
});

describe('order status, Heartland → Magento', () => {
  it('a Heartland cancel cancels the Magento order with a comment, once', async () => {
    const { order, heartlandId } = await sentOrder();
    await h.heartlandApi('PUT', `sales/orders/${heartlandId}`, { status: 'canceled' });
    expect(await h.run({ flow: 'heartland-order-status', key: String(heartlandId), trigger: 'poll' })).toMatchObject({ outcome: 'done', action: 'updated' });
    const magento = (await h.magentoApi('GET', `orders/${order.entity_id}`)).body;
    expect(magento.state).toBe('canceled');
    expect((await comments(order.entity_id)).map((c) => c.comment)).toContain(`Canceled in Heartland (order #${heartlandId}).`);
    // Magento's cancel comes back as an order event: Heartland is already canceled.
    expect(await h.run({ flow: 'order-status', key: String(order.entity_id) })).toMatchObject({ outcome: 'done', action: 'unchanged' });
    expect(await h.run({ flow: 'heartland-order-status', key: String(heartlandId), trigger: 'manual' })).toMatchObject({ outcome: 'done', action: 'unchanged' });
  });

  it('ignores Heartland orders the connector did not send (POS special orders)', async () => {
    const customer = (await h.heartlandApi('POST', 'customers', { first_name: 'Pos', last_name: 'Buyer' })).location!.split('/').pop();
    const created = await h.heartlandApi('POST', 'sales/orders', { customer_id: Number(customer), source_location_id: h.seeded.locations[0], station_id: h.seeded.stations[0] });
    const id = created.location!.split('/').pop()!;
    await h.heartlandApi('PUT', `sales/orders/${id}`, { status: 'canceled' });
    expect(await h.run({ flow: 'heartland-order-status', key: id, trigger: 'poll' })).toMatchObject({ outcome: 'skipped', reason: 'filtered' });
  });
});

describe('payments', () => {
  it('a Magento capture already covered by the order deposit records nothing; a capture beyond it is recorded once with the gateway reference', async () => {
    const { order, heartlandId } = await sentOrder();
    const invoiceId = (await h.magentoApi('POST', `order/${order.entity_id}/invoice`, { capture: true })).body as number;
    expect(await h.run({ flow: 'payment', key: String(invoiceId) })).toMatchObject({ outcome: 'done', action: 'unchanged' });
    expect(await h.list(`sales/orders/${heartlandId}/payments`)).toHaveLength(1);

    // Sent to Heartland with only part of the money recorded (a deposit); the capture adds the rest.
    const partial = await sentOrder({ payment: { method: 'checkmo', amount_ordered: 5, last_trans_id: 'txn-123' } });
    const captured = (await h.magentoApi('POST', `order/${partial.order.entity_id}/invoice`, { capture: true })).body as number;
    expect(await h.run({ flow: 'payment', key: String(captured) })).toMatchObject({ outcome: 'done', action: 'updated' });
    expect(await h.run({ flow: 'payment', key: String(captured), trigger: 'manual' })).toMatchObject({ outcome: 'done', action: 'unchanged' });
    const payments = await h.list(`sales/orders/${partial.heartlandId}/payments`);
    expect(payments.map((p) => p.amount)).toEqual([5, 10]);
    expect(payments[1].custom).toMatchObject({ magento_invoice_id: String(captured) });
    expect(JSON.stringify(payments)).not.toMatch(/\b\d{13,19}\b/);
  });

  it('a voided capture holds the Heartland order with a comment; a later paid invoice reopens it', async () => {
    const { order, heartlandId } = await sentOrder();
    const invoiceId = (await h.magentoApi('POST', `order/${order.entity_id}/invoice`, { capture: true })).body as number;
    expect(await h.run({ flow: 'payment', key: String(invoiceId) })).toMatchObject({ outcome: 'done', action: 'unchanged' });
    await h.magentoApi('POST', `invoices/${invoiceId}/void`);
    expect(await h.run({ flow: 'payment', key: String(invoiceId) })).toMatchObject({ outcome: 'done', action: 'updated' });
    expect(await heartlandStatus(heartlandId)).toBe('pending');
    expect((await comments(order.entity_id)).some((c) => /^Payment for invoice #\d+ failed: Heartland order #\d+ put on hold\.$/.test(c.comment))).toBe(true);
    // The order event of the void: Magento is still processing, but this hold is the payment's, not a person's.
    expect(await h.run({ flow: 'order-status', key: String(order.entity_id) })).toMatchObject({ outcome: 'done', action: 'unchanged' });
    expect(await heartlandStatus(heartlandId)).toBe('pending');

    const paid = (await h.magentoApi('POST', `order/${order.entity_id}/invoice`, { capture: true })).body as number;
    expect(await h.run({ flow: 'payment', key: String(paid) })).toMatchObject({ outcome: 'done', action: 'updated' });
    expect(await heartlandStatus(heartlandId)).toBe('open');
  });
});

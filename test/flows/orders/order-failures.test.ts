/**
 * Heartland refusing an order: a required custom field the mapping does not fill, and a custom
 * payment whose capture webhook fails. Both are dead letters with the order number and a Magento
 * comment; the order is never left `open` in Heartland for a payment that did not happen; and a
 * replay after the fix (a mapping rule, a working gateway) finishes the same Heartland order.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMappingRepository } from '../../../lib/mapping';
import { replayDeadLetter } from '../../../lib/sync';
import { startOrdersHarness, type OrdersHarness } from './harness';

let h: OrdersHarness;
let gateway: Server;
let gatewayAnswer = 402;
let gatewayUrl: string;

beforeAll(async () => {
  h = await startOrdersHarness();
  gateway = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(gatewayAnswer, { 'content-type': 'application/json' });
      res.end(JSON.stringify(gatewayAnswer === 200 ? {} : { message: 'card declined by the gateway' }));
    });
  });
  await new Promise<void>((done) => gateway.listen(0, '127.0.0.1', done));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as { port: number }).port}/capture`;
}, 20_000);
afterAll(async () => {
  await new Promise((done) => gateway?.close(done));
  await h?.close();
});

const comments = async (id: number) => ((await h.magentoApi('GET', `orders/${id}/comments`)).body.items as Array<{ comment: string }>).map((c) => c.comment);

describe('Heartland refuses the order', () => {
  it('a missing required custom field is a dead letter naming the order; a mapping rule and a replay fix it', async () => {
    await h.heartlandApi('POST', 'custom_fields', { key: 'sales_channel', group_id: 'sales.transaction', name: 'Sales channel', required: true });
    try {
      const order = await h.placeOrder([{ sku: h.items[0].sku, qty: 1, price: 10 }]);
      const outcome = await h.run({ flow: 'order', key: String(order.entity_id) });
      expect(outcome.outcome).toBe('dead-lettered');
      if (outcome.outcome !== 'dead-lettered') return;
      expect(outcome.error.message).toContain(`Heartland refused order ${order.increment_id}`);
      expect(outcome.error.message).toContain('sales_channel');
      expect(outcome.error).toMatchObject({ field: 'custom@sales_channel', retryable: false });
      expect((await comments(order.entity_id)).some((c) => c.startsWith('Not sent to Heartland') && c.includes(order.increment_id))).toBe(true);
      expect(await h.heartlandOrders(order.increment_id)).toHaveLength(0);

      const saved = await createMappingRepository(h.platform.state).save({
        entities: { order: { toHeartland: { rules: [{ id: 'channel', kind: 'constant', target: 'custom.sales_channel', value: 'web' }] } } },
      });
      expect(saved.ok).toBe(true);
      expect(await replayDeadLetter(outcome.deadLetterId, h.deps)).toMatchObject({ outcome: 'done', action: 'created' });
      const [found] = await h.heartlandOrders(order.increment_id);
      expect(found).toMatchObject({ status: 'open', custom: { sales_channel: 'web' } });
    } finally {
      const fields = (await h.heartlandApi('GET', 'custom_fields?per_page=100')).body.results as Array<{ id: number; key: string }>;
      const ours = fields.find((f) => f.key === 'sales_channel');
      if (ours) await h.heartlandApi('PUT', `custom_fields/${ours.id}`, { required: false });
    }
  });

  it('a declined custom-payment capture leaves the Heartland order pending, dead-letters with a comment, and the replay resumes the same order', async () => {
    await h.heartlandControl('POST', 'payment-webhooks', { payment_type_id: h.seeded.paymentTypes.Check, capture: gatewayUrl });
    gatewayAnswer = 402;
    const order = await h.placeOrder([{ sku: h.items[1].sku, qty: 1, price: 12 }]);
    const outcome = await h.run({ flow: 'order', key: String(order.entity_id) });
    expect(outcome.outcome).toBe('dead-lettered');
    if (outcome.outcome !== 'dead-lettered') return;
    expect(outcome.error.message).toContain(`Heartland refused order ${order.increment_id}`);
    expect(outcome.error.message).toContain('card declined');
    const [pending] = await h.heartlandOrders(order.increment_id);
    expect(pending.status).toBe('pending');
    expect((await comments(order.entity_id)).some((c) => c.includes('card declined'))).toBe(true);

    gatewayAnswer = 200;
    expect(await replayDeadLetter(outcome.deadLetterId, h.deps)).toMatchObject({ outcome: 'done', action: 'updated' });
    const orders = await h.heartlandOrders(order.increment_id);
    expect(orders).toHaveLength(1);
    expect(orders[0].status).toBe('open');
    const payments = await h.list(`sales/orders/${orders[0].id}/payments`);
    expect(payments.filter((p) => p.status === 'complete')).toHaveLength(1);
    expect(await h.list(`sales/orders/${orders[0].id}/lines`)).toHaveLength(1);
  });
});

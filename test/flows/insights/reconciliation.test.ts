/**
 * Order reconciliation over both simulators: orders sent and invoiced match; an order whose
 * Magento total changed after it was sent, a Heartland web order Magento does not know, a Magento
 * order never sent, a credit memo never sent and a Heartland Return for a credit memo Magento does
 * not have are exactly the mismatches; the report is stored as JSON and CSV; the
 * nightly job plans yesterday plus the anomaly index rebuild; a bad range names the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconciliationReports } from '../../../lib/insights';
import { previousDay, reconciliationJob, runOrderReconciliation } from '../../../lib/flows/insights';
import type { TaskContext } from '../../../lib/sync';
import { startOrdersHarness, type OrdersHarness } from '../orders/harness';

let h: OrdersHarness;
beforeAll(async () => {
  h = await startOrdersHarness({ settings: { fraud: { enabled: false } } });
}, 20_000);
afterAll(async () => h?.close());

function taskContext(): TaskContext {
  return {
    logger: h.platform.logger, clock: h.platform.clock, state: h.platform.state, files: h.platform.files,
    client: ((u: 'heartland' | 'commerce') => (u === 'heartland' ? h.hl : h.commerce)) as TaskContext['client'],
    correlationId: 'test-reconcile', remainingMs: () => 60_000,
  };
}

describe('order reconciliation', () => {
  it('lists exactly the seeded mismatches and stores the report', async () => {
    const [a, b] = h.items;
    const sent = [];
    for (const price of [12, 19, 23]) {
      const order = await h.placeOrder([{ sku: a.sku, qty: 1, price }, { sku: b.sku, qty: 2, price: 4 }]);
      expect((await h.run({ flow: 'order', key: String(order.entity_id) })).outcome).toBe('done');
      await h.magentoApi('POST', `order/${order.entity_id}/invoice`, { capture: true });
      sent.push(order);
    }
    // 1. Magento's total changed after the order was sent.
    await h.magentoApi('POST', 'orders', { entity: { entity_id: sent[1].entity_id, grand_total: 99.5, base_grand_total: 99.5 } });
    // 2. A Heartland web order whose number Magento never had.
    const created = await h.heartlandApi('POST', 'sales/orders', { status: 'pending', custom: { ecommerce_number: '999000777' }, station_id: h.seeded.stations[0], source_location_id: h.seeded.locations[0] });
    expect(created.status).toBeLessThan(300);
    // 3. A Magento order that was never sent (payment still pending).
    const unsent = await h.placeOrder([{ sku: a.sku, qty: 1, price: 30 }], { state: 'new', status: 'pending' });
    // 4. A Magento credit memo that never reached Heartland as a Return (the refund flow did not run).
    const paid = (await h.magentoApi('GET', `orders/${sent[2].entity_id}`)).body as { items: Array<{ item_id: number }> };
    const memo = await h.magentoApi('POST', `order/${sent[2].entity_id}/refund`, { items: [{ order_item_id: paid.items[0].item_id, qty: 1 }], arguments: { shipping_amount: 0 } });
    expect(memo.status).toBeLessThan(300);
    // 5. A Heartland Return naming a credit memo Magento does not have.
    const stray = await h.heartlandApi('POST', 'sales/tickets', { type: 'Return', status: 'complete', custom: { magento_creditmemo_id: '987654', ecommerce_number: sent[0].increment_id }, station_id: h.seeded.stations[0], source_location_id: h.seeded.locations[0], lines: [{ type: 'ItemLine', item_id: a.id, qty: -1, unit_price: 12 }] });
    expect(stray.status).toBeLessThan(300);

    const now = Date.now();
    const run = await runOrderReconciliation({ from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 3_600_000).toISOString() }, taskContext());
    expect(run.truncated).toEqual([]);
    const stored = JSON.parse((await createReconciliationReports({ files: h.platform.files }).read(run.report.name, 'json'))!);
    const mismatches = (stored.rows as Array<{ kind: string; orderNumber: string; status: string }>).filter((r) => r.status !== 'matched').map((r) => `${r.kind} ${r.orderNumber} ${r.status}`);
    expect(mismatches.sort()).toEqual(
      [
        `order ${sent[1].increment_id} amount_mismatch`,
        'order 999000777 missing_in_magento',
        `order ${unsent.increment_id} missing_in_heartland`,
        `refund ${sent[2].increment_id} missing_in_heartland`,
        `refund ${sent[0].increment_id} missing_in_magento`,
      ].sort(),
    );
    expect(run.summary.counts.order.matched).toBe(2);
    expect(run.summary.counts.payment.matched).toBe(3);
    expect(run.summary.mismatches).toBe(5);
    const csv = await createReconciliationReports({ files: h.platform.files }).read(run.report.name, 'csv');
    expect(csv).toContain('999000777');
  }, 30_000);

  it('runs nightly for yesterday, then rebuilds the anomaly index', async () => {
    const ctx = taskContext();
    const chunks = await reconciliationJob.plan(ctx);
    expect(chunks).toEqual([{ step: 'reconcile', range: previousDay(Date.now()) }, { step: 'rebuild-anomaly-index' }]);
    expect(previousDay(Date.UTC(2026, 10, 28, 2, 5))).toEqual({ from: '2026-11-27T00:00:00.000Z', to: '2026-11-28T00:00:00.000Z' });
    expect(await reconciliationJob.runChunk(chunks[1], ctx)).toEqual({ indexed: 0 });
    expect(await reconciliationJob.hourFromSettings!(h.platform.state)).toBe(2);
  });

  it('refuses a range that is not one, naming the field', async () => {
    await expect(runOrderReconciliation({ from: 'yesterday', to: new Date().toISOString() }, taskContext())).rejects.toThrow(/^from:/);
    await expect(runOrderReconciliation({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, taskContext())).rejects.toThrow(/^to: must be after/);
  });
});

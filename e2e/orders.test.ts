/**
 * Order to cash over the whole sandbox (issue 7 acceptance), black box through the simulators'
 * real APIs: an order saved in Magento is open in Heartland within 5 s and redelivering its events
 * changes nothing; a completed Heartland invoice with a tracking number becomes a Magento shipment
 * within 5 s, deducting MSI stock once; refunds go one each way without echo; an unknown SKU is a
 * dead letter naming the SKU and the order number that replays once the item exists.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { seedDemo, type DemoSeed } from '../sandbox/demo/seed';
import { commerceAll, commerceApi, heartlandAll, heartlandApi, type SimApi } from '../sandbox/demo/sim-http';
import { createConnector } from '../lib/connector';
import { listDeadLetters, pollFeed, replayDeadLetter } from '../lib/sync';
import { ordersArea } from '../lib/flows/orders';

let sandbox: Sandbox;
let dir: string;
let seed: DemoSeed;
let hl: SimApi;
let mc: SimApi;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hcc-e2e-orders-'));
  sandbox = await startSandbox({ dataDir: dir, fresh: true, ports: { host: 0, heartland: 0, commerce: 0 }, alarms: false, seed: false, log: () => undefined });
  // No demo customers: the orders here are a guest's, and syncing seeded customers only made the
  // first settle() wait ~4 s for their customer-flow traffic to stop.
  seed = await seedDemo(sandbox, { items: 8, customers: 0 });
  hl = heartlandApi(sandbox.heartland!.url);
  mc = commerceApi(sandbox.commerce!.url);
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor<T>(what: string, read: () => Promise<T | undefined | false>, timeoutMs = 5_000): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value) return { value: value as T, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the connector has stopped calling Heartland for a moment: the seed's own events
 * (customers, stock) share Heartland's 5 requests/s with the order flow, and the 5 s promise is
 * about an order placed in a store at rest, not one queued behind a bulk import.
 */
async function settle(quietMs = 1_000, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const deliveries = await mc.control<Array<{ status: string }>>('GET', 'events/deliveries?since=0');
    if (deliveries.some((d) => d.status === 'pending')) {
      await sleep(200);
      continue;
    }
    const { requests } = await hl.control<{ requests: Array<{ t: number; path: string }> }>('GET', `requests?since=${Date.now() - quietMs}`);
    if (requests.filter((r) => !r.path.includes('__sim')).length === 0) return;
    await sleep(200);
  }
}

function address(type: 'billing' | 'shipping') {
  return { address_type: type, firstname: 'Jane', lastname: 'Doe', street: ['123 Oak Ave'], city: 'Purchase', region: 'New York', region_code: 'NY', postcode: '10577', country_id: 'US', telephone: '512-555-1111', email: 'jane.e2e@example.com' };
}

async function placeOrder(lines: Array<{ sku: string; qty: number; price: number; tax: number }>, extra: Record<string, unknown> = {}) {
  const subtotal = lines.reduce((s, l) => s + l.qty * l.price, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  const shipping = 5;
  const grand = Math.round((subtotal + tax + shipping) * 100) / 100;
  return mc.request<{ entity_id: number; increment_id: string; items: Array<{ item_id: number; sku: string }> }>('POST', 'orders', {
    entity: {
      state: 'processing',
      status: 'processing',
      customer_email: 'jane.e2e@example.com',
      customer_firstname: 'Jane',
      customer_lastname: 'Doe',
      customer_is_guest: 1,
      items: lines.map((l) => ({ sku: l.sku, qty_ordered: l.qty, price: l.price, row_total: l.qty * l.price, tax_amount: l.tax, product_type: 'simple' })),
      subtotal,
      tax_amount: tax,
      shipping_amount: shipping,
      grand_total: grand,
      base_grand_total: grand,
      shipping_description: 'Flat Rate',
      billing_address: address('billing'),
      payment: { method: 'checkmo', amount_ordered: grand },
      extension_attributes: { shipping_assignments: [{ shipping: { address: address('shipping'), method: 'flatrate_flatrate', total: { shipping_amount: shipping } } }] },
      ...extra,
    },
  });
}

async function heartlandOrder(incrementId: string) {
  const rows = await heartlandAll<any>(hl, 'sales/orders', { _filter: JSON.stringify({ 'custom@ecommerce_number': incrementId }) });
  return rows;
}

async function journalEnd(): Promise<number> {
  let since = 0;
  for (;;) {
    const res = await fetch(`${new URL(sandbox.commerce!.url).origin}/__sim/events?since=${since}&limit=500`);
    if (res.status === 204) return since;
    const body = (await res.json()) as { _page: { last: number; count: number } };
    if (!body._page.count) return since;
    since = Number(body._page.last);
  }
}

describe('order to cash', () => {
  let order: Awaited<ReturnType<typeof placeOrder>>;
  let heartlandOrderId: number;
  let skuA: string;
  let skuB: string;

  it('sends a Magento order to Heartland open, with lines, tax, shipping and payment, within 5 s; 5 redeliveries change nothing', async () => {
    [skuA, skuB] = [seed.items[0]!.sku, seed.items[1]!.sku];
    await settle();
    const before = await journalEnd();
    const started = Date.now();
    order = await placeOrder([
      { sku: skuA, qty: 2, price: 20, tax: 3.3 },
      { sku: skuB, qty: 1, price: 12.5, tax: 1.03 },
    ]);
    const { value: found } = await waitFor('the Heartland order to be open', async () => {
      const rows = await heartlandOrder(order.increment_id);
      return rows.length === 1 && rows[0].status === 'open' ? rows[0] : undefined;
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    heartlandOrderId = found.id;
    expect(found.custom.ecommerce_number).toBe(order.increment_id);
    expect(found.station_id).toBe(seed.stationId);
    expect(found.source_location_id).toBe(seed.sourceLocationId);
    expect(found.shipping_charge).toBe(5);
    const lines = await heartlandAll<any>(hl, `sales/orders/${found.id}/lines`);
    const itemId = (sku: string) => seed.items.find((i) => i.sku === sku)!.id;
    expect(lines.map((l) => [l.item_id, l.qty, l.adjusted_unit_price, l.total_tax, l.ship_from_location_id]).sort()).toEqual(
      [
        [itemId(skuA), 2, 20, 3.3, seed.sourceLocationId],
        [itemId(skuB), 1, 12.5, 1.03, seed.sourceLocationId],
      ].sort(),
    );
    const payments = await heartlandAll<any>(hl, `sales/orders/${found.id}/payments`);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ type: 'CustomPayment', amount: 61.83, payment_type_id: seed.paymentTypeIds[seed.paymentMethods.checkmo!] });
    const comments = await mc.request<{ items: Array<{ comment: string }> }>('GET', `orders/${order.entity_id}/comments`);
    expect(comments.items.filter((c) => c.comment === `Sent to Heartland as order #${found.id}`)).toHaveLength(1);

    const counters = async () => (await hl.control<{ byEndpoint: Record<string, number> }>('GET', 'counters')).byEndpoint;
    // Sales writes only: the customer flows may still be settling the customer this order created.
    const writes = (byEndpoint: Record<string, number>) => Object.entries(byEndpoint).filter(([k]) => /^(POST|PUT) \/api\/sales\//.test(k)).reduce((s, [, n]) => s + n, 0);
    const writesBefore = writes(await counters());
    for (let i = 0; i < 5; i++) await mc.control('POST', 'events/replay', { since: before });
    await sleep(1_500);
    expect(await heartlandOrder(order.increment_id)).toHaveLength(1);
    expect(await heartlandAll<any>(hl, `sales/orders/${found.id}/lines`)).toHaveLength(2);
    expect(await heartlandAll<any>(hl, `sales/orders/${found.id}/payments`)).toHaveLength(1);
    expect(writes(await counters())).toBe(writesBefore);
    const again = await mc.request<{ items: Array<{ comment: string }> }>('GET', `orders/${order.entity_id}/comments`);
    expect(again.items.filter((c) => c.comment.startsWith('Sent to Heartland'))).toHaveLength(1);
  }, 30_000);

  it('turns a completed Heartland invoice with a tracking number into a Magento shipment within 5 s, deducting MSI stock once', async () => {
    const lines = await heartlandAll<any>(hl, `sales/orders/${heartlandOrderId}/lines`);
    const lineA = lines.find((l) => l.item_id === seed.items[0]!.id);
    const invoice = await hl.send('POST', 'sales/invoices', { order_id: heartlandOrderId, source_location_id: seed.sourceLocationId, station_id: seed.stationId });
    const invoiceId = Number(invoice.location!.split('/').pop());
    await hl.send('POST', `sales/invoices/${invoiceId}/lines`, { item_id: lineA.item_id, qty: 2, order_line_id: lineA.id });
    const completedAt = Date.now();
    await hl.send('PUT', `sales/invoices/${invoiceId}`, { status: 'complete', custom: { tracking_number: '1Z999AA10123456784', shipping_carrier: 'UPS' } });
    const { value: shipment } = await waitFor('the Magento shipment', async () => {
      const shipments = await commerceAll<any>(mc, 'shipments', [{ field: 'order_id', value: String(order.entity_id) }]);
      return shipments[0];
    });
    expect(Date.now() - completedAt).toBeLessThan(5_000);
    expect(shipment.tracks.map((t: any) => [t.track_number, t.carrier_code])).toEqual([['1Z999AA10123456784', 'ups']]);
    // Partial invoice → partial shipment: exactly the invoiced line.
    const itemA = order.items.find((i) => i.sku === skuA)!;
    expect(shipment.items.map((i: any) => [i.order_item_id, i.qty])).toEqual([[itemA.item_id, 2]]);
    expect(shipment.extension_attributes.source_code).toBe(seed.sourceCodes[0]);

    // A second delivery of the same invoice (poll after webhook) creates nothing, deducts nothing.
    await settle();
    const connector = createConnector({ inputs: sandbox.env });
    const { runRegisteredUnit } = await import('../lib/sync');
    const outcome = await runRegisteredUnit({ flow: 'shipment', key: String(invoiceId), trigger: 'poll' }, connector.deps);
    expect(outcome.outcome === 'skipped' || (outcome.outcome === 'done' && outcome.action === 'unchanged')).toBe(true);
    await sleep(500);
    expect(await commerceAll<any>(mc, 'shipments', [{ field: 'order_id', value: String(order.entity_id) }])).toHaveLength(1);
    // MSI deducts a source at shipment time and books a `shipment_created` reservation with it: once.
    const ledger = await mc.control<{ items: Array<{ quantity: number; metadata: string }> }>('GET', `reservations?sku=${encodeURIComponent(skuA)}`);
    const shipped = ledger.items.filter((r) => {
      const meta = JSON.parse(r.metadata) as { event_type: string; object_id: string };
      return meta.event_type === 'shipment_created' && meta.object_id === String(order.entity_id);
    });
    expect(shipped.map((r) => r.quantity)).toEqual([2]);
  }, 30_000);

  it('mirrors a Magento credit memo as one Heartland Return and a Heartland Return as one credit memo, without echo', async () => {
    // Magento refunds only what was paid: capture first (the payment flow finds it already recorded).
    await mc.request('POST', `order/${order.entity_id}/invoice`, { capture: true });
    const itemA = order.items.find((i) => i.sku === skuA)!;
    const memoId = await mc.request<number>('POST', `order/${order.entity_id}/refund`, { items: [{ order_item_id: itemA.item_id, qty: 1 }], arguments: { shipping_amount: 0 } });
    const { value: ours } = await waitFor('the Heartland Return for the credit memo', async () => {
      const rows = await heartlandAll<any>(hl, 'sales/tickets', { _filter: JSON.stringify({ 'custom@magento_creditmemo_id': String(memoId) }) });
      return rows[0];
    });
    expect(ours.type).toBe('Return');
    const ourLines = await heartlandAll<any>(hl, `sales/tickets/${ours.id}/lines`);
    expect(ourLines.filter((l) => l.type === 'ItemLine').map((l) => [l.item_id, l.qty])).toEqual([[seed.items[0]!.id, -1]]);

    const invoices = await heartlandAll<any>(hl, 'sales/invoices', { _filter: JSON.stringify({ order_id: heartlandOrderId }) });
    const pos = await hl.send('POST', 'sales/tickets', {
      type: 'Return',
      status: 'complete',
      station_id: seed.stationId,
      source_location_id: seed.sourceLocationId,
      parent_transaction_id: invoices[0].id,
      item_lines: [{ type: 'ItemLine', item_id: seed.items[0]!.id, qty: -1, unit_price: 20 }],
    });
    const posId = Number(pos.location!.split('/').pop());
    const { value: mirrored } = await waitFor('the Magento credit memo for the Heartland return', async () => {
      const memos = await commerceAll<any>(mc, 'creditmemos', [{ field: 'order_id', value: String(order.entity_id) }]);
      return memos.find((m) => (m.comments ?? []).some((c: any) => c.comment === `Heartland return #${posId}`));
    });
    expect(mirrored.items.map((i: any) => [i.order_item_id, i.qty])).toEqual([[itemA.item_id, 1]]);

    // Give any echo time to happen, then count: one each way, nothing more.
    await sleep(2_000);
    const memos = await commerceAll<any>(mc, 'creditmemos', [{ field: 'order_id', value: String(order.entity_id) }]);
    expect(memos).toHaveLength(2);
    const returns = await heartlandAll<any>(hl, 'sales/tickets', { _filter: JSON.stringify({ type: 'Return' }) });
    expect(returns).toHaveLength(2);
  }, 30_000);

  it('dead-letters an unknown SKU with the SKU and order number, and replays to done once the item exists', async () => {
    const sku = 'WS12-M-Orange';
    const placed = await placeOrder([{ sku, qty: 1, price: 22, tax: 0 }]);
    const connector = createConnector({ inputs: sandbox.env });
    const { value: letter } = await waitFor('the dead letter', async () => {
      const letters = await listDeadLetters({ flow: 'order', status: 'open' }, connector.deps);
      return letters.find((l) => l.key === String(placed.entity_id));
    });
    expect(letter.error).toContain(sku);
    expect(letter.error).toContain(placed.increment_id);
    const comments = await mc.request<{ items: Array<{ comment: string }> }>('GET', `orders/${placed.entity_id}/comments`);
    expect(comments.items.some((c) => c.comment.includes(sku) && c.comment.includes(placed.increment_id))).toBe(true);

    await hl.send('POST', 'items', { public_id: sku, description: 'Radiant Tee - Orange - M', price: 22, cost: 9 });
    const outcome = await replayDeadLetter(letter.id, connector.deps);
    expect(outcome.outcome).toBe('done');
    const rows = await heartlandOrder(placed.increment_id);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('open');
  }, 30_000);

  it('the polling safety net finds nothing left to do: every feed polls cleanly and writes nothing', async () => {
    await settle();
    const connector = createConnector({ inputs: sandbox.env });
    const before = (await hl.control<{ byEndpoint: Record<string, number> }>('GET', 'counters')).byEndpoint;
    for (const feed of ordersArea.feeds ?? []) {
      const summary = await pollFeed(feed, connector.deps, Date.now() + 20_000);
      expect(summary.error, feed.name).toBeUndefined();
      expect(summary.invalid, feed.name).toEqual([]);
      expect(summary.outcomes['dead-lettered'] ?? 0, feed.name).toBe(0);
    }
    const after = (await hl.control<{ byEndpoint: Record<string, number> }>('GET', 'counters')).byEndpoint;
    const salesWrites = (c: Record<string, number>) => Object.entries(c).filter(([k]) => /^(POST|PUT) \/api\/sales\//.test(k)).reduce((n, [, v]) => n + v, 0);
    expect(salesWrites(after)).toBe(salesWrites(before));
    expect(await commerceAll<any>(mc, 'shipments', [{ field: 'order_id', value: String(order.entity_id) }])).toHaveLength(1);
  }, 30_000);
});

/**
 * Demo traffic and the workload actions it is made of, against the simulators: each action leaves
 * the record a person doing the same thing would leave, and the generator stops cleanly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { seedDemo, type DemoSeed } from '../../sandbox/demo/seed';
import { seededRandom } from '../../sandbox/demo/random';
import { commerceAll, commerceApi, heartlandAll, heartlandApi } from '../../sandbox/demo/sim-http';
import { createWorkload } from '../../sandbox/demo/workload';
import { chooseAction, startTraffic } from '../../sandbox/demo/traffic';

let sandbox: Sandbox;
let dir: string;
let seed: DemoSeed;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hcc-demo-traffic-'));
  sandbox = await startSandbox({ dataDir: dir, fresh: true, ports: { host: 0, heartland: 0, commerce: 0 }, alarms: false, seed: false, log: () => undefined });
  // These tests are about what the demo does to the simulators; the connector reacting to it
  // (events, notifications) is other suites' business and would only slow them down.
  await commerceApi(sandbox.commerce!.url).control('PUT', 'events/settings', { target: null });
  await heartlandApi(sandbox.heartland!.url).control('PUT', 'notifications/settings', { enabled: false });
  seed = await seedDemo(sandbox, { items: 15, customers: 3 });
}, 30_000);

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

const apis = () => ({ heartland: heartlandApi(sandbox.heartland!.url), commerce: commerceApi(sandbox.commerce!.url) });

describe('workload actions', () => {
  it('places a processing web order with seeded SKUs, a mapped payment code and a shipping assignment', async () => {
    const w = createWorkload({ ...apis(), seed, random: seededRandom(7) });
    const placed = await w.placeWebOrder();
    const order = await apis().commerce.request('GET', `orders/${placed.entityId}`);
    expect(order).toMatchObject({ increment_id: placed.incrementId, status: 'processing', customer_email: placed.email });
    expect(order.items.map((i: { sku: string }) => i.sku).sort()).toEqual(placed.lines.map((l) => l.sku).sort());
    for (const l of placed.lines) expect(seed.skus).toContain(l.sku);
    expect(Object.keys(seed.paymentMethods)).toContain(order.payment.method);
    expect(order.extension_attributes.shipping_assignments[0].shipping.method).toBe(placed.shippingMethod);
    expect(order.grand_total).toBeGreaterThan(0);
  });

  it('marks a deliberately bad order with the unknown SKU', async () => {
    const w = createWorkload({ ...apis(), seed, random: seededRandom(8) });
    const placed = await w.placeWebOrder({ unknownSku: 'DISCONTINUED-0001' });
    expect(placed.invalid).toEqual({ kind: 'unknown-sku', sku: 'DISCONTINUED-0001' });
    const order = await apis().commerce.request('GET', `orders/${placed.entityId}`);
    expect(order.items.map((i: { sku: string }) => i.sku)).toContain('DISCONTINUED-0001');
  });

  it('POS sales and adjustments move Heartland stock and are counted as stock changes', async () => {
    const { heartland } = apis();
    const w = createWorkload({ ...apis(), seed, random: seededRandom(9) });
    const before = (await heartlandAll(heartland, 'inventory/transactions')).length;
    let moved = 0;
    for (let i = 0; i < 5; i++) moved += (await w.posSale()) + (await w.adjustStock());
    const after = (await heartlandAll(heartland, 'inventory/transactions')).length;
    expect(moved).toBeGreaterThan(0);
    expect(w.ledger.stockChanges).toBe(moved);
    expect(after - before).toBe(moved);
    const stock = await heartlandAll<{ qty_on_hand: number }>(heartland, 'inventory/values', { 'group[]': ['item_id', 'location_id'] });
    expect(stock.every((s) => s.qty_on_hand >= 0)).toBe(true);
  });

  it('invoices an open web order in Heartland with tracking custom fields and completes it', async () => {
    const { heartland } = apis();
    const item = seed.items[0]!;
    const created = await heartland.send('POST', 'sales/orders', {
      source_location_id: seed.sourceLocationId,
      station_id: seed.stationId,
      status: 'open',
      custom: { ecommerce_number: '000000999' },
      lines: [{ item_id: item.id, qty: 2, ship_from_location_id: seed.sourceLocationId }],
    });
    const orderId = Number(created.location!.split('/').pop());
    const w = createWorkload({ ...apis(), seed, random: seededRandom(10) });
    const invoice = await w.invoiceWebOrder();
    expect(invoice).toMatchObject({ heartlandOrderId: orderId, ecommerceNumber: '000000999', lines: [{ sku: item.sku, qty: 2 }] });
    const stored = await heartland.request('GET', `sales/invoices/${invoice!.invoiceId}`);
    expect(stored.status).toBe('complete');
    expect(stored.custom).toMatchObject({ tracking_number: invoice!.trackingNumber, shipping_carrier: invoice!.carrier });
    expect((await heartland.request('GET', `sales/orders/${orderId}`)).status).toBe('closed');
    expect(await w.invoiceWebOrder()).toBeUndefined();
  });

  it('credit memos and customer edits go through the real APIs', async () => {
    const { commerce, heartland } = apis();
    const w = createWorkload({ ...apis(), seed, random: seededRandom(11) });
    await w.placeWebOrder();
    const memo = await w.creditMemo();
    expect(memo).toBeDefined();
    const memos = await commerceAll<{ entity_id: number; order_id: number }>(commerce, 'creditmemos');
    expect(memos.some((m) => m.order_id === memo!.orderEntityId)).toBe(true);
    const edit = await w.editCommerceCustomer();
    expect((await commerce.request('GET', `customers/${edit!.id}`)).lastname).toBe(edit!.lastname);
    const hlEdit = await w.editHeartlandCustomer();
    expect((await heartland.request('GET', `customers/${hlEdit!.id}`)).last_name).toBe(hlEdit!.lastname);
  });
});

describe('startTraffic', () => {
  it('mixes actions by weight', () => {
    const r = seededRandom(1);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 2000; i++) {
      const action = chooseAction(r.next());
      counts[action] = (counts[action] ?? 0) + 1;
    }
    expect(counts.webOrder).toBeGreaterThan(counts.posSale!);
    expect(counts.badOrder).toBeGreaterThan(0);
    expect(counts.badOrder).toBeLessThan(counts.creditMemo!);
  });

  it('generates traffic at the given rate and stops cleanly', async () => {
    const before = (await commerceAll(apis().commerce, 'orders')).length;
    const traffic = await startTraffic(sandbox, { ratePerMinute: 1200, seed: 3 });
    await new Promise((r) => setTimeout(r, 1500));
    await traffic.close();
    const stats = traffic.stats();
    // One action at a time: the count depends on how fast the simulators answer, not only on the rate.
    expect(stats.ticks).toBeGreaterThanOrEqual(3);
    expect(stats.errors).toBe(0);
    const after = (await commerceAll(apis().commerce, 'orders')).length;
    expect(after - before).toBe(stats.webOrders + stats.badOrders - (stats.refused.badOrder ?? 0));
    const ticks = stats.ticks;
    await new Promise((r) => setTimeout(r, 300));
    expect(traffic.stats().ticks).toBe(ticks);
  });

  it('rejects a nonsensical rate with a message naming it', async () => {
    await expect(startTraffic(sandbox, { ratePerMinute: -1 })).rejects.toThrow(/ratePerMinute/);
  });
});

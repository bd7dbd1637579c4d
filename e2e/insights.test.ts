/**
 * Insights over the whole sandbox (issue 12 acceptance), through the simulators' real APIs and the
 * host's event delivery: an ordinary stream of web orders (five repeat buyers, untaxed so the
 * simulator's order total is comparable, see the reconciliation test) raises no anomaly; an order at 30×
 * the median is held (never reaches Heartland) until approved, and its anomaly is alerted to a
 * webhook by the scheduler's watch feed; a burst of 20 orders from one email is flagged and, with
 * the hold threshold the merchant set, held; the reconciliation report lists exactly the seeded
 * mismatches (a total changed in Magento after sending, a Heartland web order Magento never had,
 * a Magento order never sent) and nothing else: taxed orders, sent and invoiced, match to the cent;
 * a Heartland price typed ten times too high is held (Magento keeps its price) until released.
 *
 * Kept fast (it was ~115 s): the merchant's Heartland request ceiling is raised to its maximum (the
 * simulator has no quota), and the flows this file does not judge are switched off in the settings
 * (customers, inventory, gift cards, shipments, refunds: a credit memo stays unsent, one of the seeded
 * mismatches), so the simulators' stock and customer
 * notifications do not compete with the orders for the two cores. The wipe guard on ordinary
 * stock movements is proven by test/insights/demo-traffic-detectors.test.ts (the sandbox's demo
 * traffic) and a wipe on the real sandbox by e2e/inventory.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { startAlertReceiver, type AlertReceiver } from '../test/support/alert-receiver';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { seedDemo, demoStateStore, type DemoSeed } from '../sandbox/demo/seed';
import { commerceApi, heartlandApi, type SimApi } from '../sandbox/demo/sim-http';
import { createWorkload } from '../sandbox/demo/workload';
import { seededRandom } from '../sandbox/demo/random';
import { createConnector, type Connector } from '../lib/connector';
import { saveConnectorSettings } from '../lib/config/connector-settings';
import { createAnomalyRepository, createReconciliationReports, median, type Anomaly } from '../lib/insights';
import { readRecentOrders, releaseHeldOrder } from '../lib/flows/orders';
import { HELD_PRICE_CHANGES_FEED } from '../lib/flows/products';
import { INSIGHTS_WATCH_FEED, runOrderReconciliation } from '../lib/flows/insights';
import { pollFeed, type TaskContext } from '../lib/sync';

/** Flows this file proves nothing about (see the header): off, so their work does not slow the orders. */
const UNJUDGED_FLOWS = ['customer-to-heartland', 'customer-to-commerce', 'inventory', 'gift-card', 'gift-card-order', 'shipment', 'refund', 'heartland-return'];

let sandbox: Sandbox;
let dir: string;
let seed: DemoSeed;
let hl: SimApi;
let mc: SimApi;
let connector: Connector;
let receiver: AlertReceiver<{ kind: string; subject: string; text: string }>;
let alerts: Array<{ kind: string; subject: string; text: string }> = [];
const startedAt = Date.now();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hcc-e2e-insights-'));
  // The merchant's Heartland request ceiling raised to its maximum: the simulator has no quota, and
  // the default 5 req/s made this file wait ~2 minutes on the orders' Heartland calls.
  sandbox = await startSandbox({ dataDir: dir, fresh: true, ports: { host: 0, heartland: 0, commerce: 0 }, alarms: false, seed: false, env: { HEARTLAND_RATE_PER_SECOND: '100' }, log: () => undefined });
  seed = await seedDemo(sandbox, { items: 8, customers: 5 });
  hl = heartlandApi(sandbox.heartland!.url);
  mc = commerceApi(sandbox.commerce!.url);
  connector = createConnector({ inputs: sandbox.env });
  receiver = await startAlertReceiver();
  alerts = receiver.alerts;
  await saveConnectorSettings(demoStateStore(sandbox), {
    alerts: { webhookUrl: receiver.url },
    flowsEnabled: Object.fromEntries(UNJUDGED_FLOWS.map((flow) => [flow, false])),
  });
  await settle();
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(what: string, read: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value) return value as T;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(500);
  }
}

/**
 * Waits until the seed's own events (customers, stock) have run: they share Heartland's 5
 * requests/s with the order flow (the same wait as e2e/orders.test.ts).
 */
async function settle(quietMs = 1_000, timeoutMs = 30_000): Promise<void> {
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

const anomalies = () => createAnomalyRepository({ state: connector.deps.platform.state, files: connector.deps.platform.files });
async function heartlandOrder(incrementId: string): Promise<{ id: number; total: number; status: string } | undefined> {
  const filter = encodeURIComponent(JSON.stringify({ 'custom@ecommerce_number': incrementId }));
  return (await hl.request<{ results: Array<{ id: number; total: number; status: string }> }>('GET', `sales/orders?_filter=${filter}`)).results[0];
}
/** Sent means open: the order flow creates a pending order and opens it once complete. */
const isOpen = (o: { status: string } | undefined) => o?.status === 'open';
async function fraudAnomaliesFor(orderIds: Set<string>): Promise<Anomaly[]> {
  return (await anomalies().listRecent({ days: 1 })).filter((a) => a.kind === 'fraud' && orderIds.has(String(a.details.orderId)));
}

const TAX_RATE = 0.0825;
const cents = (n: number) => Math.round(n * 100) / 100;

/** A taxed web order of one buyer, as checkout would save it. */
async function placeOrder(email: string, street: string, qty: number, sku = seed.items[0].sku, price = seed.items[0].price) {
  const row = cents(qty * price);
  const tax = cents(row * TAX_RATE);
  const grand = cents(row + tax + 5);
  const address = (type: string) => ({ address_type: type, firstname: 'Pat', lastname: 'Lee', street: [street], city: 'Austin', region: 'Texas', region_code: 'TX', postcode: '78701', country_id: 'US', telephone: '512-555-0100', email });
  return mc.request<{ entity_id: number; increment_id: string; grand_total: number }>('POST', 'orders', {
    entity: {
      state: 'processing', status: 'processing', customer_email: email, customer_firstname: 'Pat', customer_lastname: 'Lee', customer_is_guest: 1,
      items: [{ sku, name: sku, product_type: 'simple', qty_ordered: qty, price, row_total: row, tax_amount: tax, tax_percent: TAX_RATE * 100 }],
      subtotal: row, tax_amount: tax, shipping_amount: 5, grand_total: grand, base_grand_total: grand,
      billing_address: address('billing'),
      payment: { method: 'checkmo', amount_ordered: grand },
      extension_attributes: { shipping_assignments: [{ shipping: { address: address('shipping'), method: 'flatrate_flatrate', total: { shipping_amount: 5 } } }] },
    },
  });
}

let ordinaryTotals: number[] = [];

describe('insights over the sandbox', () => {
  it('an ordinary stream of web orders raises no anomaly', async () => {
    // Web orders as the sandbox's demo traffic places them (sandbox/demo/workload.ts): guests and the
    // seed's five registered customers, one to three taxed lines, its carriers and payment methods.
    const workload = createWorkload({ heartland: hl, commerce: mc, seed, random: seededRandom(12) });
    const placed: Array<{ entity_id: number; increment_id: string }> = [];
    for (let i = 0; i < 20; i++) {
      const order = await workload.placeWebOrder();
      placed.push({ entity_id: order.entityId, increment_id: order.incrementId });
    }
    expect(new Set(workload.ledger.webOrders.map((o) => o.email)).size).toBeLessThan(20); // returning buyers among them
    const found = await waitFor('every ordinary order open in Heartland', async () => {
      const orders = await Promise.all(placed.map((o) => heartlandOrder(o.increment_id)));
      return orders.every(isOpen) && orders;
    }, 75_000);
    ordinaryTotals = found.map((o) => Number(o!.total));
    expect(await anomalies().listRecent({ days: 1 })).toEqual([]);
    // Every order is in the record the next order's fraud score reads, once.
    expect((await readRecentOrders(connector.deps.platform.files, Date.now())).map((o) => o.orderId).sort()).toEqual(placed.map((o) => String(o.entity_id)).sort());
  }, 90_000);

  it('holds an order at 30× the median until it is approved, and alerts it', async () => {
    const target = median(ordinaryTotals) * 30;
    const item = seed.items[0];
    const qty = Math.ceil(target / item.price);
    const order = await placeOrder('first.time@example.com', '77 Spender Way', qty);
    expect(order.grand_total).toBeGreaterThanOrEqual(target);
    const [held] = await waitFor('a held fraud anomaly', async () => {
      const found = await fraudAnomaliesFor(new Set([String(order.entity_id)]));
      return found.length > 0 && found;
    });
    expect(held.summary).toMatch(/median/);
    expect(held).toMatchObject({ holds: true, status: 'open', flow: 'order' });
    expect(await heartlandOrder(order.increment_id)).toBeUndefined();

    // The scheduler's watch feed announces it to the webhook.
    await pollFeed(connector.deps.registry.feed(INSIGHTS_WATCH_FEED), connector.deps, Date.now() + 20_000);
    expect(alerts.filter((a) => a.kind === 'anomaly' && a.subject === held.id)).toHaveLength(1);
    await pollFeed(connector.deps.registry.feed(INSIGHTS_WATCH_FEED), connector.deps, Date.now() + 20_000);
    expect(alerts.filter((a) => a.kind === 'anomaly' && a.subject === held.id)).toHaveLength(1);

    const released = await releaseHeldOrder(held.id, connector.deps, { by: 'e2e-reviewer' });
    expect(released.outcome).toMatchObject({ outcome: 'done', action: 'created' });
    expect(await heartlandOrder(order.increment_id)).toMatchObject({ status: 'open' });
  }, 40_000);

  it('flags a burst of 20 orders from one email, held at the threshold the merchant set', async () => {
    await saveConnectorSettings(demoStateStore(sandbox), { fraud: { holdAtScore: 40 } });
    const burst: Array<{ entity_id: number; increment_id: string }> = [];
    // A card tester's pace: one order every 300 ms (six seconds for the burst). Placed in the same
    // instant, each order's check would read the recent-orders record before the others wrote to it
    // (noted for lib/flows/orders/fraud-hold.ts in the report); spaced, each sees those before it.
    for (let i = 0; i < 20; i++) {
      burst.push(await placeOrder('burst.buyer@example.com', '5 Rapid Rd', 1));
      await sleep(300);
    }
    const ids = new Set(burst.map((o) => String(o.entity_id)));
    // Every order ends one way or the other: open in Heartland, or held.
    const outcome = await waitFor('every burst order sent or held', async () => {
      const inHeartland = await Promise.all(burst.map((o) => heartlandOrder(o.increment_id)));
      const found = await fraudAnomaliesFor(ids);
      const heldIds = new Set(found.filter((a) => a.holds).map((a) => String(a.details.orderId)));
      const settled = burst.every((o, i) => isOpen(inHeartland[i]) || heldIds.has(String(o.entity_id)));
      return settled && { inHeartland, found, heldIds };
    }, 40_000);
    await saveConnectorSettings(demoStateStore(sandbox), { fraud: { holdAtScore: 60 } });
    const flagged = outcome.found.filter((a) => !a.holds);
    const held = outcome.found.filter((a) => a.holds);
    // The orders of a burst are handled at the same moment, so how many each one saw before it
    // varies; the burst is caught either way, and listed (not held) at most once.
    expect(flagged.length).toBeLessThanOrEqual(1);
    expect(held.length).toBeGreaterThanOrEqual(5);
    expect(outcome.found.every((a) => /other orders from burst.buyer@example.com/.test(a.summary))).toBe(true);
    // Held means not sent: exactly the orders missing in Heartland are the held ones.
    expect(outcome.inHeartland.filter((o) => !o).length).toBe(held.length);
    // The reviewer rejects them: they stay unsent, also on a later event.
    for (const a of held) await anomalies().reject(a.id, { by: 'e2e-reviewer', note: 'card testing' });
  }, 60_000);

  it('the reconciliation report lists exactly the seeded mismatches', async () => {
    // The report covers the range from here: three fresh orders, sent and invoiced, plus the seeds.
    await sleep(1_100); // Magento times have whole seconds
    const from = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const fresh: Array<{ entity_id: number; increment_id: string }> = [];
    for (let i = 0; i < 3; i++) fresh.push(await placeOrder(`reconcile.${i}@example.com`, `${i + 1} Ledger Lane`, 1, seed.items[i].sku, seed.items[i].price));
    await waitFor('the fresh orders open in Heartland', async () => (await Promise.all(fresh.map((o) => heartlandOrder(o.increment_id)))).every(isOpen), 20_000);
    for (const o of fresh) await mc.request('POST', `order/${o.entity_id}/invoice`, { capture: true });
    // 1. A total changed in Magento after the order was sent.
    const changed = fresh[1];
    await mc.request('POST', 'orders', { entity: { entity_id: changed.entity_id, grand_total: 1234.5, base_grand_total: 1234.5 } });
    // 2. A Heartland web order whose number Magento never had.
    await hl.request('POST', 'sales/orders', { status: 'pending', custom: { ecommerce_number: '999000888' }, station_id: seed.stationId, source_location_id: seed.sourceLocationId });
    // 3. A Magento order never sent: its payment is still pending.
    const unsent = await mc.request<{ entity_id: number; increment_id: string }>('POST', 'orders', {
      entity: { state: 'new', status: 'pending', customer_email: 'slow.payer@example.com', customer_is_guest: 1, items: [{ sku: seed.items[1].sku, qty_ordered: 1, price: 10, row_total: 10, product_type: 'simple' }], subtotal: 10, grand_total: 15, base_grand_total: 15, payment: { method: 'checkmo' } },
    });

    // 4. A credit memo that never became a Heartland Return (the refund flow is off in this file).
    const refunded = await mc.request<{ items: Array<{ item_id: number }> }>('GET', `orders/${fresh[2].entity_id}`);
    await mc.request('POST', `order/${fresh[2].entity_id}/refund`, { items: [{ order_item_id: refunded.items[0].item_id, qty: 1 }], arguments: { shipping_amount: 0 } });

    const clients = connector.deps.clients!;
    const logger = connector.deps.platform.logger;
    const ctx: Pick<TaskContext, 'state' | 'files' | 'clock' | 'client'> = {
      state: connector.deps.platform.state,
      files: connector.deps.platform.files,
      clock: connector.deps.platform.clock,
      client: ((u: 'heartland' | 'commerce') => clients[u]!({ correlationId: 'e2e-reconcile', logger })) as TaskContext['client'],
    };
    const run = await runOrderReconciliation({ from, to: new Date(Date.now() + 60_000).toISOString() }, ctx);
    const report = JSON.parse((await createReconciliationReports({ files: connector.deps.platform.files }).read(run.report.name, 'json'))!);
    const mismatches = (report.rows as Array<{ kind: string; orderNumber: string; status: string }>).filter((r) => r.status !== 'matched').map((r) => `${r.kind} ${r.orderNumber} ${r.status}`);
    expect(mismatches.sort()).toEqual(
      [`order ${changed.increment_id} amount_mismatch`, 'order 999000888 missing_in_magento', `order ${unsent.increment_id} missing_in_heartland`, `refund ${fresh[2].increment_id} missing_in_heartland`].sort(),
    );
    expect(run.summary.counts.order.matched).toBe(2);
    expect(run.summary.counts.payment.matched).toBe(3);
  }, 60_000);

  it('holds a Heartland price typed ten times too high; Magento keeps its price until the change is approved', async () => {
    const item = seed.items[2];
    const magentoPrice = async () => Number((await mc.request<{ price: number }>('GET', `products/${encodeURIComponent(item.sku)}`)).price);
    const before = await magentoPrice();
    const typo = cents(before * 10);
    // The item.updated notification brings the change to the product flow.
    await hl.request('PUT', `items/${item.id}`, { price: typo, original_price: null });
    const [held] = await waitFor('a held price change', async () => {
      const found = (await anomalies().listRecent({ days: 1 })).filter((a) => a.kind === 'price_change' && a.details.sku === item.sku);
      return found.length > 0 && found;
    });
    expect(held).toMatchObject({ flow: 'product', holds: true, status: 'open', details: { sku: item.sku, changes: [{ field: 'price', old: before, new: typo, changePercent: 900 }] } });
    expect(await magentoPrice()).toBe(before);
    // Approved on the Anomalies page (the admin API's approve): the scheduler's feed writes it.
    await anomalies().approve(held.id, { by: 'e2e-reviewer' });
    const pass = await pollFeed(connector.deps.registry.feed(HELD_PRICE_CHANGES_FEED), connector.deps, Date.now() + 20_000);
    expect(pass).toMatchObject({ units: 1, outcomes: { done: 1 } });
    expect(await magentoPrice()).toBe(typo);
  }, 30_000);
});

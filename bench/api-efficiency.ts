/**
 * Benchmark `api-efficiency` (issue 13): Heartland and Magento API calls per synced order, shipment
 * and customer, from the simulators' counters. Target: order ≤ 8 Heartland calls with warm caches.
 *
 * The connector runs in this process (its Heartland limit raised so the run is quick: the limit
 * changes timing, not the number of calls); the sandbox runs in a child with its event delivery
 * and Heartland notifications switched off, so nothing but the units run here calls the
 * simulators while they are counted. Each kind is measured in its own phase: the benchmark's own
 * set-up writes (orders, invoices, customers) happen before the counters are read.
 *
 * `cold` is the first unit of a kind after the connector started (look-up caches empty); `warm`
 * the mean over the rest.
 *
 * Side by side, naive (computed from the same orders): a connector without look-up caches asks
 * Heartland for each line's item by SKU, the payment type and the shipping method on every order,
 * and writes each order line as its own request — what our warm figure avoids or shares.
 *
 * Lower bound per order, from the Heartland API's shape (heartland.md) and what each order needs:
 * the idempotency search by ecommerce number (1) + find the customer (1) + for a new shopper,
 * create it (1) and its addresses (billing 1, shipping 1 more when it differs) / for a returning
 * one, read its addresses (1) and create only addresses it does not have yet + the order with its
 * lines inline (1) + the payment (1) + open (1). Reported as actual ÷ lower bound.
 */
import { emitResult, ratio, round, scaled } from './support/report';
import { settle, startSandboxChild, stopSandboxChild, useChildPlatform } from './support/sandbox-child';
import { orderFactory, placeOrder } from './support/orders';
import { heartlandCallsSince } from './support/heartland-orders';

const ORDERS = scaled(40, 3);
const CUSTOMERS = scaled(20, 2);

const child = await startSandboxChild({ items: 60, customers: 5 });
try {
  useChildPlatform(child);
  const { commerceApi, heartlandApi, heartlandAll } = await import('../sandbox/demo/sim-http');
  const { createConnector } = await import('../lib/connector');
  const { runRegisteredUnit } = await import('../lib/sync');
  const mc = commerceApi(child.commerceUrl, { token: child.env.COMMERCE_ACCESS_TOKEN });
  const hl = heartlandApi(child.heartlandUrl, { token: child.env.HEARTLAND_API_TOKEN });
  await settle(child);
  await mc.control('PUT', 'events/settings', { target: null });
  await hl.control('PUT', 'notifications/settings', { enabled: false });
  const connector = createConnector({ inputs: child.env, tuning: { heartlandRatePerSecond: 1_000, commerceRatePerSecond: 1_000 } });

  const totals = async () => ({
    heartland: (await hl.control<{ total: number }>('GET', 'counters')).total,
    magento: (await mc.control<{ total: number }>('GET', 'counters')).total,
  });
  /** Runs units one at a time, counting each one's calls. */
  async function measure(units: Array<{ flow: string; key: string }>) {
    const per: Array<{ heartland: number; magento: number }> = [];
    for (const u of units) {
      const before = await totals();
      const outcome = await runRegisteredUnit({ ...u, trigger: 'event' }, connector.deps);
      const after = await totals();
      if (outcome.outcome !== 'done') throw new Error(`${u.flow} ${u.key} ended ${outcome.outcome}: ${JSON.stringify(outcome)}`);
      // The control reads themselves (GET /__sim/counters) are not API calls: the simulators do not count /__sim/.
      per.push({ heartland: after.heartland - before.heartland, magento: after.magento - before.magento });
    }
    const warm = per.slice(1);
    const mean = (k: 'heartland' | 'magento') => round(warm.reduce((s, p) => s + p[k], 0) / Math.max(1, warm.length), 2);
    return { units: per.length, cold: per[0], warm: { heartland: mean('heartland'), magento: mean('magento') }, perUnit: per };
  }

  // --- orders ------------------------------------------------------------------------------------
  const factory = orderFactory(child.seed.items.map((i) => ({ sku: i.sku, price: i.price })), { runId: `api${Date.now()}` });
  const entities = Array.from({ length: ORDERS }, (_, n) => factory.entity(n));
  const placed = [];
  for (const e of entities) placed.push(await placeOrder(mc, e));
  const orderPhaseStart = Date.now();
  const orders = await measure(placed.map((p) => ({ flow: 'order', key: String(p.entity_id) })));
  const orderCalls = await heartlandCallsSince(child.heartlandUrl, orderPhaseStart);
  const perOrderByEndpoint = Object.fromEntries(Object.entries(orderCalls.byEndpoint).map(([k, n]) => [k, round(n / placed.length, 2)]));

  // Lower bound and naive per order, from each order's lines, addresses and whether its shopper is new to Heartland.
  const addressesOf = new Map<string, Set<string>>();
  const addressKey = (a: unknown) => JSON.stringify(a, ['firstname', 'lastname', 'street', 'city', 'region_code', 'postcode', 'country_id', 'telephone']);
  let lowerBound = 0;
  let naive = 0;
  entities.forEach((e, n) => {
    const lines = (e.items as unknown[]).length;
    const email = String(e.customer_email);
    const isNew = !addressesOf.has(email);
    const known = addressesOf.get(email) ?? new Set<string>();
    addressesOf.set(email, known);
    const shipping = (e.extension_attributes as { shipping_assignments: Array<{ shipping: { address: unknown } }> }).shipping_assignments[0]!.shipping.address;
    let addressCreates = 0;
    for (const a of [e.billing_address, shipping]) {
      const key = addressKey(a);
      if (!known.has(key)) addressCreates++;
      known.add(key);
    }
    if (n === 0) return; // warm figures exclude the first order (its addresses still count as known)
    const createOrReadAddresses = 1; // a new shopper is created; a returning one's addresses are read
    lowerBound += 1 + 1 + createOrReadAddresses + addressCreates + 1 + 1 + 1; // search, find, create | read, new addresses, order, payment, open
    // naive: search, find, create if new, item look-up per line, order, one POST per line, payment
    // type and shipping method look-ups, payment, open, two address creates every time
    naive += 1 + 1 + (isNew ? 1 : 0) + lines + 1 + lines + 2 + 1 + 1 + 2;
  });
  const warmOrders = Math.max(1, ORDERS - 1);
  const lowerBoundPerOrder = lowerBound / warmOrders;
  const naivePerOrder = naive / warmOrders;

  // --- shipments: a completed Heartland invoice per synced order --------------------------------
  // Set-up: the fulfilment source holds enough of every SKU to ship (MSI refuses a shipment the source
  // cannot cover; with notifications off the stock flow does not keep Magento in step here).
  const fulfilmentSource = child.seed.locations.find((l) => l.id === child.seed.sourceLocationId)!.sourceCode;
  await mc.request('POST', 'inventory/source-items', { sourceItems: child.seed.skus.map((sku) => ({ sku, source_code: fulfilmentSource, quantity: 10_000, status: 1 })) });
  const invoiceIds: number[] = [];
  for (const p of placed) {
    const [order] = await heartlandAll<{ id: number }>(hl, 'sales/orders', { _filter: JSON.stringify({ 'custom@ecommerce_number': p.increment_id }) });
    if (!order) throw new Error(`order ${p.increment_id} is not in Heartland`);
    const lines = await heartlandAll<{ id: number; item_id: number; qty: number }>(hl, `sales/orders/${order.id}/lines`);
    const invoice = await hl.send('POST', 'sales/invoices', { order_id: order.id, source_location_id: child.seed.sourceLocationId, station_id: child.seed.stationId });
    const invoiceId = Number(invoice.location!.split('/').pop());
    for (const l of lines) await hl.send('POST', `sales/invoices/${invoiceId}/lines`, { item_id: l.item_id, qty: l.qty, order_line_id: l.id });
    await hl.send('PUT', `sales/invoices/${invoiceId}`, { status: 'complete', custom: { tracking_number: `1Z${invoiceId}`, shipping_carrier: 'UPS' } });
    invoiceIds.push(invoiceId);
  }
  const shipments = await measure(invoiceIds.map((id) => ({ flow: 'shipment', key: String(id) })));

  // --- customers: new Magento customers → Heartland -------------------------------------------
  const customerIds: number[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const c = await mc.request<{ id: number }>('POST', 'customers', { customer: { email: `bench.customer${i}.${Date.now()}@example.com`, firstname: 'Casey', lastname: `Bench${i}`, website_id: 1 } });
    customerIds.push(c.id);
  }
  const customers = await measure(customerIds.map((id) => ({ flow: 'customer-to-heartland', key: String(id) })));

  const strip = (m: Awaited<ReturnType<typeof measure>>) => ({ units: m.units, cold: m.cold, warm: m.warm });
  emitResult({
    label: 'connector in the benchmark process, Heartland limit raised to 1,000 req/s (timing only), simulators with no injected latency',
    order: { ...strip(orders), target: 'warm <= 8 Heartland calls', met: orders.warm.heartland <= 8, lowerBoundHeartland: round(lowerBoundPerOrder, 2), actualOverLowerBound: ratio(orders.warm.heartland, lowerBoundPerOrder), heartlandPerOrderByEndpoint: perOrderByEndpoint },
    shipment: strip(shipments),
    customer: strip(customers),
    naive: { label: 'computed from the same orders: no look-up caches, a fresh address each order', orderHeartland: round(naivePerOrder, 2) },
    naiveOverOurs: { orderHeartland: ratio(naivePerOrder, orders.warm.heartland) },
  });
} finally {
  await stopSandboxChild(child);
}

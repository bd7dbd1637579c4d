/**
 * Contract tests: every request the Heartland client can make, against the simulator on an
 * ephemeral port, including the business rules the flows rely on (order lifecycle and stock
 * commitment, invoices, tickets and returns, adjustment sets, gift cards).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeartlandSimulator, type HeartlandSimulator } from '../../sandbox/heartland/server';
import { createHeartlandClient, collect, idFromLocation, type HeartlandClient } from '../../lib/heartland/client';
import { fieldErrors, isNotFound } from '../../lib/heartland/errors';
import { UpstreamError } from '../../lib/platform/http';

let sim: HeartlandSimulator;
let hl: HeartlandClient;
let root: string;
let seed: any;

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(root + '__sim/' + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.status === 204 ? undefined : res.json();
}

beforeAll(async () => {
  sim = await startHeartlandSimulator({ port: 0 });
  root = sim.url.replace(/api\/$/, '');
  seed = await control('POST', 'seed', { items: 30, locations: 2, customers: 3, seed: 3, stock: { min: 10, max: 10 } });
  hl = createHeartlandClient({ baseUrl: sim.url, token: 'sandbox-heartland-token', ratePerSecond: 200, pageSize: 7 });
});
afterAll(() => sim.close());

const stockOf = async (itemId: number, locationId: number) => (await hl.inventory.getValues([itemId], [locationId]))[0];

describe('transport', () => {
  it('requires a token or OAuth source', () => {
    expect(() => createHeartlandClient({ baseUrl: sim.url })).toThrow(/token/);
  });
  it('maps Heartland errors into UpstreamError with code, status and field details', async () => {
    const err = await hl.customers.create({ first_name: 'x', last_name: 'y', email: 'x@y.com', custom: { magento_customer_id: 5 as unknown as string } }).then(() => undefined, (e) => e);
    expect(err).toBeUndefined(); // numbers are valid custom values
    const bad = await hl.request({ method: 'POST', path: 'items', body: { description: '' } }).catch((e) => e);
    expect(bad).toBeInstanceOf(UpstreamError);
    expect(bad).toMatchObject({ status: 422, code: 'validation_error', retryable: false });
    expect(fieldErrors(bad)).toMatchObject({ description: [expect.any(String)], cost: ["can't be blank"] });
    expect(bad.message).toMatch(/422/);
  });
  it('surfaces 401 for a wrong token', async () => {
    const other = createHeartlandClient({ baseUrl: sim.url, token: 'wrong' });
    await expect(other.items.get(seed.items.firstId)).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });
  it('uses an OAuth access token source when given', async () => {
    const viaOauth = createHeartlandClient({ baseUrl: sim.url, oauth: { getAccessToken: async () => 'sandbox-heartland-token' } });
    expect((await viaOauth.items.get(seed.items.firstId)).id).toBe(seed.items.firstId);
  });
  it('parses ids from Location headers', () => {
    expect(idFromLocation('/api/sales/orders/100900')).toBe(100900);
    expect(idFromLocation('https://x.retail.heartland.us/api/items/7/')).toBe(7);
    expect(idFromLocation(null)).toBeUndefined();
  });
  it('counts with one request and checks existence with HEAD', async () => {
    expect(await hl.count('items')).toBe(30);
    expect(await hl.items.exists(seed.items.firstId)).toBe(true);
    expect(await hl.items.exists(1)).toBe(false);
    expect(await hl.items.find(1)).toBeUndefined();
  });
});

describe('locations, customers, items', () => {
  it('lists locations with stations and finds by public_id', async () => {
    const locs = await hl.locations.list({ includeStations: true });
    expect(locs).toHaveLength(2);
    expect(locs[0].stations?.[0].location_id).toBe(locs[0].id);
    expect((await hl.locations.findByPublicId(locs[1].public_id!))?.id).toBe(locs[1].id);
    expect((await hl.locations.get(locs[0].id)).id).toBe(locs[0].id);
    const st = await hl.locations.createStation({ location_id: locs[0].id, name: 'Web' });
    expect((await hl.locations.listStations(locs[0].id)).map((s) => s.id)).toContain(st.id);
  });
  it('creates, finds and updates customers and addresses', async () => {
    const c = await hl.customers.create({ first_name: 'Jane', last_name: 'Doe', email: 'jane.doe@example.com', custom: { magento_customer_id: '42' } });
    expect(c.id).toBeGreaterThan(100000);
    expect((await hl.customers.findByEmail('jane.doe@example.com'))?.id).toBe(c.id);
    expect((await hl.customers.findByCustom('magento_customer_id', '42'))?.id).toBe(c.id);
    expect((await hl.customers.findByPublicId(c.public_id!))?.id).toBe(c.id);
    expect((await hl.customers.search('jane.doe')).map((x) => x.id)).toContain(c.id);
    expect((await hl.customers.update(c.id, { last_name: 'Roe' })).last_name).toBe('Roe');
    expect((await hl.customers.get(c.id)).last_name).toBe('Roe');
    const a = await hl.customers.createAddress(c.id, { first_name: 'Jane', last_name: 'Roe', line_1: '1 Main St', city: 'Boston', state: 'MA', postal_code: '02127', country: 'US', phone: '555-0100' });
    expect((await hl.customers.updateAddress(c.id, a.id, { line_2: 'Apt 2' })).line_2).toBe('Apt 2');
    expect((await hl.customers.getAddress(c.id, a.id)).city).toBe('Boston');
    expect((await hl.customers.listAddresses(c.id)).map((x) => x.id)).toEqual([a.id]);
    const all = await collect(hl.customers.iterate());
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(await hl.customers.findByEmail('nobody@example.com')).toBeUndefined();
    expect(await hl.customers.find(1)).toBeUndefined();
  });
  it('rejects a duplicate unique custom field value', async () => {
    const err = await hl.customers.create({ first_name: 'J', last_name: 'D', custom: { magento_customer_id: '42' } }).catch((e) => e);
    expect(fieldErrors(err)).toMatchObject({ 'custom@magento_customer_id': ['has already been taken'] });
  });
  it('reads items by id, SKU, SKUs, custom field, grid, search and keyset', async () => {
    const first = await hl.items.get(seed.items.firstId);
    expect((await hl.items.findBySku(first.public_id!))?.id).toBe(first.id);
    const many = await hl.items.findBySkus([first.public_id!, 'NOPE', first.public_id!]);
    expect([...many.keys()]).toEqual([first.public_id]);
    expect((await hl.items.findByCustom('upc', String(first.custom!.upc)))?.id).toBe(first.id);
    expect((await hl.items.getGrid(first.grid_id!)).id).toBe(first.grid_id);
    expect((await hl.items.listGridItems(first.grid_id!)).length).toBe(5);
    expect((await hl.items.search(first.public_id!)).map((i) => i.id)).toEqual([first.id]);
    expect((await hl.items.getMany([first.id, first.id + 1])).map((i) => i.id)).toEqual([first.id, first.id + 1]);
    const ids = (await collect(hl.items.iterate())).map((i) => i.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect((await collect(hl.items.iterate({ afterId: seed.items.firstId + 27 }))).length).toBe(2);
  });
  it('creates and updates items; updatedAfter picks only changed ones', async () => {
    const mark = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const item = await hl.items.create({ description: 'Test Tee - Red - M', cost: 5, price: 19.99, public_id: 'TT-RED-M', custom: { color: 'Red' } });
    expect(item).toMatchObject({ public_id: 'TT-RED-M', price: 19.99, active: true });
    expect((await hl.items.update(item.id, { price: 17.5 })).price).toBe(17.5);
    const changed = await collect(hl.items.iterate({ updatedAfter: mark }));
    expect(changed.map((i) => i.id)).toEqual([item.id]);
    const dup = await hl.items.create({ description: 'x', cost: 1, price: 2, public_id: 'TT-RED-M' }).catch((e) => e);
    expect(fieldErrors(dup)).toMatchObject({ public_id: ['has already been taken'] });
  });
  it('reads custom field definitions and settings', async () => {
    const fields = await hl.customFields.list('sales.transaction');
    expect(fields.map((f) => f.key)).toEqual(expect.arrayContaining(['ecommerce_number', 'tracking_number', 'shipping_carrier']));
    await hl.request({ method: 'PUT', path: 'settings/pos.tickets.customer_required', body: { value: true } });
    expect(await hl.settings.get('pos.tickets.customer_required')).toBe(true);
  });
  it('lists payment types and shipping methods, creates a payment type', async () => {
    expect((await hl.paymentTypes.list()).map((p) => p.name)).toContain('Web');
    expect((await hl.paymentTypes.findByName('External'))?.name).toBe('External');
    expect((await hl.paymentTypes.create({ name: 'Magento' })).name).toBe('Magento');
    expect((await hl.shippingMethods.list()).length).toBe(3);
    expect((await hl.shippingMethods.findByName('Ground'))?.name).toBe('Ground');
  });
});

describe('order to cash', () => {
  it('pending → lines/taxes/discounts/payment → open commits stock → partial invoices → closed', async () => {
    const [loc] = seed.locations;
    const [station] = seed.stations;
    const itemA = seed.items.firstId;
    const itemB = seed.items.firstId + 1;
    const customer = await hl.customers.create({ first_name: 'Web', last_name: 'Buyer', email: 'buyer@example.com' });
    const address = await hl.customers.createAddress(customer.id, { first_name: 'Web', last_name: 'Buyer', line_1: '2 Elm', city: 'Austin', state: 'TX', postal_code: '78701', country: 'US' });

    expect(await hl.orders.findByEcommerceNumber('000000123')).toBeUndefined();
    const order = await hl.orders.create({
      customer_id: customer.id, billing_address_id: address.id, shipping_address_id: address.id, shipping_charge: 7.95,
      shipping_method_id: seed.shippingMethods.Ground, status: 'pending', sales_rep: 'Ecommerce', source_location_id: loc, station_id: station,
      custom: { ecommerce_number: '000000123' },
    });
    expect(order.status).toBe('pending');
    expect((await hl.orders.findByEcommerceNumber('000000123'))?.id).toBe(order.id);
    expect((await hl.orders.findByPublicId(order.public_id!))?.id).toBe(order.id);

    const lineA = await hl.orders.addLine(order.id, { item_id: itemA, qty: 2, original_unit_price: 50, adjusted_unit_price: 45, ship_from_location_id: loc, total_tax: 7.43 });
    const lineB = await hl.orders.addLine(order.id, { item_id: itemB, qty: 1, original_unit_price: 20, adjusted_unit_price: 20 });
    await hl.orders.updateLine(order.id, lineB.id, { ship_from_location_id: loc });
    await hl.orders.addTax(order.id, { description: 'TX tax', value: 9.08 });
    await hl.orders.addDiscount(order.id, { description: 'Coupon X', amount: -5 });
    const pay = await hl.orders.addPayment(order.id, { type: 'CustomPayment', payment_type_id: seed.paymentTypes.Web, amount: 129.46, deposit: true, custom: { gateway_transaction_id: 'txn_1' } });
    expect(pay).toMatchObject({ status: 'complete', amount: 129.46, custom: { gateway_transaction_id: 'txn_1' } });
    expect((await hl.orders.listLines(order.id)).map((l) => l.id)).toEqual([lineA.id, lineB.id]);
    expect((await hl.orders.listTaxes(order.id))[0].value).toBe(9.08);
    expect((await hl.orders.listDiscounts(order.id))[0].amount).toBe(-5);
    expect((await hl.orders.listPayments(order.id)).map((p) => p.id)).toEqual([pay.id]);

    // Pending orders commit nothing.
    expect(await stockOf(itemA, loc)).toMatchObject({ qty_on_hand: 10, qty_committed: 0, qty_available: 10 });
    const lastTxn = await hl.inventory.lastTransactionId();
    const opened = await hl.orders.open(order.id);
    expect(opened.status).toBe('open');
    // Line tax counts in the total (heartland.md §3.5: 2 × 45 + 7.43 tax + 7.95 shipping = 105.38).
    expect(opened.total).toBe(Math.round((2 * 45 + 7.43 + 20 + 9.08 - 5 + 7.95) * 100) / 100);
    expect(opened.balance).toBe(0);
    expect(await stockOf(itemA, loc)).toMatchObject({ qty_on_hand: 10, qty_committed: 2, qty_available: 8 });
    const txns = await collect(hl.inventory.iterateTransactions({ afterId: lastTxn }));
    expect(txns.map((t) => [t.item_id, t.delta_qty_committed])).toEqual([[itemA, 2], [itemB, 1]]);

    const full = await hl.orders.get(order.id, { include: ['lines', 'payments', 'customer'] });
    expect(full.lines).toHaveLength(2);
    expect(full.customer?.id).toBe(customer.id);

    // First invoice ships item A only, with tracking in custom fields.
    const inv1 = await hl.invoices.create({ order_id: order.id, customer_id: customer.id, source_location_id: loc, station_id: station });
    await hl.invoices.addLine(inv1.id, { item_id: itemA, qty: 2, order_line_id: lineA.id });
    expect((await hl.invoices.listLines(inv1.id))[0]).toMatchObject({ item_id: itemA, qty: 2, order_line_id: lineA.id });
    await hl.invoices.update(inv1.id, { custom: { tracking_number: '1Z999', shipping_carrier: 'ups' } });
    const done1 = await hl.invoices.complete(inv1.id);
    expect(done1).toMatchObject({ status: 'complete', custom: { tracking_number: '1Z999', shipping_carrier: 'ups' } });
    expect(await stockOf(itemA, loc)).toMatchObject({ qty_on_hand: 8, qty_committed: 0, qty_available: 8 });
    expect((await hl.orders.get(order.id)).status).toBe('open');

    // Over-invoicing is refused with a field error.
    const inv2 = await hl.invoices.create({ order_id: order.id, source_location_id: loc, station_id: station });
    const over = await hl.invoices.addLine(inv2.id, { item_id: itemB, qty: 2 }).catch((e) => e);
    expect(fieldErrors(over)).toMatchObject({ qty: [expect.stringMatching(/exceeds/)] });
    await hl.invoices.addLine(inv2.id, { item_id: itemB, qty: 1 });
    await hl.invoices.complete(inv2.id, { tracking_number: 'TRK2' });
    expect((await hl.orders.get(order.id)).status).toBe('closed');
    expect(await stockOf(itemB, loc)).toMatchObject({ qty_on_hand: 9, qty_committed: 0 });

    expect((await hl.invoices.listForOrder(order.id, { includeLines: true })).map((i) => [i.id, i.lines?.length])).toEqual([[inv1.id, 1], [inv2.id, 1]]);
    expect((await hl.invoices.get(inv2.id, { includeLines: true })).custom?.tracking_number).toBe('TRK2');
    expect((await collect(hl.invoices.iterate({ status: 'complete' }))).map((i) => i.id)).toEqual([inv1.id, inv2.id]);
    expect(await hl.invoices.find(1)).toBeUndefined();

    // A closed order cannot be changed any more.
    const closed = await hl.orders.update(order.id, { status: 'open' }).catch((e) => e);
    expect(fieldErrors(closed)?.status?.[0]).toMatch(/closed/);

    // Return of item A against the first invoice puts stock back.
    const ret = await hl.tickets.create({
      type: 'Return', station_id: station, customer_id: customer.id, status: 'complete', parent_transaction_id: inv1.id,
      item_lines: [{ type: 'ItemLine', item_id: itemA, qty: -1, unit_price: 45 }],
      payments: [{ type: 'CustomPayment', payment_type_id: seed.paymentTypes.Web, amount: -45 }],
      custom: { ecommerce_creditmemo: 'CM-1' },
    });
    expect(ret).toMatchObject({ type: 'Return', status: 'complete', parent_transaction_id: inv1.id, 'completed?': true, total: -45 });
    expect(await stockOf(itemA, loc)).toMatchObject({ qty_on_hand: 9 });
    expect((await hl.tickets.findByCustom('ecommerce_creditmemo', 'CM-1'))?.id).toBe(ret.id);
    expect((await collect(hl.tickets.iterate({ type: 'Return', status: 'complete', includeLines: true })))[0].lines?.[0].qty).toBe(-1);
    expect((await hl.tickets.listLines(ret.id))).toHaveLength(1);
    expect((await hl.tickets.get(ret.id, { includeLines: true })).lines).toHaveLength(1);
  });

  it('cancelling an open order releases its commitment; iterate filters by status', async () => {
    const [loc] = seed.locations;
    const item = seed.items.firstId + 5;
    const o = await hl.orders.create({ source_location_id: loc, station_id: seed.stations[0], custom: { ecommerce_number: 'C-1' } });
    await hl.orders.addLine(o.id, { item_id: item, qty: 3, ship_from_location_id: loc });
    await hl.orders.open(o.id);
    expect((await stockOf(item, loc)).qty_committed).toBe(3);
    expect((await hl.orders.cancel(o.id)).status).toBe('canceled');
    expect((await stockOf(item, loc)).qty_committed).toBe(0);
    expect((await collect(hl.orders.iterate({ status: 'canceled' }))).map((x) => x.id)).toEqual([o.id]);
    const updated = await hl.orders.update(o.id, { custom: { note: 'x' } });
    expect(updated.custom).toMatchObject({ ecommerce_number: 'C-1', note: 'x' });
  });

  it('creates an order with inline lines by item_lookup and passes unknown fields through (flat custom@key)', async () => {
    const [loc] = seed.locations;
    const item = await hl.items.get(seed.items.firstId + 12);
    const o = await hl.orders.create({
      source_location_id: loc, station_id: seed.stations[0], status: 'pending', 'custom@ecommerce_number': 'INLINE-1',
      lines: [{ item_lookup: item.public_id!, qty: 2, ship_from_location_id: loc }],
    });
    expect(o.custom).toMatchObject({ ecommerce_number: 'INLINE-1' });
    const lines = await hl.orders.listLines(o.id);
    expect(lines).toEqual([expect.objectContaining({ item_id: item.id, qty: 2, adjusted_unit_price: item.price })]);
    const bad = await hl.orders.create({ source_location_id: loc, station_id: seed.stations[0], lines: [{ item_lookup: 'NO-SUCH-SKU', qty: 1 }] }).catch((e) => e);
    expect(fieldErrors(bad)).toMatchObject({ 'lines.0.item_lookup': [expect.stringContaining('NO-SUCH-SKU')] });
  });

  it('POS tickets deduct stock; pending tickets only on completion', async () => {
    const [, loc2] = seed.locations;
    const [, station2] = seed.stations;
    const item = seed.items.firstId + 7;
    const sale = await hl.tickets.create({ station_id: station2, item_lines: [{ type: 'ItemLine', item_id: item, qty: 2, unit_price: 10 }] });
    expect(sale.status).toBe('pending');
    expect((await stockOf(item, loc2)).qty_on_hand).toBe(10);
    expect((await hl.tickets.complete(sale.id)).status).toBe('complete');
    expect((await stockOf(item, loc2)).qty_on_hand).toBe(8);
    const history = await hl.tickets.create({ station_id: station2, status: 'complete', affect_inventory: false, item_lines: [{ item_id: item, qty: 1, unit_price: 10 }] });
    expect(history.status).toBe('complete');
    expect((await stockOf(item, loc2)).qty_on_hand).toBe(8);
    const badReturn = await hl.tickets.create({ type: 'Return', station_id: station2, item_lines: [{ item_id: item, qty: 1 }] }).catch((e) => e);
    expect(fieldErrors(badReturn)).toMatchObject({ 'lines.0.qty': ['must be negative on a Return'] });
  });
});

describe('inventory', () => {
  it('adjusts stock through an adjustment set and records ledger rows', async () => {
    const [loc] = seed.locations;
    const item = seed.items.firstId + 10;
    const reasons = await hl.inventory.reasonCodes();
    const reason = reasons.find((r) => r.name === 'Damaged')!;
    const before = await hl.inventory.lastTransactionId();
    const set = await hl.inventory.adjust({ location_id: loc, adjustment_reason_id: reason.id, lines: [{ item_id: item, qty: -4, unit_cost: 3 }] });
    expect(set.status).toBe('complete');
    expect((await hl.inventory.getAdjustmentSet(set.id)).lines).toHaveLength(1);
    expect(await stockOf(item, loc)).toMatchObject({ qty_on_hand: 6, qty_available: 6 });
    const txns = await collect(hl.inventory.iterateTransactions({ afterId: before, locationId: loc }));
    expect(txns).toHaveLength(1);
    expect(txns[0]).toMatchObject({ item_id: item, location_id: loc, delta_qty_on_hand: -4, delta_qty_available: -4 });
    expect(txns[0].id).toBeGreaterThan(before);
    expect((await hl.inventory.createReasonCode({ name: 'Shrink' })).name).toBe('Shrink');
    await expect(hl.inventory.adjust({ location_id: loc, adjustment_reason_id: reason.id, lines: [] })).rejects.toThrow(/at least one line/);
  });
  it('pages values, keyset by item, totals per item and batch re-reads', async () => {
    const rows = await collect(hl.inventory.iterateValues());
    expect(rows.length).toBe(30 * 2); // items created through the API have no stock rows until stock moves
    const keyset = await collect(hl.inventory.iterateValuesByItem({ perPage: 3 }));
    expect(keyset.map((r) => `${r.item_id}:${r.location_id}`)).toEqual(rows.map((r) => `${r.item_id}:${r.location_id}`));
    const tiny = await collect(hl.inventory.iterateValuesByItem({ perPage: 1 }));
    expect(tiny).toHaveLength(rows.length);
    const loc1 = await collect(hl.inventory.iterateValues({ locationIds: [seed.locations[0]], includeItem: true }));
    expect(loc1.every((r) => r.location_id === seed.locations[0] && r.item?.id === r.item_id)).toBe(true);
    const totals = await collect(hl.inventory.iterateItemTotals());
    const first = totals.find((t) => t.item_id === seed.items.firstId)!;
    expect(first.qty_on_hand).toBe(rows.filter((r) => r.item_id === seed.items.firstId).reduce((s, r) => s + r.qty_on_hand, 0));
    expect(await hl.inventory.countValues([seed.locations[1]])).toBe(30);
    const batch = await hl.inventory.getValues([seed.items.firstId, seed.items.firstId + 1]);
    expect(batch).toHaveLength(4);
  });
});

describe('gift cards', () => {
  it('creates, looks up by number, adjusts by delta, refuses a negative balance', async () => {
    const reasons = await hl.giftCards.reasonCodes();
    const card = await hl.giftCards.create({ number: 'GC12345', balance: 50, reason_id: reasons[0].id });
    expect(card).toMatchObject({ number: 'GC12345', balance: 50 });
    expect((await hl.giftCards.get('GC12345'))?.id).toBe(card.id);
    expect(await hl.giftCards.get('UNKNOWN1')).toBeUndefined();
    const adj = await hl.giftCards.adjust({ gift_card_id: card.id, reason_id: reasons[1].id, delta_balance: -10 });
    expect(adj?.delta_balance).toBe(-10);
    expect((await hl.giftCards.get('GC12345'))?.balance).toBe(40);
    const tooMuch = await hl.giftCards.adjust({ gift_card_id: card.id, delta_balance: -100 }).catch((e) => e);
    expect(fieldErrors(tooMuch)?.delta_balance?.[0]).toMatch(/negative/);
    expect((await hl.giftCards.listAdjustments(card.id)).map((a) => a.delta_balance)).toEqual([50, -10]);
    expect([...(await hl.giftCards.findMany(['GC12345', 'NOPE'])).keys()]).toEqual(['GC12345']);
    expect((await collect(hl.giftCards.iterate())).length).toBe(1);
    const alt = createHeartlandClient({ baseUrl: sim.url, token: 'sandbox-heartland-token', giftCardAdjustmentPath: 'gift_card_adjustments' });
    await alt.giftCards.adjust({ gift_card_id: card.id, delta_balance: 5 }, 'GC12345');
    expect((await hl.giftCards.get('GC12345'))?.balance).toBe(45);
  });
});

describe('payments', () => {
  it('iterates payments across orders and tickets', async () => {
    const all = await collect(hl.payments.iterate());
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.every((p) => typeof p.amount === 'number')).toBe(true);
  });
  it('404s come back as not found errors', async () => {
    const err = await hl.orders.get(1).catch((e) => e);
    expect(isNotFound(err)).toBe(true);
  });
});

/** Contract tests: every client call against the Commerce simulator on an ephemeral port. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../lib/platform/http';
import { createCommerceClient, searchCriteria, type CommerceClient } from '../../lib/commerce/client';
import { magentoTimestamp } from '../../lib/commerce/search-criteria';
import { isRouteMissing } from '../../lib/commerce/errors';
import { SANDBOX_COMMERCE_CREDENTIALS as C } from '../../sandbox/commerce/credentials';
import { clientFor, oauthAuth, orderEntity, startSim } from './helpers';

let env: Awaited<ReturnType<typeof startSim>>;
let client: CommerceClient;

beforeAll(async () => {
  env = await startSim();
  client = clientFor(env.sim.url);
  await env.control('POST', '/__sim/seed', { skus: ['WS12-M-Orange', 'MH01-XS-Black', 'MUG-01'], sources: ['store_1', 'store_2'], quantity: { min: 20, max: 20 } });
});
afterAll(async () => env.sim.close());

describe('auth', () => {
  it('signs with OAuth 1.0a HMAC-SHA256 including searchCriteria query parameters', async () => {
    const res = await client.products.search(searchCriteria().where('sku', 'WS12-M-Orange').where('name', '% WS12-M-Orange', 'like').page(5, 1));
    expect(res.total_count).toBe(1);
    expect(res.items[0]!.sku).toBe('WS12-M-Orange');
  });

  it('a wrong signature is a 401 with Magento’s ACL message, substituted', async () => {
    const bad = createCommerceClient({ baseUrl: env.sim.url, auth: { ...oauthAuth, consumerSecret: 'wrong' }, storeCode: 'default' });
    const err = await bad.orders.search().catch((e) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('unauthorized');
    expect(err.message).toContain("The consumer isn't authorized to access Magento_Sales::actions_view.");
    expect(err.retryable).toBe(false);
  });

  it('a clock outside the 600 s window is refused', async () => {
    const skewed = createCommerceClient({ baseUrl: env.sim.url, auth: oauthAuth, clock: { now: () => Date.now() - 700_000, sleep: async () => {} } });
    await expect(skewed.orders.search()).rejects.toMatchObject({ status: 401 });
  });

  it('bearer integration token works (enable_integration_as_bearer)', async () => {
    const bearer = createCommerceClient({ baseUrl: env.sim.url, auth: { kind: 'bearer', token: C.accessToken } });
    expect((await bearer.inventory.sources()).total_count).toBeGreaterThanOrEqual(3);
  });

  it('SaaS flavour uses IMS client credentials, the Store header and no /rest prefix; the token is cached', async () => {
    let tokenCalls = 0;
    const countingFetch: typeof fetch = (input, init) => {
      if (String(input).includes('/ims/token/v3')) tokenCalls++;
      return fetch(input, init);
    };
    const saas = createCommerceClient({
      baseUrl: `${env.sim.url}tenant123/`,
      flavour: 'saas',
      fetch: countingFetch,
      auth: { kind: 'ims', clientId: C.imsClientId, clientSecret: C.imsClientSecret, orgId: 'ORG@AdobeOrg', scopes: ['AdobeID', 'openid'], tokenUrl: `${env.sim.url}ims/token/v3` },
    });
    expect(saas.flavour).toBe('saas');
    expect((await saas.products.get('MUG-01')).sku).toBe('MUG-01');
    expect((await saas.inventory.salableQty('MUG-01')) >= 0).toBe(true);
    const bulk = await saas.inventory.bulkSaveSourceItems([{ sku: 'MUG-01', source_code: 'store_2', quantity: 21, status: 1 }]);
    expect((await saas.bulk.waitFor(bulk.bulk_uuid, { pollMs: 10 })).operations_list[0]!.status).toBe(1);
    expect(tokenCalls).toBe(1);
    // A revoked token is replaced transparently (one new token, the call succeeds).
    await env.control('POST', '/__sim/ims/revoke');
    expect((await saas.orders.search(searchCriteria().page(1))).total_count).toBeGreaterThanOrEqual(0);
    expect(tokenCalls).toBe(2);
    expect(() => createCommerceClient({ baseUrl: 'https://na1.api.commerce.adobe.com/t1/', auth: oauthAuth })).toThrow(/IMS/);
  });
});

describe('orders', () => {
  it('save, get, find by increment id, search with fields, comments, status, hold/unhold, cancel', async () => {
    const order = await client.orders.save(orderEntity([{ sku: 'MUG-01', qty: 2, price: 12 }]));
    expect(order.entity_id).toBeGreaterThan(0);
    expect(order.increment_id).toMatch(/^\d{9}$/);
    expect(order.extension_attributes?.shipping_assignments?.[0]?.shipping?.address?.city).toBe('Purchase');
    expect((await client.orders.get(order.entity_id)).grand_total).toBe(29);
    expect((await client.orders.findByIncrementId(order.increment_id))?.entity_id).toBe(order.entity_id);
    expect(await client.orders.find(999_999)).toBeUndefined();
    const found = await client.orders.search(searchCriteria().where('status', 'pending').sortBy('entity_id', 'DESC').page(10));
    expect(found.items.some((o) => o.entity_id === order.entity_id)).toBe(true);
    expect(await client.orders.addComment(order.entity_id, { comment: 'Sent to Heartland as order #1001', status: 'processing' })).toBe(true);
    expect((await client.orders.comments(order.entity_id))[0]!.comment).toBe('Sent to Heartland as order #1001');
    expect(await client.orders.status(order.entity_id)).toBe('processing');
    const moved = await client.orders.save({ entity_id: order.entity_id, state: 'payment_review', status: 'fraud' });
    expect(moved).toMatchObject({ entity_id: order.entity_id, state: 'payment_review', status: 'fraud', increment_id: order.increment_id });
    expect(moved.items).toHaveLength(1);
    await client.orders.save({ entity_id: order.entity_id, state: 'processing', status: 'processing' });
    const address = await client.orders.saveAddress(order.entity_id, { address_type: 'shipping', street: ['9 New St'], city: 'Albany' });
    expect(address).toMatchObject({ address_type: 'shipping', city: 'Albany', street: ['9 New St'] });
    expect((await client.orders.get(order.entity_id)).extension_attributes?.shipping_assignments?.[0]?.shipping?.address?.city).toBe('Albany');
    expect(await client.orders.hold(order.entity_id)).toBe(true);
    await expect(client.orders.hold(order.entity_id)).rejects.toMatchObject({ status: 400, message: expect.stringContaining('A hold action is not available.') });
    expect(await client.orders.unhold(order.entity_id)).toBe(true);
    expect(await client.orders.cancel(order.entity_id)).toBe(true);
    expect(await client.orders.cancel(order.entity_id)).toBe(false);
    expect((await client.orders.get(order.entity_id)).state).toBe('canceled');
  });

  it('pages through every order with all()', async () => {
    const since = magentoTimestamp(Date.now() - 5_000);
    for (let i = 0; i < 5; i++) await client.orders.save(orderEntity([{ sku: 'WS12-M-Orange', qty: 1, price: 22 }], { customer_email: `pager${i}@example.com` }));
    const emails: string[] = [];
    for await (const o of client.orders.all(searchCriteria().where('customer_email', 'pager%', 'like').where('updated_at', since, 'gt').page(2))) emails.push(o.customer_email);
    expect(emails.sort()).toEqual(['pager0@example.com', 'pager1@example.com', 'pager2@example.com', 'pager3@example.com', 'pager4@example.com']);
  });

  it('invoice without capture on an online method, then capture; void', async () => {
    const order = await client.orders.save(orderEntity([{ sku: 'MUG-01', qty: 1, price: 12 }], { payment: { method: 'braintree' } }));
    const invoiceId = await client.orders.invoice(order.entity_id, { capture: false });
    expect((await client.invoices.get(invoiceId)).state).toBe(1);
    expect((await client.orders.get(order.entity_id)).total_paid).toBe(0);
    expect(await client.invoices.capture(invoiceId)).toBe(true);
    expect((await client.orders.get(order.entity_id)).total_paid).toBe(17);
    expect(await client.invoices.void(invoiceId)).toBe(true);
    const after = await client.orders.get(order.entity_id);
    expect(after.total_paid).toBe(0);
    expect(after.items[0]!.qty_invoiced).toBe(0);
    await expect(client.invoices.capture(invoiceId)).rejects.toMatchObject({ status: 400 });
  });

  it('invoice, ship with tracks and MSI source, refund by order and by invoice', async () => {
    const order = await client.orders.save(orderEntity([{ sku: 'WS12-M-Orange', qty: 2, price: 22 }, { sku: 'MH01-XS-Black', qty: 1, price: 50 }]));
    const [itemA, itemB] = order.items;
    const invoiceId = await client.orders.invoice(order.entity_id, { capture: true });
    const invoice = await client.invoices.get(invoiceId);
    expect(invoice.order_id).toBe(order.entity_id);
    expect(invoice.grand_total).toBe(99);
    expect((await client.invoices.search(searchCriteria().where('order_id', order.entity_id))).total_count).toBe(1);

    const shipmentId = await client.orders.ship(order.entity_id, {
      items: [{ order_item_id: itemA!.item_id!, qty: 1 }],
      tracks: [{ track_number: '1Z999', title: 'United Parcel Service', carrier_code: 'ups' }],
      sourceCode: 'store_1',
      notify: false,
    });
    const shipment = await client.shipments.get(shipmentId);
    expect(shipment.tracks?.[0]?.track_number).toBe('1Z999');
    expect(shipment.extension_attributes?.source_code).toBe('store_1');
    expect((await client.shipments.forOrder(order.entity_id)).map((s) => s.entity_id)).toEqual([shipmentId]);
    const track = await client.shipments.addTrack({ shipmentId, orderId: order.entity_id, trackNumber: '1Z000', title: 'UPS', carrierCode: 'ups' });
    expect(track.parent_id).toBe(shipmentId);

    // Over-shipping is refused with Magento's document validation message.
    const over = await client.orders.ship(order.entity_id, { items: [{ order_item_id: itemA!.item_id!, qty: 5 }] }).catch((e) => e);
    expect(over).toBeInstanceOf(UpstreamError);
    expect(over.status).toBe(400);
    expect(over.message).toContain('Shipment Document Validation Error(s)');
    expect(over.message).toContain('WS12-M-Orange');

    const memoId = await client.orders.refund(order.entity_id, { items: [{ order_item_id: itemB!.item_id!, qty: 1 }], arguments: { shipping_amount: 0, extension_attributes: { return_to_stock_items: [itemB!.item_id!] } } });
    const memo = await client.creditMemos.get(memoId);
    expect(memo.grand_total).toBe(50);
    expect((await client.creditMemos.forOrder(order.entity_id)).length).toBe(1);
    const memo2 = await client.invoices.refund(invoiceId, { items: [{ order_item_id: itemA!.item_id!, qty: 1 }] });
    expect((await client.creditMemos.get(memo2)).invoice_id).toBe(invoiceId);
    expect((await client.creditMemos.search(searchCriteria().where('order_id', order.entity_id))).total_count).toBe(2);
    const tooMuch = await client.orders.refund(order.entity_id, { items: [{ order_item_id: itemB!.item_id!, qty: 1 }] }).catch((e) => e);
    expect(tooMuch.status).toBe(400);
  });
});

describe('customers', () => {
  it('create, get, update, find by email (case-insensitive), duplicate email error, delete', async () => {
    const created = await client.customers.create({
      email: 'Ann.Lee@Example.com',
      firstname: 'Ann',
      lastname: 'Lee',
      addresses: [{ firstname: 'Ann', lastname: 'Lee', street: ['1 Main St'], city: 'Austin', country_id: 'US', postcode: '78701', telephone: '512-555-0000', region: { region_code: 'TX', region: 'Texas', region_id: 57 }, default_billing: true, default_shipping: true }],
    });
    expect(created.id).toBeGreaterThan(0);
    expect(created.default_billing).toBe(String(created.addresses![0]!.id));
    expect((await client.customers.get(created.id)).email).toBe('Ann.Lee@Example.com');
    expect((await client.customers.findByEmail(' ann.lee@example.com '))[0]?.id).toBe(created.id);
    const dup = await client.customers.create({ email: 'ann.lee@example.com', firstname: 'A', lastname: 'L' }).catch((e) => e);
    expect(dup.status).toBe(400);
    expect(dup.message).toContain('A customer with the same email address already exists in an associated website.');
    const updated = await client.customers.update(created.id, { email: created.email, firstname: 'Annie', lastname: 'Lee' });
    expect(updated.firstname).toBe('Annie');
    expect(updated.addresses).toHaveLength(1);
    expect((await client.customers.search(searchCriteria().where('firstname', 'Annie'))).total_count).toBe(1);
    const everyone: number[] = [];
    for await (const c of client.customers.all(searchCriteria().page(1))) everyone.push(c.id);
    expect(everyone).toContain(created.id);
    expect(await client.customers.delete(created.id)).toBe(true);
    const missing = await client.customers.get(created.id).catch((e) => e);
    expect(missing.status).toBe(404);
    expect(missing.message).toContain(`No such entity with customerId = ${created.id}`);
    expect(await client.customers.find(created.id)).toBeUndefined();
  });
});

describe('products', () => {
  it('save (upsert by SKU with stock_item), get, find, search, all, delete', async () => {
    const p = await client.products.save({ sku: 'NEW SKU/1', name: 'New thing', price: 9.5, type_id: 'simple', attribute_set_id: 4, extension_attributes: { stock_item: { qty: 7, is_in_stock: true } }, custom_attributes: [{ attribute_code: 'description', value: 'A new thing' }] });
    expect(p.extension_attributes?.stock_item?.qty).toBe(7);
    expect((await client.products.get('NEW SKU/1')).name).toBe('New thing');
    const again = await client.products.save({ sku: 'NEW SKU/1', price: 11 });
    expect(again.price).toBe(11);
    expect(again.name).toBe('New thing');
    expect((await client.products.search(searchCriteria().where('description', 'A new thing'))).total_count).toBe(1);
    const skus: string[] = [];
    for await (const prod of client.products.all(searchCriteria().page(2))) skus.push(prod.sku);
    expect(skus).toContain('NEW SKU/1');
    expect(skus.length).toBeGreaterThanOrEqual(4);
    expect(await client.products.delete('NEW SKU/1')).toBe(true);
    expect(await client.products.find('NEW SKU/1')).toBeUndefined();
    const err = await client.products.get('NEW SKU/1').catch((e) => e);
    expect(err.message).toContain("The product that was requested doesn't exist.");
    await expect(client.products.save({ sku: 'NO-NAME' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('The "name" attribute value is empty') });
  });
});

describe('inventory', () => {
  it('sources, source items (sync batches, search by SKUs, delete), salable qty', async () => {
    await client.inventory.createSource({ source_code: 'store_9', name: 'Store 9', postcode: '10001', country_id: 'US' });
    expect((await client.inventory.getSource('store_9')).name).toBe('Store 9');
    const items = ['WS12-M-Orange', 'MH01-XS-Black', 'MUG-01'].map((sku, i) => ({ sku, source_code: 'store_9', quantity: 10 + i, status: 1 as const }));
    const res = await client.inventory.saveSourceItems(items, { batchSize: 2 });
    expect(res).toEqual({ requests: 2, items: 3 });
    const found = await client.inventory.sourceItemsForSkus(['MUG-01', 'MH01-XS-Black'], { chunkSize: 1 });
    expect(found.filter((i) => i.source_code === 'store_9').map((i) => i.quantity).sort()).toEqual([11, 12]);
    await client.inventory.deleteSourceItems([{ sku: 'MUG-01', source_code: 'store_9' }]);
    expect((await client.inventory.searchSourceItems(searchCriteria().where('sku', 'MUG-01').where('source_code', 'store_9'))).total_count).toBe(0);
    const salable = await client.inventory.salableQty('MH01-XS-Black', 1);
    expect(typeof salable).toBe('number');
    expect(await client.inventory.isSalable('MH01-XS-Black')).toBe(salable > 0);
    const invalid = await client.inventory.saveSourceItems([{ sku: 'X', source_code: 'nowhere', quantity: 1, status: 1 }]).catch((e) => e);
    expect(invalid.status).toBe(400);
    expect(invalid.message).toContain('Source with code "nowhere" does not exist.');
  });

  it('async bulk source items: accepted, then complete', async () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ sku: `BULK-${i}`, source_code: 'store_1', quantity: i, status: (i > 0 ? 1 : 0) as 0 | 1 }));
    const accepted = await client.inventory.bulkSaveSourceItems(items, { batchSize: 2 });
    expect(accepted.request_items).toHaveLength(3);
    expect(accepted.errors).toBe(false);
    const status = await client.bulk.waitFor(accepted.bulk_uuid, { pollMs: 10, timeoutMs: 5000 });
    expect(status.operations_list.every((o) => o.status === 1)).toBe(true);
    const found = await client.inventory.sourceItemsForSkus(items.map((i) => i.sku));
    expect(found.map((i) => i.quantity).sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('gift card accounts', () => {
  it('create, get, find by code, search, update, delete', async () => {
    const gc = await client.giftCards.create({ code: 'GIFT-1234-ABCD', balance: 100, status: 1, state: 0, is_redeemable: 1, date_expires: '2027-12-31' });
    expect(gc.account_id).toBeGreaterThan(0);
    expect(gc.balance).toBe(100);
    expect((await client.giftCards.get(gc.account_id)).code).toBe('GIFT-1234-ABCD');
    expect((await client.giftCards.findByCode('gift-1234-abcd'))?.account_id).toBe(gc.account_id);
    expect(await client.giftCards.findByCode('NOPE')).toBeUndefined();
    expect((await client.giftCards.search(searchCriteria().where('balance', 50, 'gt'))).total_count).toBe(1);
    expect((await client.giftCards.update(gc.account_id, { balance: 75.5 })).balance).toBe(75.5);
    expect(await client.giftCards.delete(gc.account_id)).toBe(true);
  });

  it('a store without gift card accounts is recognisable as "not supported by this store"', async () => {
    const { startCommerceSimulator } = await import('../../sandbox/commerce/server');
    const openSource = await startCommerceSimulator({ port: 0, features: { giftCardAccounts: false } });
    try {
      const err = await clientFor(openSource.url).giftCards.search().catch((e) => e);
      expect(isRouteMissing(err)).toBe(true);
    } finally {
      await openSource.close();
    }
  });

  it('an unknown route is recognisable as "not supported by this store"', async () => {
    const res = await env.rest('GET', '/rest/default/V1/giftcardaccounts/zzz/nothing');
    expect(res.status).toBe(404);
    const err = new UpstreamError({ system: 'commerce', status: 404, message: 'x', method: 'GET', url: '/', details: res.body });
    expect(isRouteMissing(err)).toBe(true);
  });
});

describe('resilience', () => {
  it('retries a 429 honouring Retry-After and a 503, then succeeds', async () => {
    await env.control('POST', '/__sim/faults', [
      { path: '*/V1/inventory/sources', kind: 'status', status: 429, retryAfterSeconds: 0, count: 1 },
      { path: '*/V1/inventory/sources', kind: 'status', status: 503, count: 1 },
    ]);
    const before = client.stats.retries;
    expect((await client.inventory.sources()).total_count).toBeGreaterThan(0);
    expect(client.stats.retries - before).toBe(2);
    await env.control('DELETE', '/__sim/faults');
  });

  it('does not retry a non-idempotent ship after a 500', async () => {
    const order = await client.orders.save(orderEntity([{ sku: 'MUG-01', qty: 1, price: 12 }]));
    await env.control('POST', '/__sim/faults', { path: '*/ship', kind: 'status', status: 500, count: 1 });
    const err = await client.orders.ship(order.entity_id, { sourceCode: 'store_1' }).catch((e) => e);
    expect(err.status).toBe(500);
    expect(err.message).toContain('Report ID: webapi-');
    expect(await client.orders.ship(order.entity_id, { sourceCode: 'store_1' })).toBeGreaterThan(0);
    await env.control('DELETE', '/__sim/faults');
  });
});

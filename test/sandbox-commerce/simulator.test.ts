/** The Commerce simulator's own conventions: search engine, auth checks, errors, bulk, faults, persistence. */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OAuth from 'oauth-1.0a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_COMMERCE_CREDENTIALS as C } from '../../sandbox/commerce/credentials';
import { parseRestPath, startCommerceSimulator } from '../../sandbox/commerce/server';
import { orderEntity, startSim } from '../commerce/helpers';

let env: Awaited<ReturnType<typeof startSim>>;

beforeAll(async () => {
  env = await startSim();
  await env.control('POST', '/__sim/seed', { seed: 1, products: 12, sources: ['a', 'b'], quantity: { min: 0, max: 9 }, customers: 5, orders: 6 });
});
afterAll(async () => env.sim.close());

const q = (s: string) => s.replace(/\s+/g, '');

describe('paths', () => {
  it('parses PaaS, store, async, bulk and SaaS tenant paths', () => {
    expect(parseRestPath('/rest/V1/orders')).toMatchObject({ flavour: 'paas', mode: 'sync', storeCode: 'default', segments: ['V1', 'orders'] });
    expect(parseRestPath('/rest/all/async/bulk/V1/products/bySku')).toMatchObject({ flavour: 'paas', mode: 'bulk', storeCode: 'all' });
    expect(parseRestPath('/rest/async/V1/orders')).toMatchObject({ mode: 'async', storeCode: 'default' });
    expect(parseRestPath('/t1/V1/async/bulk/customers')).toMatchObject({ flavour: 'saas', mode: 'bulk', segments: ['V1', 'customers'] });
    expect(parseRestPath('/nothing/here')).toBeUndefined();
  });

  it('unknown routes, unknown stores and wrong methods answer like Magento', async () => {
    expect((await env.rest('GET', '/rest/V1/ordersz')).body).toEqual({ message: 'Request does not match any route.' });
    expect((await env.rest('PATCH', '/rest/V1/orders/1')).status).toBe(404);
    expect((await env.rest('GET', '/rest/nostore/V1/orders/1')).status).toBe(404);
    expect((await env.rest('GET', '/rest/all/V1/orders/1')).status).toBe(200);
  });
});

describe('searchCriteria engine', () => {
  it('ORs filters inside a group and ANDs groups; camelCase accepted; sorts; pages clamp to the last page', async () => {
    const all = (await env.rest('GET', '/rest/V1/products?searchCriteria')).body;
    expect(all.total_count).toBe(12);
    const or = await env.rest('GET', q(`/rest/V1/products?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=SKU-00001
      &searchCriteria[filter_groups][0][filters][1][field]=sku&searchCriteria[filter_groups][0][filters][1][value]=SKU-00002`));
    expect(or.body.total_count).toBe(2);
    const and = await env.rest('GET', q(`/rest/V1/products?searchCriteria[filterGroups][0][filters][0][field]=sku&searchCriteria[filterGroups][0][filters][0][value]=SKU-0000%25&searchCriteria[filterGroups][0][filters][0][conditionType]=like
      &searchCriteria[filterGroups][1][filters][0][field]=sku&searchCriteria[filterGroups][1][filters][0][value]=SKU-00003,SKU-00004,SKU-00010&searchCriteria[filterGroups][1][filters][0][conditionType]=in
      &searchCriteria[sortOrders][0][field]=sku&searchCriteria[sortOrders][0][direction]=DESC`));
    expect(and.body.items.map((p: { sku: string }) => p.sku)).toEqual(['SKU-00004', 'SKU-00003']);
    expect(and.body.search_criteria.filter_groups[1].filters[0]).toEqual({ field: 'sku', value: 'SKU-00003,SKU-00004,SKU-00010', condition_type: 'in' });
    const page = await env.rest('GET', '/rest/V1/products?searchCriteria[pageSize]=5&searchCriteria[currentPage]=99&searchCriteria[sortOrders][0][field]=sku');
    expect(page.body.items.map((p: { sku: string }) => p.sku)).toEqual(['SKU-00011', 'SKU-00012']);
    expect(page.body.total_count).toBe(12);
  });

  it('supports every documented condition type', async () => {
    const count = async (field: string, condition: string, value = '') =>
      (await env.rest('GET', `/rest/V1/products?searchCriteria[filter_groups][0][filters][0][field]=${field}&searchCriteria[filter_groups][0][filters][0][value]=${encodeURIComponent(value)}&searchCriteria[filter_groups][0][filters][0][condition_type]=${condition}`)).body.total_count;
    const prices = (await env.rest('GET', '/rest/V1/products?searchCriteria')).body.items.map((p: { price: number }) => p.price).sort((a: number, b: number) => a - b);
    const mid = prices[5];
    expect(await count('price', 'gt', String(mid))).toBe(prices.filter((p: number) => p > mid).length);
    expect(await count('price', 'gteq', String(mid))).toBe(prices.filter((p: number) => p >= mid).length);
    expect(await count('price', 'moreq', String(mid))).toBe(prices.filter((p: number) => p >= mid).length);
    expect(await count('price', 'from', String(mid))).toBe(prices.filter((p: number) => p >= mid).length);
    expect(await count('price', 'lt', String(mid))).toBe(prices.filter((p: number) => p < mid).length);
    expect(await count('price', 'lteq', String(mid))).toBe(prices.filter((p: number) => p <= mid).length);
    expect(await count('price', 'to', String(mid))).toBe(prices.filter((p: number) => p <= mid).length);
    expect(await count('sku', 'neq', 'SKU-00001')).toBe(11);
    expect(await count('sku', 'nin', 'SKU-00001,SKU-00002')).toBe(10);
    expect(await count('sku', 'like', 'sku-0001%')).toBe(3);
    expect(await count('sku', 'eq', 'sku-00001')).toBe(1); // MySQL collation: case-insensitive
    expect(await count('special_price', 'null')).toBe(12);
    expect(await count('special_price', 'notnull')).toBe(0);
    expect(await count('url_key', 'finset', 'sku-00001')).toBe(1);
    expect(await count('url_key', 'nfinset', 'sku-00001')).toBe(11);
    const bad = await env.rest('GET', '/rest/V1/products?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][condition_type]=around');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ message: 'Invalid condition type "%1" for field "%2".', parameters: ['around', 'sku'] });
  });

  it('projects fields=, including nested lists', async () => {
    const res = await env.rest('GET', '/rest/V1/orders?searchCriteria[pageSize]=2&fields=items[increment_id,items[sku]],total_count');
    expect(Object.keys(res.body).sort()).toEqual(['items', 'total_count']);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(['increment_id', 'items']);
    expect(Object.keys(res.body.items[0].items[0])).toEqual(['sku']);
    expect((await env.rest('GET', '/rest/V1/orders/1?fields=items[')).status).toBe(400);
  });

  it('requires searchCriteria on list endpoints', async () => {
    const res = await env.rest('GET', '/rest/V1/orders');
    expect(res.status).toBe(400);
    expect(res.body.parameters).toEqual({ fieldName: 'searchCriteria' });
  });
});

describe('auth', () => {
  const oauth = new OAuth({
    consumer: { key: C.consumerKey, secret: C.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  const sign = (method: string, url: string, data: Record<string, string> = {}) =>
    oauth.toHeader(oauth.authorize({ url, method, data }, { key: C.accessToken, secret: C.accessTokenSecret })).Authorization;

  it('accepts a signature over the query parameters, rejects a tampered query and a reused nonce', async () => {
    const base = `${env.sim.url}rest/V1/orders`;
    const header = sign('GET', base, { 'searchCriteria[pageSize]': '1' });
    const ok = await fetch(`${base}?searchCriteria%5BpageSize%5D=1`, { headers: { authorization: header } });
    expect(ok.status).toBe(200);
    const replayed = await fetch(`${base}?searchCriteria%5BpageSize%5D=1`, { headers: { authorization: header } });
    expect(replayed.status).toBe(401);
    const tampered = await fetch(`${base}?searchCriteria%5BpageSize%5D=2`, { headers: { authorization: sign('GET', base, { 'searchCriteria[pageSize]': '1' }) } });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toEqual({ message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Sales::actions_view' } });
  });

  it('refuses missing auth, unknown bearer tokens, and integration tokens on SaaS paths', async () => {
    expect((await fetch(`${env.sim.url}rest/V1/orders/1`)).status).toBe(401);
    expect((await env.rest('GET', '/rest/V1/orders/1', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await env.rest('GET', '/tenant/V1/orders/1')).status).toBe(401);
    // A route that does not exist is a 404 even without credentials (routing comes first).
    expect((await fetch(`${env.sim.url}rest/V1/nothing`)).status).toBe(404);
  });

  it('issues IMS tokens only for the right client credentials', async () => {
    const bad = await fetch(`${env.sim.url}ims/token/v3`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }) });
    expect(bad.status).toBe(401);
    const good = await fetch(`${env.sim.url}ims/token/v3`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: C.imsClientId, client_secret: C.imsClientSecret, scope: 'commerce.accs' }) });
    const token = (await good.json()) as { access_token: string; expires_in: number };
    expect(token.expires_in).toBeGreaterThan(3600);
    const res = await env.rest('GET', '/tenant/V1/orders/1', undefined, { authorization: `Bearer ${token.access_token}`, 'x-api-key': C.imsClientId, store: 'default' });
    expect(res.status).toBe(200);
  });
});

describe('bad input never crashes', () => {
  it.each([
    ['POST', '/rest/V1/orders', '{not json'],
    ['POST', '/rest/V1/orders', '[1,2]'],
    ['POST', '/rest/V1/orders', { entity: 'x' }],
    ['POST', '/rest/V1/orders', { entity: { customer_email: 'a@b.co', grand_total: 'lots', items: [{ sku: 'X', qty_ordered: 1 }] } }],
    ['POST', '/rest/V1/orders', { entity: { customer_email: 'a@b.co', grand_total: 1, items: [{ qty_ordered: 1 }] } }],
    ['POST', '/rest/V1/orders', { entity: { customer_email: 'a@b.co', grand_total: 1, items: [null] } }],
    ['POST', '/rest/V1/orders/abc/comments', { statusHistory: { comment: 'x' } }],
    ['POST', '/rest/V1/orders/1/comments', { statusHistory: {} }],
    ['POST', '/rest/V1/order/1/ship', { items: [{ order_item_id: 'x', qty: 1 }] }],
    ['POST', '/rest/V1/order/1/ship', { items: 'all' }],
    ['POST', '/rest/V1/order/1/ship', { tracks: [{ track_number: '1' }] }],
    ['POST', '/rest/V1/order/1/refund', { arguments: { shipping_amount: -1 } }],
    ['POST', '/rest/V1/customers', { customer: { email: 'not-an-email', firstname: 'a', lastname: 'b' } }],
    ['POST', '/rest/V1/customers', { customer: { email: 'z@z.co', firstname: 'a', lastname: 'b', addresses: [{ firstname: 'a' }] } }],
    ['PUT', '/rest/V1/customers/1', { customer: { id: 2 } }],
    ['POST', '/rest/V1/products', { product: { sku: 'P', name: 'n', price: 'free' } }],
    ['POST', '/rest/V1/inventory/source-items', { sourceItems: [{ sku: '', source_code: 'a', quantity: 'x', status: 7 }] }],
    ['POST', '/rest/V1/inventory/source-items', { sourceItems: 'all' }],
    ['GET', '/rest/V1/inventory/get-product-salable-quantity/SKU-00001/x', undefined],
    ['POST', '/rest/V1/giftcardaccounts', { giftcardAccount: { balance: -5 } }],
    ['POST', '/rest/V1/giftcardaccounts', { giftcardAccount: { balance: 5, website_id: 1 } }],
    ['POST', '/rest/async/bulk/V1/inventory/source-items', { sourceItems: [] }],
    ['GET', '/rest/V1/orders?searchCriteria[pageSize]=-1', undefined],
  ])('%s %s %j → 4xx with a message', async (method, path, body) => {
    const res = await env.rest(method as string, path as string, body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(typeof res.body.message).toBe('string');
  });

  it('validation failures list each problem in errors[]', async () => {
    const res = await env.rest('POST', '/rest/V1/inventory/source-items', { sourceItems: [{ sku: '', source_code: 'zz', quantity: 1, status: 1 }] });
    expect(res.body.message).toBe('Validation Failed');
    expect(res.body.errors).toEqual([
      { message: '"%field" can not be empty.', parameters: { field: 'sku' } },
      { message: 'Source with code "%value" does not exist.', parameters: { value: 'zz' } },
    ]);
  });
});

describe('input limits (when enabled)', () => {
  it('caps list inputs, page size, and applies the default page size', async () => {
    const limited = await startSim({ inputLimits: { listLimit: 2, maxPageSize: 5, defaultPageSize: 3 } });
    try {
      await limited.control('POST', '/__sim/seed', { products: 7 });
      const items = ['SKU-00001', 'SKU-00002', 'SKU-00003'].map((sku) => ({ sku, source_code: 'default', quantity: 1, status: 1 }));
      const tooMany = await limited.rest('POST', '/rest/V1/inventory/source-items', { sourceItems: items });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body).toEqual({ message: 'Maximum items of type "%type" is %max', parameters: { type: 'sourceItems', max: 2 } });
      expect((await limited.rest('POST', '/rest/V1/inventory/source-items', { sourceItems: items.slice(0, 2) })).body).toEqual([]);
      expect((await limited.rest('GET', '/rest/V1/products?searchCriteria[pageSize]=6')).status).toBe(400);
      const page = await limited.rest('GET', '/rest/V1/products?searchCriteria');
      expect(page.body.items).toHaveLength(3);
      expect(page.body.total_count).toBe(7);
    } finally {
      await limited.sim.close();
    }
  });
});

describe('async bulk with by<Param> segments', () => {
  it('PUT /async/bulk/V1/products/bySku updates each product from its body', async () => {
    const res = await env.rest('PUT', '/rest/all/async/bulk/V1/products/bySku', [{ product: { sku: 'SKU-00001', price: 1.5 } }, { product: { sku: 'SKU-00002', price: 2.5 } }, { product: { sku: 'NEW-1' } }]);
    expect(res.status).toBe(202);
    expect(res.body.request_items.map((i: { status: string }) => i.status)).toEqual(['accepted', 'accepted', 'accepted']);
    await new Promise((r) => setTimeout(r, 50));
    const status = (await env.rest('GET', `/rest/V1/bulk/${res.body.bulk_uuid}/status`)).body;
    expect(status.operations_list.map((o: { status: number }) => o.status)).toEqual([1, 1, 3]);
    expect(status.operations_list[2].result_message).toContain('The "name" attribute value is empty');
    expect((await env.rest('GET', `/rest/V1/bulk/${res.body.bulk_uuid}/operation-status/3`)).body).toBe(1);
    expect((await env.rest('GET', '/rest/V1/products/SKU-00002')).body.price).toBe(2.5);
    expect((await env.rest('GET', '/rest/V1/bulk/unknown/status')).status).toBe(404);
  });
});

describe('control', () => {
  it('fault injection: drop, latency, count and counters', async () => {
    await env.control('POST', '/__sim/counters/reset');
    await env.control('POST', '/__sim/faults', [
      { path: '/rest/V1/orders/1', kind: 'latency', latencyMs: 60, count: 1 },
      { path: '/^\\/rest\\/V1\\/orders\\/2$/', kind: 'drop', count: 1 },
    ]);
    const t0 = Date.now();
    expect((await env.rest('GET', '/rest/V1/orders/1')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
    await expect(env.rest('GET', '/rest/V1/orders/2')).rejects.toThrow();
    expect((await env.rest('GET', '/rest/V1/orders/2')).status).toBe(200);
    const counters = (await env.control('GET', '/__sim/counters')).body;
    expect(counters.byEndpoint['GET /V1/orders/:id']).toBe(3);
    expect((await env.control('POST', '/__sim/faults', { path: 'x', kind: 'boom' })).status).toBe(400);
    await env.control('DELETE', '/__sim/faults');
  });

  it('seeding is deterministic', async () => {
    const other = await startSim();
    try {
      await other.control('POST', '/__sim/seed', { seed: 1, products: 12, sources: ['a', 'b'], quantity: { min: 0, max: 9 }, customers: 5, orders: 6 });
      const mine = (await env.rest('GET', '/rest/V1/customers/search?searchCriteria[sortOrders][0][field]=id&searchCriteria[pageSize]=5')).body.items.map((c: { email: string }) => c.email);
      const theirs = (await other.rest('GET', '/rest/V1/customers/search?searchCriteria[sortOrders][0][field]=id&searchCriteria[pageSize]=5')).body.items.map((c: { email: string }) => c.email);
      expect(theirs).toEqual(mine);
      expect((await other.control('POST', '/__sim/seed', { products: -1 })).status).toBe(400);
    } finally {
      await other.sim.close();
    }
  });

  it('persists entities, stock and the journal across a restart with dataDir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'commerce-sim-'));
    try {
      const first = await startCommerceSimulator({ port: 0, dataDir: dir });
      const headers = { authorization: `Bearer ${C.accessToken}`, 'content-type': 'application/json' };
      await fetch(`${first.url}__sim/seed`, { method: 'POST', body: JSON.stringify({ skus: ['KEEP-1'], sources: ['x'], quantity: { min: 4, max: 4 } }) });
      const created: any = await (await fetch(`${first.url}rest/V1/orders`, { method: 'POST', headers, body: JSON.stringify({ entity: orderEntity([{ sku: 'KEEP-1', qty: 1, price: 3 }]) }) })).json();
      await first.close();
      const second = await startCommerceSimulator({ port: 0, dataDir: dir });
      try {
        const order: any = await (await fetch(`${second.url}rest/V1/orders/${created.entity_id}`, { headers })).json();
        expect(order.increment_id).toBe(created.increment_id);
        expect(await (await fetch(`${second.url}rest/V1/inventory/get-product-salable-quantity/KEEP-1/1`, { headers })).json()).toBe(3);
        const journal: any = await (await fetch(`${second.url}__sim/events?since=0`)).json();
        expect(journal.events.length).toBeGreaterThan(0);
        const next: any = await (await fetch(`${second.url}rest/V1/orders`, { method: 'POST', headers, body: JSON.stringify({ entity: orderEntity([{ sku: 'KEEP-1', qty: 1, price: 3 }]) }) })).json();
        expect(next.entity_id).toBe(created.entity_id + 1);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Commerce eventing subscriptions', () => {
  it('subscribed fields shape data.value; conditional events fire only when their rules hold', async () => {
    const own = await startSim({ events: { subscriptions: [] } });
    try {
      await own.control('POST', '/__sim/seed', { skus: ['EVS-1'], sources: ['s'], quantity: { min: 9, max: 9 } });
      const sub = await own.rest('POST', '/rest/V1/eventing/eventSubscribe', {
        event: { name: 'hcc.observer.sales_order_save_commit_after', parent: 'observer.sales_order_save_commit_after', fields: [{ name: 'entity_id' }, { name: 'increment_id' }, { name: 'items[].sku' }, { name: 'grand_total' }], rules: [{ field: 'grand_total', operator: 'greaterThan', value: '20' }] },
      });
      expect(sub.body).toBe(true);
      expect((await own.rest('POST', '/rest/V1/eventing/eventSubscribe', { event: { name: 'hcc.observer.sales_order_save_commit_after' } })).status).toBe(400);
      expect((await own.rest('GET', '/rest/V1/eventing/getEventSubscriptions')).body[0].fields).toHaveLength(4);
      await own.rest('POST', '/rest/V1/orders', { entity: orderEntity([{ sku: 'EVS-1', qty: 1, price: 10 }]) }); // 15: rule false
      await own.rest('POST', '/rest/V1/orders', { entity: orderEntity([{ sku: 'EVS-1', qty: 2, price: 10 }]) }); // 25: rule true
      const journal = (await own.control('GET', '/__sim/events?since=0')).body.events;
      expect(journal).toHaveLength(1);
      expect(journal[0].event.type).toBe('com.adobe.commerce.hcc.observer.sales_order_save_commit_after');
      expect(journal[0].event.data.value).toEqual({ entity_id: '2', increment_id: '000000002', items: [{ sku: 'EVS-1' }], grand_total: '25.0000' });
      expect((await own.rest('POST', '/rest/V1/eventing/eventUnsubscribe/hcc.observer.sales_order_save_commit_after')).body).toBe(true);
      expect((await own.rest('PUT', '/rest/V1/eventing/updateConfiguration', { config: { enabled: true, merchant_id: 'acme' } })).body).toBe(true);
    } finally {
      await own.sim.close();
    }
  });
});

/**
 * The Heartland simulator follows every convention of heartland.md §2 (and §1 auth), checked over
 * raw HTTP (no client code) so these tests pin the simulator to the document, not to our client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeartlandSimulator, type HeartlandSimulator } from '../../sandbox/heartland/server';

let sim: HeartlandSimulator;
let root: string;
const AUTH = { authorization: 'Bearer sandbox-heartland-token' };

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH) {
  const res = await fetch(sim.url + path, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
  return { status: res.status, body: json, text, headers: res.headers };
}
const get = (path: string) => call('GET', path);
const q = (o: unknown) => encodeURIComponent(JSON.stringify(o));
let seed: any;

beforeAll(async () => {
  sim = await startHeartlandSimulator({ port: 0 });
  root = sim.url.replace(/api\/$/, '');
  seed = await (await fetch(root + '__sim/seed', { method: 'POST', body: JSON.stringify({ items: 45, locations: 2, customers: 5, seed: 7 }) })).json();
});
afterAll(() => sim.close());

describe('§1 authentication', () => {
  it('rejects a missing or wrong bearer token with a JSON 401', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: 'Basic abc' }] as Array<Record<string, string>>) {
      const res = await call('GET', 'items', undefined, headers);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'unauthorized', message: expect.any(String) });
    }
  });
  it('accepts the sandbox token', async () => {
    expect((await get('items')).status).toBe(200);
  });
});

describe('§2.1 collections and pagination', () => {
  it('answers {results,total,pages} with 20 rows per page by default', async () => {
    const res = await get('items');
    expect(res.body.total).toBe(45);
    expect(res.body.pages).toBe(3);
    expect(res.body.results).toHaveLength(20);
    const third = await get('items?page=3');
    expect(third.body.results).toHaveLength(5);
  });
  it('accepts per_page up to large sizes and "all"', async () => {
    expect((await get('items?per_page=1000')).body.results).toHaveLength(45);
    const all = await get('items?per_page=all');
    expect(all.body.results).toHaveLength(45);
    expect(all.body.pages).toBe(1);
  });
  it('supports the count trick (page=1&per_page=1 then total)', async () => {
    const res = await get('items?page=1&per_page=1');
    expect(res.body.results).toHaveLength(1);
    expect(res.body.total).toBe(45);
  });
  it('supports the keyset pattern sort[]=id + {"id":{"$gt":last}}', async () => {
    const seen: number[] = [];
    let last = 0;
    for (;;) {
      const res = await get(`items?sort[]=id&per_page=10&_filter=${q({ id: { $gt: last } })}`);
      seen.push(...res.body.results.map((r: any) => r.id));
      if (res.body.results.length < 10) break;
      last = seen[seen.length - 1];
    }
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
  it('HEAD answers 200 for an existing resource and 404 for a missing one', async () => {
    const head = await call('HEAD', `items/${seed.items.firstId}`);
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect((await call('HEAD', 'items/1')).status).toBe(404);
  });
  it('starts id sequences at 100001', () => {
    expect(seed.locations[0]).toBe(100001);
    expect(seed.items.firstId).toBe(100001);
  });
});

describe('§2.2 filtering', () => {
  it('accepts a JSON object, a JSON array (AND), _filter[]=json and the bracket form', async () => {
    const sku = seed.items.firstSku;
    expect((await get(`items?_filter=${q({ public_id: sku })}`)).body.total).toBe(1);
    expect((await get(`items?_filter=${q([{ public_id: sku }, { active: true }])}`)).body.total).toBe(1);
    expect((await get(`items?_filter=${q([{ public_id: sku }, { active: false }])}`)).body.total).toBe(0);
    expect((await get(`items?_filter[]=${q({ public_id: sku })}`)).body.total).toBe(1);
    expect((await get(`items?_filter[public_id][$eq]=${encodeURIComponent(sku)}`)).body.total).toBe(1);
    const ids = [seed.items.firstId, seed.items.firstId + 1];
    expect((await get(`items?_filter[id][$in][]=${ids[0]}&_filter[id][$in][]=${ids[1]}`)).body.total).toBe(2);
  });

  const id0 = 100001;
  it.each([
    ['$eq', { id: { $eq: id0 } }, 1],
    ['implicit equality', { id: id0 }, 1],
    ['$neq', { id: { $neq: id0 } }, 44],
    ['$gt', { id: { $gt: id0 + 40 } }, 4],
    ['$gte', { id: { $gte: id0 + 40 } }, 5],
    ['$lt', { id: { $lt: id0 + 2 } }, 2],
    ['$lte', { id: { $lte: id0 + 2 } }, 3],
    ['$in', { id: { $in: [id0, id0 + 1, 1] } }, 2],
    ['$nin', { id: { $nin: [id0, id0 + 1] } }, 43],
    ['$or', { $or: [{ id: id0 }, { id: id0 + 3 }] }, 2],
    ['$and', { $and: [{ id: { $gte: id0 } }, { id: { $lt: id0 + 5 } }] }, 5],
    ['range on one field', { id: { $gt: id0, $lt: id0 + 4 } }, 3],
  ])('operator %s', async (_name, filter, expected) => {
    const res = await get(`items?_filter=${q(filter)}`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(expected);
  });

  it('compares with null ($neq null, = null)', async () => {
    expect((await get(`items?_filter=${q({ original_price: { $neq: null } })}`)).body.total + (await get(`items?_filter=${q({ original_price: null })}`)).body.total).toBe(45);
  });
  it('filters and sorts on custom fields as custom@key', async () => {
    const all = (await get('items?per_page=all')).body.results;
    const color = all[0].custom.color;
    const expected = all.filter((i: any) => i.custom.color === color).length;
    expect((await get(`items?per_page=all&_filter=${q({ 'custom@color': color })}`)).body.total).toBe(expected);
    const sorted = (await get('items?per_page=all&sort[]=custom@size,desc')).body.results.map((i: any) => i.custom.size);
    expect(sorted).toEqual([...sorted].sort().reverse());
  });
  it('compares ISO dates lexically', async () => {
    expect((await get(`items?_filter=${q({ created_at: { $gte: '2000-01-01', $lte: '2999-12-31T23:59:59' } })}`)).body.total).toBe(45);
  });
  it('accepts plain query params as filters where documented (inventory/values?location_id=)', async () => {
    const res = await get(`inventory/values?group[]=item_id&group[]=location_id&location_id=${seed.locations[0]}&per_page=all`);
    expect(res.body.total).toBe(45);
    expect(res.body.results.every((r: any) => r.location_id === seed.locations[0])).toBe(true);
  });
  it('answers 400 invalid_request for non-filterable fields (tickets completed?, payments location_id)', async () => {
    for (const path of [`items?_filter=${q({ secret_field: 1 })}`, `sales/tickets?_filter=${q({ 'completed?': true })}`, `payments?_filter=${q({ location_id: 1 })}`, 'items?sort[]=nope']) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    }
  });
  it('searches customers and items with query=', async () => {
    const customers = (await get('customers?per_page=all')).body.results;
    const res = await get(`customers?query=${encodeURIComponent(customers[0].email)}`);
    expect(res.body.results.map((c: any) => c.id)).toContain(customers[0].id);
    expect((await get(`items?query=${encodeURIComponent(seed.items.firstSku)}`)).body.total).toBe(1);
  });
});

describe('§2.3 sorting, field selection, embedding', () => {
  it('sorts with sort[]=f,desc and tie-breakers', async () => {
    const res = (await get('items?per_page=all&sort[]=price,desc&sort[]=id')).body.results;
    for (let i = 1; i < res.length; i++) {
      expect(res[i - 1].price > res[i].price || (res[i - 1].price === res[i].price && res[i - 1].id < res[i].id)).toBe(true);
    }
  });
  it('projects with _only[]', async () => {
    const row = (await get('items?_only[]=id&_only[]=public_id&per_page=1')).body.results[0];
    expect(Object.keys(row).sort()).toEqual(['id', 'public_id']);
  });
  it('embeds with _include[] next to the *_id', async () => {
    const loc = (await get('locations?_include[]=stations')).body.results[0];
    expect(loc.stations[0]).toMatchObject({ location_id: loc.id });
    const row = (await get('inventory/values?group[]=item_id&group[]=location_id&_include[]=item&_include[]=location&per_page=1')).body.results[0];
    expect(row.item.id).toBe(row.item_id);
    expect(row.location.id).toBe(row.location_id);
  });
});

describe('§2.4 create, update, delete semantics', () => {
  it('POST answers 201 with an empty body and Location /api/<path>/<id>', async () => {
    const res = await call('POST', 'customers', { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', custom: { magento_customer_id: '42' } });
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    expect(res.headers.get('location')).toMatch(/^\/api\/customers\/\d+$/);
    const created = await get(res.headers.get('location')!.replace('/api/', ''));
    expect(created.body).toMatchObject({ first_name: 'Ada', public_id: String(created.body.id), custom: { magento_customer_id: '42' } });
  });
  it('PUT is a partial update; custom fields merge and may be written flat as custom@key', async () => {
    const loc = (await call('POST', 'customers', { first_name: 'Bo', last_name: 'Li', custom: { magento_customer_id: '43' } })).headers.get('location')!.replace('/api/', '');
    const res = await call('PUT', loc, { last_name: 'Lee', 'custom@note': 'vip' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ first_name: 'Bo', last_name: 'Lee', custom: { magento_customer_id: '43', note: 'vip' } });
  });
  it('PUT may answer with an empty body when configured (real responses sometimes are empty)', async () => {
    await fetch(root + '__sim/config', { method: 'PUT', body: JSON.stringify({ putEmptyBody: true }) });
    const res = await call('PUT', `items/${seed.items.firstId}`, { active: true });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await fetch(root + '__sim/config', { method: 'PUT', body: JSON.stringify({ putEmptyBody: false }) });
  });
  it('order taxes are created without a Location', async () => {
    const order = await call('POST', 'sales/orders', { source_location_id: seed.locations[0], station_id: seed.stations[0] });
    const path = order.headers.get('location')!.replace('/api/', '');
    const tax = await call('POST', `${path}/taxes`, { description: 'CA tax', value: 8.25 });
    expect(tax.status).toBe(201);
    expect(tax.headers.get('location')).toBeNull();
    expect((await get(`${path}/taxes`)).body.results[0]).toMatchObject({ value: 8.25 });
  });
});

describe('§2.5 errors', () => {
  it('validation errors are {error:"validation_error", message, details:{field:[…]}}', async () => {
    const res = await call('POST', 'items', { description: '', cost: 'cheap' });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('validation_error');
    expect(res.body.message).toMatch(/description/);
    expect(res.body.details).toMatchObject({ description: [expect.any(String)], cost: [expect.any(String)], price: ["can't be blank"] });
  });
  it('unknown resources are 404 not_found and wrong methods 405', async () => {
    expect((await get('items/999')).body).toMatchObject({ error: 'not_found' });
    expect((await get('nothing_here')).status).toBe(404);
    expect((await call('DELETE', 'items')).status).toBe(405);
  });

  const bad: Array<[string, string, string, unknown, number, string]> = [
    ['invalid JSON body', 'POST', 'customers', '{"first_name":', 400, 'invalid_request'],
    ['array body', 'POST', 'customers', [1, 2], 400, 'invalid_request'],
    ['wrong type', 'POST', 'customers', { first_name: 5, last_name: 'x' }, 422, 'validation_error'],
    ['bad email', 'POST', 'customers', { first_name: 'a', last_name: 'b', email: 'a@b.com, c@d.com' }, 422, 'validation_error'],
    ['invalid _filter JSON', 'GET', 'items?_filter={oops', undefined, 400, 'invalid_request'],
    ['_filter scalar', 'GET', 'items?_filter=5', undefined, 400, 'invalid_request'],
    ['unknown operator', 'GET', `items?_filter=${q({ id: { $regex: 'x' } })}`, undefined, 400, 'invalid_request'],
    ['$in without array', 'GET', `items?_filter=${q({ id: { $in: 5 } })}`, undefined, 400, 'invalid_request'],
    ['$or without array', 'GET', `items?_filter=${q({ $or: 5 })}`, undefined, 400, 'invalid_request'],
    ['nested object operand', 'GET', `items?_filter=${q({ id: { $gt: { a: 1 } } })}`, undefined, 400, 'invalid_request'],
    ['bad page', 'GET', 'items?page=0', undefined, 400, 'invalid_request'],
    ['bad per_page', 'GET', 'items?per_page=-3', undefined, 400, 'invalid_request'],
    ['bad sort', 'GET', 'items?sort[]=id,sideways', undefined, 400, 'invalid_request'],
    ['unknown include', 'GET', 'items?_include[]=vendor', undefined, 400, 'invalid_request'],
    ['bad group', 'GET', 'inventory/values?group[]=color', undefined, 400, 'invalid_request'],
    ['malformed bracket', 'GET', 'items?_filter[id]x=1', undefined, 400, 'invalid_request'],
    ['non-numeric id', 'GET', 'items/abc', undefined, 404, 'not_found'],
    ['order with unknown refs', 'POST', 'sales/orders', { source_location_id: 1, station_id: 2 }, 422, 'validation_error'],
    ['line qty 0', 'POST', 'sales/orders', { source_location_id: 100001, station_id: 100001, lines: [{ item_id: 100001, qty: 0 }] }, 422, 'validation_error'],
    ['gift card with spaces', 'POST', 'gift_cards', { number: 'GC 1', balance: 5 }, 422, 'validation_error'],
    ['negative adjustment qty type', 'POST', 'inventory/adjustment_sets', { location_id: 'x' }, 422, 'validation_error'],
  ];
  it.each(bad)('%s → documented 4xx, never 500', async (_name, method, path, body, status, code) => {
    const res = await call(method, path, body);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error: code, message: expect.any(String) });
  });
});

describe('control endpoints', () => {
  it('counts requests per endpoint and resets', async () => {
    await fetch(root + '__sim/counters', { method: 'DELETE' });
    await get(`items/${seed.items.firstId}`);
    await get(`items/${seed.items.firstId + 1}`);
    const counters: any = await (await fetch(root + '__sim/counters')).json();
    expect(counters.byEndpoint['GET /api/items/:id']).toBe(2);
    expect(counters.total).toBe(2);
    const log: any = await (await fetch(root + '__sim/requests')).json();
    expect(log.requests).toHaveLength(2);
    expect(log.requests[0]).toMatchObject({ method: 'GET', status: 200 });
  });
  it('injects 429 with Retry-After by count, then recovers', async () => {
    const rule: any = await (await fetch(root + '__sim/faults', { method: 'POST', body: JSON.stringify({ status: 429, retryAfter: 2, count: 2, path: '^/items' }) })).json();
    expect(rule.id).toBeGreaterThan(0);
    const a = await get('items');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('2');
    expect(a.body.error).toBe('rate_limited');
    expect((await get('locations')).status).toBe(200); // other paths untouched
    expect((await get('items')).status).toBe(429);
    expect((await get('items')).status).toBe(200);
  });
  it('injects 5xx by rate, latency and dropped connections', async () => {
    await fetch(root + '__sim/faults', { method: 'POST', body: JSON.stringify({ status: 503, rate: 1, count: 1 }) });
    expect((await get('items')).status).toBe(503);
    await fetch(root + '__sim/faults', { method: 'POST', body: JSON.stringify({ latencyMs: 150, count: 1 }) });
    const t = Date.now();
    await get('items');
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    await fetch(root + '__sim/faults', { method: 'POST', body: JSON.stringify({ drop: true, count: 1 }) });
    await expect(fetch(sim.url + 'items', { headers: AUTH })).rejects.toThrow();
    expect((await get('items')).status).toBe(200);
  });
  it('rejects bad control input with 4xx', async () => {
    const r1 = await fetch(root + '__sim/faults', { method: 'POST', body: JSON.stringify({ rate: 3 }) });
    expect(r1.status).toBe(422);
    const r2 = await fetch(root + '__sim/faults', { method: 'POST', body: JSON.stringify({ status: 500, path: '([' }) });
    expect(r2.status).toBe(422);
    const r3 = await fetch(root + '__sim/seed', { method: 'POST', body: '{"items": -1}' });
    expect(r3.status).toBe(422);
  });
  it('seeds deterministically by seed', async () => {
    const a = await startHeartlandSimulator({ port: 0 });
    const b = await startHeartlandSimulator({ port: 0 });
    try {
      for (const s of [a, b]) await fetch(s.url.replace(/api\/$/, '__sim/seed'), { method: 'POST', body: JSON.stringify({ items: 12, locations: 2, seed: 99 }) });
      const rows = await Promise.all([a, b].map(async (s) => ((await (await fetch(s.url + 'items?per_page=all', { headers: AUTH })).json()) as any).results.map((i: any) => [i.public_id, i.price, i.custom.upc])));
      expect(rows[0]).toEqual(rows[1]);
      expect(rows[0][0][0]).toMatch(/^[A-Z]+-[A-Z]{3}-XS-\d{6}$/);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('§3.5 sales orders: lines inline on create, totals', () => {
  const idOf = (res: { headers: Headers }) => Number(res.headers.get('location')!.split('/').pop());
  const committed = async (itemId: number, locationId: number) =>
    (await get(`inventory/values?item_id=${itemId}&location_id=${locationId}&group[]=item_id&group[]=location_id`)).body.results[0]?.qty_committed ?? 0;

  it('creates the lines sent inline (by item_lookup or item_id) like POST …/lines, and answers them', async () => {
    const items = (await get('items?per_page=3&sort[]=id')).body.results;
    const loc = seed.locations[0];
    const res = await call('POST', 'sales/orders', {
      source_location_id: loc, station_id: seed.stations[0], shipping_charge: 7.95,
      lines: [
        { item_lookup: items[0].public_id, qty: 2, original_unit_price: 50, adjusted_unit_price: 45, ship_from_location_id: loc, total_tax: 7.43 },
        { item_id: items[1].id, qty: 1, ship_from_location_id: loc },
      ],
    });
    expect(res.status).toBe(201);
    const orderId = idOf(res);
    const lines = (await get(`sales/orders/${orderId}/lines`)).body.results;
    expect(lines.map((l: any) => [l.item_id, l.qty, l.adjusted_unit_price, l.total_tax ?? null])).toEqual([
      [items[0].id, 2, 45, 7.43],
      [items[1].id, 1, items[1].price, null],
    ]);
    expect((await get(`sales/orders/${orderId}?_include[]=lines`)).body.lines).toHaveLength(2);
  });

  it('commits stock for inline lines when the order opens, exactly as for lines posted one by one', async () => {
    const [item] = (await get('items?per_page=1&sort[]=id,desc')).body.results;
    const loc = seed.locations[1];
    const start = await committed(item.id, loc);
    const inline = idOf(await call('POST', 'sales/orders', { source_location_id: loc, station_id: seed.stations[0], lines: [{ item_lookup: item.public_id, qty: 3, ship_from_location_id: loc }] }));
    expect(await committed(item.id, loc)).toBe(start); // pending commits nothing
    await call('PUT', `sales/orders/${inline}`, { status: 'open' });
    expect(await committed(item.id, loc)).toBe(start + 3);

    const separate = idOf(await call('POST', 'sales/orders', { source_location_id: loc, station_id: seed.stations[0] }));
    await call('POST', `sales/orders/${separate}/lines`, { item_id: item.id, qty: 3, ship_from_location_id: loc });
    await call('PUT', `sales/orders/${separate}`, { status: 'open' });
    expect(await committed(item.id, loc)).toBe(start + 6);
  });

  it('refuses the whole create when an inline line is invalid, naming the line, and stores nothing', async () => {
    const before = (await get('sales/orders?per_page=1')).body.total;
    const [item] = (await get('items?per_page=1')).body.results;
    const res = await call('POST', 'sales/orders', {
      source_location_id: seed.locations[0], station_id: seed.stations[0],
      lines: [{ item_id: item.id, qty: 1 }, { item_lookup: 'NO-SUCH-SKU', qty: 1 }, { item_id: item.id, qty: 1, ship_from_location_id: 1 }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('validation_error');
    expect(Object.keys(res.body.details).sort()).toEqual(['lines.1.item_lookup', 'lines.2.ship_from_location_id']);
    expect((await get('sales/orders?per_page=1')).body.total).toBe(before);
  });

  it('totals an order with its lines\' tax, order taxes, discounts and shipping (the §3.5 example: 105.38)', async () => {
    const [item] = (await get('items?per_page=1')).body.results;
    const loc = seed.locations[0];
    const orderId = idOf(await call('POST', 'sales/orders', {
      source_location_id: loc, station_id: seed.stations[0], shipping_charge: 7.95,
      lines: [{ item_id: item.id, qty: 2, original_unit_price: 50, adjusted_unit_price: 45, ship_from_location_id: loc, total_tax: 7.43 }],
    }));
    expect((await get(`sales/orders/${orderId}`)).body).toMatchObject({ total: 105.38, total_tax: 7.43, balance: 105.38 });
    await call('POST', `sales/orders/${orderId}/taxes`, { description: 'Shipping tax', value: 0.66 });
    await call('POST', `sales/orders/${orderId}/discounts`, { description: 'Coupon X', amount: -5 });
    expect((await get(`sales/orders/${orderId}`)).body).toMatchObject({ total: 101.04, total_tax: 8.09 });
  });
});

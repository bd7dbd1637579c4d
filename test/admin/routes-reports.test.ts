/** admin-api calls into both simulators: connection tests, the reconciliation report and channel insights (JSON and CSV). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionTestResponse, insightsResponse, RECONCILIATION_CSV_COLUMNS, reconciliationResponse } from '../../lib/admin/contract';
import { createHeartlandClient } from '../../lib/heartland/client';
import { expectShape, startHarness, type Harness } from './harness';

let h: Harness;
let magentoOrders: Array<{ entity_id: number; increment_id: string }>;
const today = new Date().toISOString().slice(0, 10);

async function post(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, url).toBe(true);
  return res.json();
}

beforeAll(async () => {
  h = await startHarness();
  const seeded = await post(`${h.commerce.url}__sim/seed`, { products: 3, customers: 2, orders: 3 });
  magentoOrders = seeded.orders;
  const hl = await post(`${h.heartland.url.replace(/api\/$/, '')}__sim/seed`, { items: 5, locations: 2 });
  const client = createHeartlandClient({ baseUrl: h.heartland.url, token: 'sandbox-heartland-token' });
  const locations = await client.locations.list({ includeStations: true });
  const station = locations[0].stations![0];
  const [paymentType] = await client.paymentTypes.list();
  const items = [];
  for await (const item of client.iterate('items', (await import('../../lib/heartland/payloads')).Item, { perPage: 2 })) items.push(item);
  await client.tickets.create({
    type: 'Ticket', station_id: station.id, source_location_id: locations[0].id, status: 'complete', completed_at: new Date().toISOString(),
    item_lines: [{ type: 'ItemLine', item_id: items[0].id, qty: 2, unit_price: 10 }],
    payments: [{ type: 'CustomPayment', payment_type_id: paymentType.id, amount: 20 }],
  });
  await client.orders.create({ source_location_id: locations[0].id, station_id: station.id, custom: { ecommerce_number: magentoOrders[0].increment_id } });
  expect(hl).toBeTruthy();
}, 30_000);
afterAll(() => h?.close());

describe('connections/test', () => {
  it('calls each system and reports latency', async () => {
    for (const system of ['heartland', 'commerce']) {
      const result = expectShape(connectionTestResponse, (await h.call('POST', '/connections/test', { body: { system } })).body);
      expect(result.ok).toBe(true);
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('a refused token is ok:false with a message naming the input, never a 5xx', async () => {
    const res = await h.call('POST', '/connections/test', { body: { system: 'heartland' }, inputs: { HEARTLAND_API_TOKEN: 'wrong-token' } });
    expect(res.status).toBe(200);
    const result = expectShape(connectionTestResponse, res.body);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/refused the credentials.*HEARTLAND_API_TOKEN/);
    const down = expectShape(connectionTestResponse, (await h.call('POST', '/connections/test', { body: { system: 'commerce' }, inputs: { COMMERCE_BASE_URL: 'http://127.0.0.1:9/rest' } })).body);
    expect(down).toMatchObject({ ok: false });
    expect(down.message).toMatch(/could not be reached/);
    expect((await h.call('POST', '/connections/test', { body: { system: 'sap' } })).body.error.field).toBe('system');
  });
});

describe('reports/reconciliation', () => {
  it('matches Magento orders against Heartland orders, JSON and CSV with the contract header', async () => {
    const report = expectShape(reconciliationResponse, (await h.call('GET', '/reports/reconciliation', { query: { from: today, to: today } })).body);
    const orders = report.rows.filter((r) => r.kind === 'order');
    expect(orders.map((r) => r.magentoRef)).toEqual(expect.arrayContaining(magentoOrders.map((o) => o.increment_id)));
    const linked = orders.find((r) => r.magentoRef === magentoOrders[0].increment_id)!;
    expect(linked.heartlandRef).not.toBeNull();
    expect(orders.filter((r) => r.magentoRef !== magentoOrders[0].increment_id).every((r) => r.status === 'missing_in_heartland')).toBe(true);
    expect(report.summary.total).toBe(report.rows.length);
    expect(report.summary.matched + report.summary.missingInHeartland + report.summary.missingInMagento + report.summary.amountMismatch).toBe(report.rows.length);

    const csv = await h.call('GET', '/reports/reconciliation', { query: { from: today, to: today, format: 'csv' } });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = String(csv.body).trimEnd().split('\r\n');
    expect(lines[0]).toBe(RECONCILIATION_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(report.rows.length + 1);
  });

  it('names bad bounds and refuses ranges over 31 days', async () => {
    expect((await h.call('GET', '/reports/reconciliation', { query: { format: 'pdf' } })).body.error.field).toBe('format');
    expect((await h.call('GET', '/reports/reconciliation', { query: { from: '2026-01-01', to: '2026-03-01' } })).body.error.field).toBe('from');
    expect((await h.call('GET', '/reports/reconciliation', { query: { from: '2026-02-01', to: '2026-01-01' } })).body.error.field).toBe('from');
  });
});

describe('insights/channels', () => {
  it('web and store side by side per day, totals equal the sum of the days, CSV per table', async () => {
    const data = expectShape(insightsResponse, (await h.call('GET', '/insights/channels', { query: { to: today } })).body);
    expect(data.days).toHaveLength(14);
    const sum = (channel: 'web' | 'store', key: 'orders' | 'units') => data.days.filter((d) => d.channel === channel).reduce((n, d) => n + d[key], 0);
    expect(data.totals.web.orders).toBe(sum('web', 'orders'));
    expect(data.totals.web.orders).toBeGreaterThanOrEqual(3);
    expect(data.totals.store).toMatchObject({ orders: 1, units: 2, netSales: 20 });
    expect(data.topSkus.store[0].units).toBe(2);
    expect(data.locations.length).toBe(2);
    for (const l of data.locations) expect(l.sellThrough).toBeGreaterThanOrEqual(0);

    const csv = await h.call('GET', '/insights/channels', { query: { to: today, format: 'csv', table: 'days' } });
    const lines = String(csv.body).trimEnd().split('\r\n');
    expect(lines[0]).toBe('date,channel,netSales,orders,units,aov');
    expect(lines).toHaveLength(15);
    const top = String((await h.call('GET', '/insights/channels', { query: { to: today, format: 'csv', table: 'topSkus' } })).body);
    expect(top.split('\r\n')[0]).toBe('channel,sku,units,netSales');
  });

  it('CSV needs a table; days only; at most 31 days', async () => {
    expect((await h.call('GET', '/insights/channels', { query: { format: 'csv' } })).body.error.field).toBe('table');
    expect((await h.call('GET', '/insights/channels', { query: { from: '2026-11-01T00:00:00Z' } })).body.error.field).toBe('from');
    expect((await h.call('GET', '/insights/channels', { query: { from: '2026-01-01', to: '2026-03-01' } })).body.error.field).toBe('from');
  });
});

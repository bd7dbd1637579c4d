/**
 * Simulator behaviour beyond the request/response conventions: the ASSUMED event notifications,
 * the documented payment-type webhooks (§3.9), OAuth endpoints (§1.3), durable data across
 * restarts, and speed on a 100,000-row inventory.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeartlandSimulator, type HeartlandSimulator } from '../../sandbox/heartland/server';

/** Response JSON, untyped: these tests inspect raw API answers. */
const json = (r: Response): Promise<any> => r.json();
const AUTH = { authorization: 'Bearer sandbox-heartland-token', 'content-type': 'application/json' };

interface Received { path: string; headers: IncomingMessage['headers']; body: any }
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Answers per path: status and body the fake merchant endpoint replies with. */
const answers: Record<string, { status: number; body?: unknown }> = {};

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers, body: raw ? JSON.parse(raw) : undefined });
      const a = answers[req.url!] ?? { status: 200 };
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

async function waitFor<T>(fn: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('with a running simulator', () => {
  let sim: HeartlandSimulator;
  let root: string;
  let seed: any;
  const api = (method: string, path: string, body?: unknown) => fetch(sim.url + path, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(root + '__sim/' + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as any };
  };

  beforeAll(async () => {
    sim = await startHeartlandSimulator({ port: 0, notify: { enabled: true, secret: 'shh' } });
    root = sim.url.replace(/api\/$/, '');
    seed = (await control('POST', 'seed', { items: 5, locations: 1, stock: { min: 5, max: 5 } })).body;
  });
  afterAll(() => sim.close());

  it('notifies registered URLs of inventory changes and invoice completion with the shared secret (ASSUMED format)', async () => {
    received.length = 0;
    expect((await control('POST', 'notifications', { url: `${receiverUrl}/hook`, events: ['nothing'] })).status).toBe(201);
    const again = await control('POST', 'notifications', { url: `${receiverUrl}/hook` });
    expect((await control('GET', 'notifications')).body.targets).toEqual([{ id: again.body.id, url: `${receiverUrl}/hook`, hasSecret: true }]);
    const reason = seed.reasonCodes.Damaged;
    const set = (await api('POST', 'inventory/adjustment_sets', { location_id: seed.locations[0], adjustment_reason_id: reason })).headers.get('location')!.replace('/api/', '');
    await api('POST', `${set}/lines`, { item_id: seed.items.firstId, qty: 2 });
    await api('PUT', set, { status: 'complete' });
    const hint = await waitFor(() => received.find((r) => r.body.event === 'inventory.updated'));
    expect(hint.headers['x-heartland-webhook-secret']).toBe('shh');
    expect(hint.body).toMatchObject({ event: 'inventory.updated', resource_type: 'inventory', resource_id: seed.items.firstId, location_id: seed.locations[0], occurred_at: expect.any(String) });

    const order = (await api('POST', 'sales/orders', { source_location_id: seed.locations[0], station_id: seed.stations[0], lines: [{ item_id: seed.items.firstId, qty: 1, ship_from_location_id: seed.locations[0] }], status: 'open' })).headers.get('location')!;
    const orderId = Number(order.split('/').pop());
    const inv = (await api('POST', 'sales/invoices', { order_id: orderId, source_location_id: seed.locations[0], station_id: seed.stations[0], lines: [{ item_id: seed.items.firstId, qty: 1 }] })).headers.get('location')!.replace('/api/', '');
    expect((await api('PUT', inv, { status: 'complete' })).status).toBe(200);
    const done = await waitFor(() => received.find((r) => r.body.event === 'invoice.completed'));
    expect(done.body).toMatchObject({ resource_type: 'invoice', resource_id: Number(inv.split('/').pop()), order_id: orderId });
    expect(((await (await api('GET', `sales/orders/${orderId}`)).json()) as any).status).toBe('closed');
    const listed = (await control('GET', 'notifications')).body;
    expect(listed.targets[0]).toMatchObject({ url: `${receiverUrl}/hook`, hasSecret: true });
    expect(listed.deliveries.length).toBeGreaterThan(0);
  });

  it('sends nothing when notifications are switched off', async () => {
    await control('PUT', 'notifications/settings', { enabled: false });
    received.length = 0;
    await api('POST', 'items', { description: 'Quiet', cost: 1, price: 2 });
    await new Promise((r) => setTimeout(r, 150));
    expect(received).toHaveLength(0);
    await control('PUT', 'notifications/settings', { enabled: true });
    await control('DELETE', 'notifications');
  });

  it('calls custom payment-type webhooks: capture on payment, failures become payment_error; check balance', async () => {
    const gift = seed.paymentTypes['Gift Card'];
    await control('POST', 'payment-webhooks', { payment_type_id: gift, capture: `${receiverUrl}/capture`, refund: `${receiverUrl}/refund`, void: `${receiverUrl}/void`, check_balance: `${receiverUrl}/balance` });
    received.length = 0;
    answers['/capture'] = { status: 200, body: { balance: 12.5 } };
    const ok = await api('POST', 'sales/tickets', { station_id: seed.stations[0], status: 'complete', item_lines: [{ item_id: seed.items.firstId, qty: 1, unit_price: 10 }], payments: [{ type: 'CustomPayment', payment_type_id: gift, amount: 10, number: 'GC77' }] });
    expect(ok.status).toBe(201);
    expect(received[0]).toMatchObject({ path: '/capture', body: { payment_id: expect.any(String), amount: '10.00', number: 'GC77' } });

    answers['/capture'] = { status: 404, body: { message: 'Gift card not found: GC00' } };
    const before = (await json(await api('GET', 'sales/tickets?per_page=1'))).total;
    const refused = await api('POST', 'sales/tickets', { station_id: seed.stations[0], status: 'complete', item_lines: [{ item_id: seed.items.firstId, qty: 1, unit_price: 10 }], payments: [{ payment_type_id: gift, amount: 10, number: 'GC00' }] });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: 'payment_error', message: expect.stringContaining('Gift card not found') });
    expect((await json(await api('GET', 'sales/tickets?per_page=1'))).total).toBe(before); // nothing half-created

    answers['/balance'] = { status: 200, body: { balance: 42.1 } };
    const bal = await control('POST', 'payment-webhooks/call', { payment_type_id: gift, operation: 'check_balance', amount: 0, number: 'GC77' });
    expect(bal.body).toMatchObject({ ok: true, status: 200, body: { balance: 42.1 } });
    const refund = await control('POST', 'payment-webhooks/call', { payment_type_id: gift, operation: 'refund', payment_id: 9, amount: 3.5 });
    expect(refund.body.ok).toBe(true);
    expect(received.at(-1)).toMatchObject({ path: '/refund', body: { payment_id: '9', amount: '3.50' } });
    const missing = await control('POST', 'payment-webhooks/call', { payment_type_id: seed.paymentTypes.Web, operation: 'void' });
    expect(missing.status).toBe(422);
  });

  it('runs the OAuth authorization-code flow: authorize redirect, token exchange, host discovery, token use', async () => {
    const redirect = 'https://connector.example/callback';
    const auth = await fetch(`${root}oauth/authorize?client_id=sandbox-heartland-client&scope=${encodeURIComponent('item.read customer.manage')}&redirect_uri=${encodeURIComponent(redirect)}&state=xyz&response_type=code`, { redirect: 'manual' });
    expect(auth.status).toBe(302);
    const back = new URL(auth.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(redirect);
    expect(back.searchParams.get('state')).toBe('xyz');
    const code = back.searchParams.get('code')!;
    const tokenRes = await fetch(`${sim.url}oauth/token?${new URLSearchParams({ client_id: 'sandbox-heartland-client', client_secret: 'sandbox-heartland-secret', code, grant_type: 'authorization_code', redirect_uri: redirect })}`);
    const token = await json(tokenRes);
    expect(token).toMatchObject({ access_token: expect.any(String), token_type: 'bearer', scope: 'item.read customer.manage' });
    const host = await json(await fetch(sim.url + 'system/host', { headers: { authorization: `Bearer ${token.access_token}` } }));
    expect(`http://${host.host}/api/`).toBe(sim.url);
    const reuse = await fetch(`${sim.url}oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: 'sandbox-heartland-client', client_secret: 'sandbox-heartland-secret', code, grant_type: 'authorization_code' }) });
    expect(reuse.status).toBe(400); // codes are single-use
    const badClient = await fetch(`${root}oauth/authorize?client_id=nope&scope=x&redirect_uri=${encodeURIComponent(redirect)}`, { redirect: 'manual' });
    expect(badClient.status).toBe(400);
  });
});

describe('durability and scale', () => {
  it('keeps data across a restart with the same dataDir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsim-'));
    try {
      const a = await startHeartlandSimulator({ port: 0, dataDir: dir });
      await fetch(a.url.replace(/api\/$/, '__sim/seed'), { method: 'POST', body: JSON.stringify({ items: 10, locations: 2 }) });
      const created = await fetch(a.url + 'customers', { method: 'POST', headers: AUTH, body: JSON.stringify({ first_name: 'Per', last_name: 'Sist' }) });
      const loc = created.headers.get('location')!.replace('/api/', '');
      await a.close();
      const b = await startHeartlandSimulator({ port: 0, dataDir: dir });
      try {
        expect((await json(await fetch(b.url + loc, { headers: AUTH }))).first_name).toBe('Per');
        expect((await json(await fetch(b.url + 'inventory/values?group[]=item_id&group[]=location_id&per_page=1', { headers: AUTH }))).total).toBe(20);
        // Sequences continue instead of reusing ids.
        const next = await fetch(b.url + 'customers', { method: 'POST', headers: AUTH, body: JSON.stringify({ first_name: 'N', last_name: 'X' }) });
        expect(Number(next.headers.get('location')!.split('/').pop())).toBeGreaterThan(Number(loc.split('/').pop()));
      } finally {
        await b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists 100,000 inventory rows in pages of 1,000 in a few seconds', async () => {
    const sim = await startHeartlandSimulator({ port: 0 });
    try {
      await fetch(sim.url.replace(/api\/$/, '__sim/seed'), { method: 'POST', body: JSON.stringify({ items: 50_000, locations: 2 }) });
      const t = Date.now();
      let rows = 0;
      for (let page = 1; ; page++) {
        const body = await json(await fetch(`${sim.url}inventory/values?group[]=item_id&group[]=location_id&per_page=1000&page=${page}`, { headers: AUTH }));
        rows += body.results.length;
        if (page >= body.pages) break;
      }
      expect(rows).toBe(100_000);
      // ~1 s on an idle machine; the bound leaves room for a loaded 2-core CI box.
      expect(Date.now() - t).toBeLessThan(6000);
    } finally {
      await sim.close();
    }
  }, 20_000);
});

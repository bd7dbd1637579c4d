/**
 * Customers and gift cards over the whole sandbox (issue 9 acceptance), black box through the
 * simulators' real APIs and the connector's actions:
 * - a customer created in Magento appears once in Heartland; editing it in Heartland updates
 *   Magento; the edit does not bounce back (one write each way, by the simulators' counters);
 * - two Magento customers and one Heartland customer sharing an email in different case: one
 *   link, a duplicate report, no third customer;
 * - the "Magento gift card" payment type's webhooks as a POS user triggers them: check balance,
 *   capture, a repeated capture with the same payment_id, a capture over the balance, void.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { seedDemo, type DemoSeed } from '../sandbox/demo/seed';
import { commerceAll, commerceApi, heartlandApi, type SimApi } from '../sandbox/demo/sim-http';
import { createConnector } from '../lib/connector';
import { listCustomerDuplicates } from '../lib/flows/customers';

let sandbox: Sandbox;
let dir: string;
let seed: DemoSeed;
let hl: SimApi;
let mc: SimApi;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hcc-e2e-customers-'));
  sandbox = await startSandbox({ dataDir: dir, fresh: true, ports: { host: 0, heartland: 0, commerce: 0 }, alarms: false, seed: false, log: () => undefined });
  seed = await seedDemo(sandbox, { items: 4, customers: 2 });
  hl = heartlandApi(sandbox.heartland!.url);
  mc = commerceApi(sandbox.commerce!.url);
  await settle();
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, read: () => Promise<T | undefined | false>, timeoutMs = 8_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value) return value as T;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Waits until neither simulator has seen a request for a moment (events and their echoes have landed). */
async function settle(quietMs = 1_200, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const { requests } = await hl.control<{ requests: Array<{ path: string }> }>('GET', `requests?since=${Date.now() - quietMs}`);
    const deliveries = await mc.control<Array<{ status?: string; lastStatus?: number }>>('GET', 'events/deliveries?since=0');
    const undelivered = (Array.isArray(deliveries) ? deliveries : []).filter((d) => d.status === 'pending');
    if (requests.filter((r) => !r.path.includes('__sim')).length === 0 && undelivered.length === 0) return;
    await sleep(200);
  }
}

function writes(byEndpoint: Record<string, number>, pattern: RegExp): number {
  return Object.entries(byEndpoint)
    .filter(([endpoint]) => /^(POST|PUT|DELETE) /.test(endpoint) && pattern.test(endpoint))
    .reduce((sum, [, n]) => sum + n, 0);
}

async function heartlandCustomersWithEmail(email: string) {
  const body = await hl.request<{ results: Array<{ id: number; email: string; first_name: string; custom?: Record<string, unknown> }> }>('GET', `customers?query=${encodeURIComponent(email)}&per_page=100`);
  return body.results.filter((c) => c.email.toLowerCase() === email.toLowerCase());
}

function magentoCustomer(email: string, firstname: string, lastname: string, websiteId = 1) {
  return mc.request<{ id: number }>('POST', 'customers', {
    customer: {
      email,
      firstname,
      lastname,
      website_id: websiteId,
      addresses: [
        { firstname, lastname, street: ['9 Elm St'], city: 'Austin', region: { region_code: 'TX', region: 'Texas', region_id: 57 }, postcode: '73301', country_id: 'US', telephone: '512-555-0199', default_billing: true, default_shipping: true },
      ],
    },
  });
}

describe('customers both ways', () => {
  it('a Magento customer appears once in Heartland; a Heartland edit reaches Magento and does not bounce back', async () => {
    const email = 'e2e.one@example.com';
    await hl.control('DELETE', 'counters');
    await mc.control('DELETE', 'counters');
    const created = await magentoCustomer(email, 'Erin', 'Stone');
    const [hc] = await waitFor('the Heartland customer', async () => {
      const found = await heartlandCustomersWithEmail(email);
      return found.length ? found : undefined;
    });
    expect(hc.custom?.magento_customer_id).toBe(String(created.id));
    await settle();
    expect(await heartlandCustomersWithEmail(email)).toHaveLength(1);
    // Creation: the customer and its address in Heartland; in Magento only our own POST (no bounce).
    const createdHl = await hl.control<{ byEndpoint: Record<string, number> }>('GET', 'counters');
    const createdMc = await mc.control<{ byEndpoint: Record<string, number> }>('GET', 'counters');
    expect(writes(createdHl.byEndpoint, /customers/)).toBe(2);
    expect(writes(createdMc.byEndpoint, /customers/)).toBe(1);

    await hl.control('DELETE', 'counters');
    await mc.control('DELETE', 'counters');
    await hl.request('PUT', `customers/${hc.id}`, { first_name: 'Erina' });
    await waitFor('the Magento edit', async () => (await mc.request<{ firstname: string }>('GET', `customers/${created.id}`)).firstname === 'Erina');
    await settle();

    const hlCounters = await hl.control<{ byEndpoint: Record<string, number> }>('GET', 'counters');
    const mcCounters = await mc.control<{ byEndpoint: Record<string, number> }>('GET', 'counters');
    expect(writes(mcCounters.byEndpoint, /customers/)).toBe(1); // the connector's one write into Magento
    expect(writes(hlCounters.byEndpoint, /customers/)).toBe(1); // the clerk's edit; nothing bounced back
    expect((await heartlandCustomersWithEmail(email))[0].first_name).toBe('Erina');
  }, 45_000);

  it('two Magento customers and one Heartland customer with the same email in different case: one link, a report, no third customer', async () => {
    const email = 'e2e.twin@example.com';
    await hl.request('POST', 'customers', { first_name: 'Tam', last_name: 'Twin', email: 'E2E.Twin@Example.COM' });
    const a = await magentoCustomer('E2E.twin@example.com', 'Tam', 'Twin', 1);
    const b = await magentoCustomer('e2e.TWIN@example.com', 'Tam', 'Twin', 2);
    const connector = createConnector({ inputs: sandbox.env });
    const report = await waitFor('the duplicate report', async () => (await listCustomerDuplicates(connector.deps)).find((r) => r.email === email));
    await settle();
    expect(report).toMatchObject({ system: 'commerce', ids: [String(a.id), String(b.id)], kept: String(a.id) });
    const found = await heartlandCustomersWithEmail(email);
    expect(found).toHaveLength(1);
    const state = connector.deps.platform.state;
    const { linkKey } = await import('../lib/sync');
    expect((await state.get<{ id: string }>(linkKey('customer', 'commerce', String(a.id))))?.id).toBe(String(found[0].id));
    expect(await state.get(linkKey('customer', 'commerce', String(b.id)))).toBeUndefined();
  }, 45_000);
});

describe('gift card payment webhooks (Heartland custom payment type)', () => {
  it('check balance, capture, repeated capture, capture over the balance, void', async () => {
    const paymentTypeId = seed.paymentTypeIds['Gift Card'];
    expect(paymentTypeId).toBeDefined();
    const secret = encodeURIComponent(sandbox.env.HEARTLAND_WEBHOOK_SECRET!);
    const base = `${sandbox.host.url}/api/v1/web/connector/heartland-webhook/${secret}/payment`;
    await hl.control('POST', 'payment-webhooks', { payment_type_id: paymentTypeId, capture: `${base}/capture`, refund: `${base}/refund`, void: `${base}/void`, check_balance: `${base}/check_balance` });
    await mc.request('POST', 'giftcardaccounts', { giftcardAccount: { code: 'E2E-GIFT-0001', balance: 60 } });
    // The account-save event mirrors the card into Heartland (number without dashes).
    await waitFor('the Heartland mirror card', async () => (await hl.request<{ balance: number }>('GET', 'gift_cards/E2EGIFT0001').catch(() => undefined))?.balance === 60);
    const call = (operation: string, extra: Record<string, unknown>) =>
      hl.control<{ ok: boolean; status: number; body: any }>('POST', 'payment-webhooks/call', { payment_type_id: paymentTypeId, operation, number: 'E2E-GIFT-0001', ...extra });

    expect(await call('check_balance', {})).toMatchObject({ ok: true, status: 200, body: { balance: 60 } });
    expect(await call('capture', { payment_id: 'p-1', amount: 25 })).toMatchObject({ ok: true, status: 200, body: { balance: 35 } });
    expect(await call('capture', { payment_id: 'p-1', amount: 25 })).toMatchObject({ ok: true, status: 200, body: { balance: 35 } });
    const declined = await call('capture', { payment_id: 'p-2', amount: 50 });
    expect(declined).toMatchObject({ ok: false, status: 422 });
    expect(declined.body.message).toMatch(/Declined/);
    const account = async () => (await commerceAll<{ code: string; balance: number }>(mc, 'giftcardaccounts', [{ field: 'code', value: 'E2E-GIFT-0001' }]))[0];
    expect((await account()).balance).toBe(35);
    expect(await call('void', { payment_id: 'p-1', amount: 25 })).toMatchObject({ ok: true, status: 200, body: { balance: 60 } });
    expect((await account()).balance).toBe(60);
    // The Heartland mirror of the card follows the ledger: the capture and its void, once each.
    const mirror = await waitFor('the Heartland mirror card with the capture and the void', async () => {
      const card = await hl.request<{ id: number; balance: number }>('GET', 'gift_cards/E2EGIFT0001').catch(() => undefined);
      if (!card) return undefined;
      const adj = await hl.request<{ results: Array<{ delta_balance: number }> }>('GET', `gift_card/adjustments?_filter=${encodeURIComponent(JSON.stringify({ gift_card_id: card.id }))}&per_page=100`);
      const deltas = adj.results.map((a) => a.delta_balance);
      return deltas.includes(-25) && deltas.includes(25) ? { card, deltas } : undefined;
    });
    await settle();
    const final = await hl.request<{ balance: number }>('GET', 'gift_cards/E2EGIFT0001');
    expect(final.balance).toBe(60);
    const adj = await hl.request<{ results: Array<{ delta_balance: number }> }>('GET', `gift_card/adjustments?_filter=${encodeURIComponent(JSON.stringify({ gift_card_id: mirror.card.id }))}&per_page=100`);
    expect(adj.results.map((a) => a.delta_balance).sort((a, b) => a - b)).toEqual([-25, 25, 60]);
  }, 45_000);
});

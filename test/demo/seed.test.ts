/**
 * The demo seed against the whole sandbox: both simulators get the same catalog, the settings use
 * the simulators' real ids, the webhook is registered, and a second seed changes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { seedDemo, demoStateStore, type DemoSeed } from '../../sandbox/demo/seed';
import { commerceAll, commerceApi, heartlandAll, heartlandApi } from '../../sandbox/demo/sim-http';
import { loadConnectorSettings, paymentTypeFor, sourceForLocation } from '../../lib/config/connector-settings';

let sandbox: Sandbox;
let dir: string;
let first: DemoSeed;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hcc-demo-seed-'));
  sandbox = await startSandbox({ dataDir: dir, fresh: true, ports: { host: 0, heartland: 0, commerce: 0 }, alarms: false, seed: false, log: () => undefined });
  // These tests are about what the demo does to the simulators; the connector reacting to it
  // (events, notifications) is other suites' business and would only slow them down.
  await commerceApi(sandbox.commerce!.url).control('PUT', 'events/settings', { target: null });
  await heartlandApi(sandbox.heartland!.url).control('PUT', 'notifications/settings', { enabled: false });
  first = await seedDemo(sandbox, { items: 20, customers: 4 });
}, 30_000);

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function snapshot() {
  const hl = heartlandApi(sandbox.heartland!.url);
  const mc = commerceApi(sandbox.commerce!.url);
  return {
    hlItems: (await heartlandAll(hl, 'items')).length,
    hlLocations: (await heartlandAll(hl, 'locations')).length,
    hlCustomers: (await heartlandAll(hl, 'customers')).length,
    products: (await commerceAll(mc, 'products')).length,
    sources: (await commerceAll<{ source_code: string }>(mc, 'inventory/sources')).map((s) => s.source_code).sort(),
    sourceItems: (await commerceAll<{ sku: string; source_code: string; quantity: number }>(mc, 'inventory/source-items')).map((s) => `${s.sku}@${s.source_code}=${s.quantity}`).sort(),
    customers: (await commerceAll(mc, 'customers/search')).length,
    webhooks: (await hl.control<{ targets: unknown[] }>('GET', 'notifications')).targets,
    settings: await loadConnectorSettings(demoStateStore(sandbox)),
  };
}

describe('seedDemo', () => {
  it('seeds the same SKUs, names and prices on both sides, with Heartland stock per location as MSI source items', async () => {
    expect(first.skus).toHaveLength(20);
    expect(first.locations).toHaveLength(3);
    expect(first.sourceCodes).toEqual(first.locations.map((l) => l.sourceCode));
    const mc = commerceApi(sandbox.commerce!.url);
    const hl = heartlandApi(sandbox.heartland!.url);
    const products = await commerceAll<{ sku: string; name: string; price: number; type_id: string }>(mc, 'products');
    for (const item of first.items) {
      const product = products.find((p) => p.sku === item.sku);
      expect(product, item.sku).toMatchObject({ name: item.name, price: item.price, type_id: 'simple' });
    }
    const stock = await heartlandAll<{ item_id: number; location_id: number; qty_available: number }>(hl, 'inventory/values', { 'group[]': ['item_id', 'location_id'] });
    const sourceItems = await commerceAll<{ sku: string; source_code: string; quantity: number }>(mc, 'inventory/source-items');
    const item = first.items[3]!;
    for (const location of first.locations) {
      const row = stock.find((s) => s.item_id === item.id && s.location_id === location.id)!;
      const si = sourceItems.find((s) => s.sku === item.sku && s.source_code === location.sourceCode);
      expect(si?.quantity).toBe(row.qty_available);
    }
  });

  it('writes connector settings with the simulators’ real ids and registers the webhook', async () => {
    const s = await snapshot();
    expect(s.settings.stationId).toBe(String(first.stationId));
    expect(s.settings.sourceLocationId).toBe(String(first.sourceLocationId));
    for (const l of first.locations) expect(sourceForLocation(s.settings, l.id)).toBe(l.sourceCode);
    expect(paymentTypeFor(s.settings, 'checkmo')).toBe(String(first.paymentTypeIds.Check));
    expect(paymentTypeFor(s.settings, 'paypal_express')).toBe(String(first.paymentTypeIds.PayPal));
    expect(paymentTypeFor(s.settings, 'something_new')).toBe(String(first.paymentTypeIds.Web));
    expect(s.settings.shippingMethodMap.find((m) => m.magentoCode === 'flatrate_flatrate')?.heartlandShippingMethodId).toBe(String(first.shippingMethodIds.Ground));
    expect(s.settings.giftCards.paymentTypeId).toBe(String(first.paymentTypeIds['Gift Card']));
    expect(s.webhooks).toEqual([expect.objectContaining({ url: `${sandbox.host.url}/api/v1/web/connector/heartland-webhook/${sandbox.env.HEARTLAND_WEBHOOK_SECRET}/notification` })]);
    const paymentHooks = await heartlandApi(sandbox.heartland!.url).control<{ webhooks: Array<Record<string, unknown>> }>('GET', 'payment-webhooks');
    const hookBase = `${sandbox.host.url}/api/v1/web/connector/heartland-webhook/${sandbox.env.HEARTLAND_WEBHOOK_SECRET}/payment`;
    expect(paymentHooks.webhooks).toEqual([
      expect.objectContaining({ payment_type_id: first.paymentTypeIds['Gift Card'], capture: `${hookBase}/capture`, check_balance: `${hookBase}/check_balance`, refund: `${hookBase}/refund`, void: `${hookBase}/void` }),
    ]);
    expect(s.customers).toBe(4);
    expect(s.hlCustomers).toBe(4);
    // Two Magento customers are the same people as Heartland customers (matching by email).
    const hlEmails = new Set((await heartlandAll<{ email: string }>(heartlandApi(sandbox.heartland!.url), 'customers')).map((c) => c.email));
    expect(first.commerceCustomers.filter((c) => hlEmails.has(c.email))).toHaveLength(2);
  });

  it('changes nothing when run again, and keeps settings the merchant edited', async () => {
    const before = await snapshot();
    const { saveConnectorSettings } = await import('../../lib/config/connector-settings');
    await saveConnectorSettings(demoStateStore(sandbox), { safetyStock: 2 });
    const again = await seedDemo(sandbox, { items: 20, customers: 4 });
    const after = await snapshot();
    expect(again).toEqual(first);
    expect({ ...after, settings: undefined }).toEqual({ ...before, settings: undefined });
    expect(after.settings).toEqual({ ...before.settings, safetyStock: 2 });
  });
});

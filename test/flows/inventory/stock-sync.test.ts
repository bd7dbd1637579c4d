/**
 * Stock → Magento against the simulators: full reconciliation, only-changed pushes, coalesced
 * ledger windows, Magento shipments, web-order commitments and the wipe guard with approval.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnit } from '../../../lib/sync';
import { loadConnectorSettings, saveConnectorSettings } from '../../../lib/config/connector-settings';
import { createAnomalyRepository } from '../../../lib/insights';
import { applyHeldBatch, fixDrift, inventoryFlow, readDriftReport, runInventoryReconciliation, windowOf, windowUnitKey } from '../../../lib/flows/inventory';
import { startInventoryEnv, magentoQuantities, type InventoryEnv } from './harness';

let env: InventoryEnv;
let reason: number;
let items: Array<{ id: number; sku: string }>;

const writes = async () => (await env.csim('GET', '/__sim/counters')).byEndpoint['POST /V1/inventory/source-items'] ?? 0;

/** Expected source quantity of one item per the formula (no web orders, no safety stock). */
async function expected(itemId: number): Promise<Map<string, number>> {
  const values = await env.heartland.inventory.getValues([itemId], env.locations);
  const out = new Map<string, number>();
  env.locations.forEach((loc, i) => out.set(env.sources[i], Math.max(0, values.find((v) => v.location_id === loc)?.qty_available ?? 0)));
  return out;
}

async function drain(key = windowUnitKey(windowOf(Date.now(), 100), 100)) {
  return runUnit(inventoryFlow, { flow: 'inventory', key, trigger: 'event', eventId: `${key}-${Math.random()}` }, env.deps);
}

beforeAll(async () => {
  env = await startInventoryEnv({ items: 60 });
  reason = (await env.heartland.inventory.reasonCodes())[0].id;
  const all = [];
  for await (const it of env.heartland.items.iterate({})) all.push({ id: it.id, sku: it.public_id! });
  items = all;
}, 30_000);
afterAll(() => env?.close());

describe('inventory: full reconciliation', () => {
  it('fills an empty Magento with the formula for every SKU × source, then finds nothing to do', async () => {
    const { job, report } = await runInventoryReconciliation(env.deps, { pollMs: 20 });
    expect(job.status).toBe('done');
    expect(report?.items).toBe(60);
    expect(report?.missingInMagento).toBe(180);
    const magento = await magentoQuantities(env, items.map((i) => i.sku));
    expect(magento.size).toBe(180);
    for (const item of items.slice(0, 10)) {
      for (const [source, qty] of await expected(item.id)) expect(magento.get(`${item.sku}|${source}`)?.quantity).toBe(qty);
    }
    // 180 changed source items: one write (ceil(180 / 500)).
    expect(report?.writeCalls).toBe(1);

    const before = await writes();
    const second = await runInventoryReconciliation(env.deps, { pollMs: 20 });
    expect(second.report?.changed).toBe(0);
    expect(second.report?.drift).toBe(0);
    expect(await writes()).toBe(before);
  });

  it('reports and repairs drift when Magento was changed behind the connector', async () => {
    const victim = items[3];
    await env.commerce.inventory.saveSourceItems([{ sku: victim.sku, source_code: env.sources[0], quantity: 999, status: 1 }]);
    const { report } = await runInventoryReconciliation(env.deps, { pollMs: 20 });
    expect(report?.drift).toBe(1);
    expect(report?.rows[0]).toMatchObject({ sku: victim.sku, source: env.sources[0], magento: 999 });
    const available = (await env.heartland.inventory.getValues([victim.id], env.locations)).reduce((sum, v) => sum + v.qty_available, 0);
    expect(report?.salable).toEqual([{ sku: victim.sku, heartlandAvailable: available, magentoSalable: expect.any(Number) }]);
    expect(report!.salable[0].magentoSalable).toBeGreaterThan(available);
    const magento = await magentoQuantities(env, [victim.sku]);
    expect(magento.get(`${victim.sku}|${env.sources[0]}`)?.quantity).toBe((await expected(victim.id)).get(env.sources[0]));
    expect((await readDriftReport(env.platform.files))?.runId).toBe(report?.runId);
  });
});

describe('inventory: real-time ledger windows', () => {
  it('pushes an adjustment, and only the changed source item', async () => {
    const item = items[5];
    await env.heartland.inventory.adjust({ location_id: env.locations[1], adjustment_reason_id: reason, lines: [{ item_id: item.id, qty: 7 }] });
    const before = await writes();
    const outcome = await drain();
    expect(outcome.outcome).toBe('done');
    expect(await writes()).toBe(before + 1);
    const magento = await magentoQuantities(env, [item.sku]);
    expect(magento.get(`${item.sku}|${env.sources[1]}`)?.quantity).toBe((await expected(item.id)).get(env.sources[1]));
    // Nothing new in the ledger: the next window writes nothing.
    await drain();
    expect(await writes()).toBe(before + 1);
  });

  it('coalesces many adjustments into one read and one write', async () => {
    const touched = items.slice(10, 30);
    for (const item of touched) await env.heartland.inventory.adjust({ location_id: env.locations[0], adjustment_reason_id: reason, lines: [{ item_id: item.id, qty: 3 }] });
    await env.hsim('DELETE', '/__sim/counters');
    const before = await writes();
    const outcome = await drain();
    expect(outcome.outcome).toBe('done');
    expect(await writes()).toBe(before + 1);
    const counters = (await env.hsim('GET', '/__sim/counters')).byEndpoint;
    expect(counters['GET /api/inventory/values'] ?? 0).toBeLessThanOrEqual(1);
    expect(counters['GET /api/inventory/transactions'] ?? 0).toBeLessThanOrEqual(1);
    const magento = await magentoQuantities(env, touched.map((i) => i.sku));
    for (const item of touched.slice(0, 5)) expect(magento.get(`${item.sku}|${env.sources[0]}`)?.quantity).toBe((await expected(item.id)).get(env.sources[0]));
  });

  it('keeps the ledger mark when the push fails, so the retry drains the same range', async () => {
    const { readLedgerCursor } = await import('../../../lib/flows/inventory/ledger');
    const item = items[8];
    const markBefore = await readLedgerCursor(env.platform.state);
    await env.heartland.inventory.adjust({ location_id: env.locations[2], adjustment_reason_id: reason, lines: [{ item_id: item.id, qty: 4 }] });
    await env.csim('POST', '/__sim/faults', { path: '/rest/default/V1/inventory/source-items', method: 'POST', kind: 'status', status: 503 });
    try {
      const failed = await drain();
      expect(failed.outcome).toBe('retry-scheduled');
      expect(await readLedgerCursor(env.platform.state)).toBe(markBefore);
    } finally {
      await env.csim('DELETE', '/__sim/faults');
    }
    expect((await drain()).outcome).toBe('done');
    expect(await readLedgerCursor(env.platform.state)).toBeGreaterThan(markBefore);
    const magento = await magentoQuantities(env, [item.sku]);
    expect(magento.get(`${item.sku}|${env.sources[2]}`)?.quantity).toBe((await expected(item.id)).get(env.sources[2]));
  });

  it('re-pushes SKUs a Magento shipment deducted, whatever the snapshot says', async () => {
    const item = items[6];
    await env.commerce.inventory.saveSourceItems([{ sku: item.sku, source_code: env.sources[2], quantity: 0, status: 0 }]);
    const outcome = await runUnit(inventoryFlow, { flow: 'inventory', key: 'shipment-77', trigger: 'event', eventId: 'ship-77', payloadHint: { skus: [item.sku] } }, env.deps);
    expect(outcome.outcome).toBe('done');
    const magento = await magentoQuantities(env, [item.sku]);
    expect(magento.get(`${item.sku}|${env.sources[2]}`)?.quantity).toBe((await expected(item.id)).get(env.sources[2]));
  });

  it('adds back what open web orders committed and subtracts safety stock', async () => {
    const item = items[7];
    await env.heartland.inventory.adjust({ location_id: env.locations[0], adjustment_reason_id: reason, lines: [{ item_id: item.id, qty: 10 }] });
    const customer = (await env.hsim('POST', '/__sim/seed/customers', { count: 1, seed: 3 })).customers[0];
    const order = await env.heartland.orders.create({ customer_id: customer, status: 'pending', source_location_id: env.locations[0], station_id: env.seed.stations[0], custom: { ecommerce_number: '000000123' } } as never);
    await env.heartland.orders.addLine(order.id, { item_id: item.id, qty: 4, ship_from_location_id: env.locations[0] } as never);
    await env.heartland.orders.open(order.id);
    await saveConnectorSettings(env.platform.state, { safetyStockBySku: { [item.sku]: 2 } });
    try {
      await drain();
      const values = await env.heartland.inventory.getValues([item.id], [env.locations[0]]);
      expect(values[0].qty_committed).toBe(4);
      const magento = await magentoQuantities(env, [item.sku]);
      // available already excludes the 4 committed units Magento reserves itself: add them back, minus safety stock 2.
      expect(magento.get(`${item.sku}|${env.sources[0]}`)?.quantity).toBe(values[0].qty_available + 4 - 2);
    } finally {
      await saveConnectorSettings(env.platform.state, { safetyStockBySku: {} });
    }
  });
});

describe('inventory: wipe guard', () => {
  it('holds a batch that zeroes 40% of SKUs, shows it as an anomaly, and applies it on approval', async () => {
    await drain(); // settle anything pending (safety stock change)
    const settings = await loadConnectorSettings(env.platform.state);
    expect(settings.wipeGuard.maxSkuShare).toBe(0.2);
    const victims = items.slice(0, 24); // 40% of 60
    for (const loc of env.locations) {
      const values = await env.heartland.inventory.getValues(victims.map((v) => v.id), [loc]);
      const lines = values.filter((v) => v.qty_on_hand > 0).map((v) => ({ item_id: v.item_id!, qty: -v.qty_on_hand }));
      if (lines.length) await env.heartland.inventory.adjust({ location_id: loc, adjustment_reason_id: reason, lines });
    }
    const before = await writes();
    const outcome = await drain();
    expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'held' });
    expect(await writes()).toBe(before);
    const anomalies = createAnomalyRepository({ state: env.platform.state, files: env.platform.files });
    const hold = await anomalies.openHold('inventory');
    expect(hold).toMatchObject({ kind: 'stock_wipe', status: 'open', holds: true });
    const magentoBefore = await magentoQuantities(env, [victims[0].sku]);
    expect([...magentoBefore.values()].some((v) => v.quantity > 0)).toBe(true);

    const applied = await applyHeldBatch(hold!.id, env.deps, 'tester');
    expect(applied.push.writeCalls).toBeGreaterThan(0);
    expect((await anomalies.get(hold!.id))?.status).toBe('approved');
    const magentoAfter = await magentoQuantities(env, victims.map((v) => v.sku));
    for (const v of victims) for (const s of env.sources) expect(magentoAfter.get(`${v.sku}|${s}`)?.quantity).toBe(0);
    await expect(applyHeldBatch(hold!.id, env.deps)).rejects.toMatchObject({ status: 409 });
  });

  it('fixDrift pushes the named SKUs again and names the unknown ones', async () => {
    const item = items[40];
    await env.commerce.inventory.saveSourceItems([{ sku: item.sku, source_code: env.sources[0], quantity: 555, status: 1 }]);
    const result = await fixDrift([item.sku, 'NOPE-404'], env.deps);
    expect(result.unknownSkus).toEqual(['NOPE-404']);
    const magento = await magentoQuantities(env, [item.sku]);
    expect(magento.get(`${item.sku}|${env.sources[0]}`)?.quantity).toBe((await expected(item.id)).get(env.sources[0]));
    await expect(fixDrift([], env.deps)).rejects.toMatchObject({ status: 400, field: 'skus' });
  });
});

/**
 * GET reports/drift and POST reports/drift/fix through the real admin-api handler, on the
 * platform of an inventory environment (simulators on ephemeral ports), so the drift comes from a
 * real full reconciliation after Magento was changed behind the connector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryArea, runInventoryReconciliation } from '../../lib/flows/inventory';
import { DRIFT_CSV_COLUMNS, driftFixRequest, driftFixResponse, driftResponse } from '../../lib/admin/contract';
import { driftFixture } from '../../e2e/support/admin-fixtures';
import { startInventoryEnv, magentoQuantities, type InventoryEnv } from '../flows/inventory/harness';
import { expectShape, startHarness, type Harness } from './harness';

let env: InventoryEnv;
let admin: Harness;
let inputs: Record<string, string>;
let items: Array<{ id: number; sku: string }>;

/** What the formula gives for one item at the first source (no web orders, no safety stock). */
async function formulaAtFirstSource(itemId: number): Promise<number> {
  const values = await env.heartland.inventory.getValues([itemId], env.locations);
  return Math.max(0, values.find((v) => v.location_id === env.locations[0])?.qty_available ?? 0);
}

const call = (method: string, path: string, options: { query?: Record<string, string>; body?: Record<string, unknown> } = {}) =>
  admin.call(method, path, { ...options, inputs });

beforeAll(async () => {
  env = await startInventoryEnv({ items: 12, stock: { min: 1, max: 20 } });
  // The admin-api shares the inventory environment's platform (state, files) and talks to its simulators.
  admin = await startHarness({ platform: env.platform, areas: [inventoryArea] });
  inputs = {
    HEARTLAND_BASE_URL: env.heartlandSim.url.replace(/\/$/, ''),
    COMMERCE_BASE_URL: `${env.commerceSim.url.replace(/\/$/, '')}/rest`,
  };
  items = [];
  for await (const it of env.heartland.items.iterate({})) items.push({ id: it.id, sku: it.public_id! });
}, 30_000);

afterAll(async () => {
  await admin?.close();
  await env?.close();
});

describe('admin-api: stock drift', () => {
  it('answers 404 with how to start a run before any reconciliation', async () => {
    const res = await call('GET', '/reports/drift');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('no_reconciliation');
    expect(res.body.error.message).toContain('POST sync/inventory');
  });

  it('rejects a bad fix body with a 400 naming skus', async () => {
    for (const body of [{}, { skus: [] }, { skus: 'SKU-1' }, { skus: [''] }, { skus: Array.from({ length: 501 }, (_, i) => `S-${i}`) }]) {
      const res = await call('POST', '/reports/drift/fix', { body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.error.field).toMatch(/^skus/);
    }
    const empty = await call('POST', '/reports/drift/fix', { body: { skus: [] } });
    expect(empty.body.error.message).toMatch(/skus.*at least one SKU/);
    const tooMany = await call('POST', '/reports/drift/fix', { body: { skus: Array.from({ length: 501 }, (_, i) => `S-${i}`) } });
    expect(tooMany.body.error.message).toMatch(/at most 500/);
    const badRun = await call('GET', '/reports/drift', { query: { runId: 'Run 1!' } });
    expect(badRun.status).toBe(400);
    expect(badRun.body.error.field).toBe('runId');
  });

  it('the panel test double answers contract-valid drift reports and fix bodies', () => {
    expect(driftResponse.safeParse(driftFixture).error?.issues ?? []).toEqual([]);
    expect(driftFixRequest.parse({ skus: [' A-1 '] }).skus).toEqual(['A-1']);
  });

  it('reports the drift a reconciliation found, as JSON and CSV, and fixes chosen SKUs', async () => {
    // First run fills the empty Magento; then Magento is changed behind the connector.
    expect((await runInventoryReconciliation(env.deps, { pollMs: 20 })).job.status).toBe('done');
    const first = expectShape(driftResponse, (await call('GET', '/reports/drift')).body);
    // Into an empty Magento every source item was missing: rows say so with magento null and nothing pushed before.
    expect(first.summary).toMatchObject({ skus: 12, drifting: 12 * env.sources.length, missingInMagento: 12 * env.sources.length, complete: true });
    expect(first.rows.every((r) => r.magento === null && r.lastPushed === null)).toBe(true);
    const victim = items[2];
    await env.commerce.inventory.saveSourceItems([{ sku: victim.sku, source_code: env.sources[0], quantity: 999, status: 1 }]);
    const { report } = await runInventoryReconciliation(env.deps, { pollMs: 20 });

    const res = await call('GET', '/reports/drift');
    expect(res.status).toBe(200);
    const drift = expectShape(driftResponse, res.body);
    expect(drift.runId).toBe(report?.runId);
    expect(drift.summary).toMatchObject({ skus: 12, drifting: 1, missingInMagento: 0, complete: true, held: [] });
    const expected = await formulaAtFirstSource(victim.id);
    expect(drift.rows).toEqual([
      { sku: victim.sku, source: env.sources[0], heartland: expected, magento: 999, lastPushed: expected, heartlandAvailable: expect.any(Number), magentoSalable: expect.any(Number) },
    ]);
    expect(drift.rows[0].magentoSalable!).toBeGreaterThan(drift.rows[0].heartlandAvailable!);

    const byId = await call('GET', '/reports/drift', { query: { runId: drift.runId } });
    expect(byId.body.rows).toEqual(drift.rows);
    // An earlier run stays readable by its id.
    const earlier = await call('GET', '/reports/drift', { query: { runId: first.runId } });
    expect(earlier.status).toBe(200);
    expect(earlier.body.summary.missingInMagento).toBe(12 * env.sources.length);
    const unknownRun = await call('GET', '/reports/drift', { query: { runId: 'run-1' } });
    expect(unknownRun.status).toBe(404);
    expect(unknownRun.body.error.field).toBe('runId');

    const csv = await call('GET', '/reports/drift', { query: { format: 'csv' } });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines[0]).toBe(DRIFT_CSV_COLUMNS.join(','));
    expect(lines[1]).toMatch(new RegExp(`^${victim.sku},${env.sources[0]},${expected},999,${expected},\\d+,\\d+$`));

    // The reconciliation repaired it; change Magento again and fix it from the panel.
    await env.commerce.inventory.saveSourceItems([{ sku: victim.sku, source_code: env.sources[0], quantity: 777, status: 1 }]);
    const fix = await call('POST', '/reports/drift/fix', { body: { skus: [victim.sku, 'NOPE-404', victim.sku] } });
    expect(fix.status).toBe(200);
    const fixed = expectShape(driftFixResponse, fix.body);
    expect(fixed).toMatchObject({ fixed: 1, unknownSkus: ['NOPE-404'] });
    expect(fixed.sourceItems).toBe(env.sources.length);
    expect(fixed.writeCalls).toBeGreaterThanOrEqual(1);
    const magento = await magentoQuantities(env, [victim.sku]);
    expect(magento.get(`${victim.sku}|${env.sources[0]}`)?.quantity).toBe(expected);
  });
});

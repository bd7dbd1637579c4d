/**
 * Price changes beyond the limit (issue 12) against the simulators: recorded with evidence, held
 * (not written to Magento) until released, released by the admin hook or by the generic approve
 * plus the held-price-changes feed, rejected changes never written, flag-only when holding is off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncRegistry, pollFeed, runUnit, type SyncDeps } from '../../../lib/sync';
import { saveConnectorSettings } from '../../../lib/config/connector-settings';
import { createAnomalyRepository } from '../../../lib/insights';
import { HELD_PRICE_CHANGES_FEED, PRICE_HOLDS_KEY, productFlow, productsArea, proposedPriceChanges, releaseHeldPriceChange } from '../../../lib/flows/products';
import { startInventoryEnv, type InventoryEnv } from '../inventory/harness';

let env: InventoryEnv;
let deps: SyncDeps;
let items: Array<{ id: number; sku: string }>;
const run = (id: number, trigger: 'poll' | 'manual' = 'poll') => runUnit(productFlow, { flow: 'product', key: String(id), trigger }, deps);
const anomalies = () => createAnomalyRepository({ state: env.platform.state, files: env.platform.files, clock: env.platform.clock });
const priceAnomaliesOf = async (sku: string) => (await anomalies().listRecent({ days: 1 })).filter((a) => a.kind === 'price_change' && a.details.sku === sku);

/** Creates the product in Magento, then moves the Heartland price to `factor` × the pushed one. */
async function pushThenReprice(index: number, factor: number, extra: Record<string, unknown> = {}) {
  const { id, sku } = items[index];
  expect(await run(id, 'manual')).toMatchObject({ outcome: 'done' });
  const before = Number((await env.commerce.products.get(sku)).price);
  const next = Math.round(before * factor * 100) / 100;
  await env.heartland.items.update(id, { price: next, original_price: null, ...extra });
  return { id, sku, before, next };
}

beforeAll(async () => {
  env = await startInventoryEnv({ items: 8 });
  deps = { ...env.deps, registry: createSyncRegistry({ flows: productsArea.flows, feeds: productsArea.feeds }) };
  items = [];
  for await (const it of env.heartland.items.iterate({})) items.push({ id: it.id, sku: it.public_id! });
  // Prices far enough from 0 that a ×10 or ÷10 move is more than the 5.00 minimum change.
  for (const { id } of items) await env.heartland.items.update(id, { price: 40, original_price: null });
}, 30_000);
afterAll(() => env?.close());

describe('price changes beyond the limit', () => {
  it('holds a 10× price jump: an anomaly with SKU, old, new and % change; Magento keeps the old price', async () => {
    const { id, sku, before, next } = await pushThenReprice(0, 10, { description: 'Renamed while the price waits' });
    const outcome = await run(id);
    expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'held' });
    const product = await env.commerce.products.get(sku);
    expect(Number(product.price)).toBe(before);
    expect(product.name).not.toBe('Renamed while the price waits'); // the whole update waits
    const [anomaly] = await priceAnomaliesOf(sku);
    expect(anomaly).toMatchObject({ kind: 'price_change', flow: 'product', holds: true, status: 'open' });
    expect(anomaly.details).toMatchObject({ sku, itemId: String(id), maxChangeShare: 0.5, held: true, changes: [{ sku, field: 'price', old: before, new: next, changePercent: 900 }] });
    expect(anomaly.summary).toMatch(new RegExp(`price of ${sku} would go up from ${before} to ${next} \\(\\+900%\\)`));
    // Later runs (the feed, a hint, a retry) ask the decision: still held, no second anomaly.
    expect(await run(id, 'manual')).toMatchObject({ outcome: 'skipped', reason: 'held' });
    expect(await priceAnomaliesOf(sku)).toHaveLength(1);

    // The admin hook: approve and write now.
    const released = await releaseHeldPriceChange(anomaly.id, deps, { by: 'reviewer' });
    expect(released.anomaly).toMatchObject({ status: 'approved', decidedBy: 'reviewer' });
    expect(released.outcome).toMatchObject({ outcome: 'done', action: 'updated' });
    expect(Number((await env.commerce.products.get(sku)).price)).toBe(next);
    expect((await env.commerce.products.get(sku)).name).toBe('Renamed while the price waits');
    // Calling it again is harmless; a rejected or non-price anomaly is refused with 409.
    expect((await releaseHeldPriceChange(anomaly.id, deps, { by: 'reviewer' })).outcome.outcome).not.toBe('dead-lettered');
    const other = await anomalies().record({ kind: 'other', flow: 'product', summary: 'x', details: {} });
    await expect(releaseHeldPriceChange(other.id, deps)).rejects.toMatchObject({ status: 409 });
    await expect(releaseHeldPriceChange('20260101000000-zzzzzzzz', deps)).rejects.toMatchObject({ status: 404 });
  });

  it('releases a hold approved through the generic approve route within one feed pass', async () => {
    const feed = deps.registry.feed(HELD_PRICE_CHANGES_FEED);
    // The hold released by the hook above is still listed: the feed runs it once more (nothing to write) and forgets it.
    expect(await pollFeed(feed, deps, Date.now() + 20_000)).toMatchObject({ units: 1, outcomes: { done: 1 } });
    const { id, sku, next } = await pushThenReprice(1, 0.1);
    expect(await run(id)).toMatchObject({ outcome: 'skipped', reason: 'held' });
    const [anomaly] = await priceAnomaliesOf(sku);
    expect(anomaly.details.changes).toEqual([expect.objectContaining({ changePercent: -90 })]);
    // While it is open the feed leaves it waiting.
    expect((await pollFeed(feed, deps, Date.now() + 20_000)).units).toBe(0);
    await anomalies().approve(anomaly.id, { by: 'panel' });
    const pass = await pollFeed(feed, deps, Date.now() + 20_000);
    expect(pass).toMatchObject({ units: 1, outcomes: { done: 1 } });
    expect(Number((await env.commerce.products.get(sku)).price)).toBe(next);
    expect(await env.platform.state.get(PRICE_HOLDS_KEY)).toEqual([]);
    expect((await pollFeed(feed, deps, Date.now() + 20_000)).units).toBe(0);
  });

  it('a rejected change is never written; the rest of the update is', async () => {
    const { id, sku, before } = await pushThenReprice(2, 5);
    expect(await run(id)).toMatchObject({ outcome: 'skipped', reason: 'held' });
    const [anomaly] = await priceAnomaliesOf(sku);
    await anomalies().reject(anomaly.id, { by: 'panel', note: 'typo in the import' });
    await env.heartland.items.update(id, { description: 'New name, same rejected price' });
    expect(await run(id)).toMatchObject({ outcome: 'done', action: 'updated' });
    const product = await env.commerce.products.get(sku);
    expect(Number(product.price)).toBe(before);
    expect(product.name).toBe('New name, same rejected price');
    // The feed forgets the decided hold without running anything.
    expect((await pollFeed(deps.registry.feed(HELD_PRICE_CHANGES_FEED), deps, Date.now() + 20_000)).units).toBe(0);
    // A new price is a new proposal, judged afresh (within the limit: written).
    await env.heartland.items.update(id, { price: before * 1.1 });
    expect(await run(id)).toMatchObject({ outcome: 'done', action: 'updated' });
    expect(Number((await env.commerce.products.get(sku)).price)).toBeCloseTo(before * 1.1, 2);
  });

  it('with holdPriceChanges off the change is written and listed once; small moves raise nothing', async () => {
    await saveConnectorSettings(env.platform.state, { anomalies: { holdPriceChanges: false } });
    try {
      const { id, sku, next } = await pushThenReprice(3, 3);
      expect(await run(id)).toMatchObject({ outcome: 'done', action: 'updated' });
      expect(Number((await env.commerce.products.get(sku)).price)).toBe(next);
      const listed = await priceAnomaliesOf(sku);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ holds: false, details: { held: false } });
      expect(await run(id, 'manual')).toMatchObject({ outcome: 'done' });
      expect(await priceAnomaliesOf(sku)).toHaveLength(1);
    } finally {
      await saveConnectorSettings(env.platform.state, { anomalies: { holdPriceChanges: true } });
    }
    const { id, sku } = await pushThenReprice(4, 1.4);
    expect(await run(id)).toMatchObject({ outcome: 'done', action: 'updated' });
    expect(await priceAnomaliesOf(sku)).toEqual([]);
  });

  it('judges special_price (a markdown) too, and compares only fields that change', () => {
    const current = { sku: 'A', price: 50, custom_attributes: [{ attribute_code: 'special_price', value: '45' }] };
    expect(proposedPriceChanges(current, { sku: 'A', price: 50, custom_attributes: [{ attribute_code: 'special_price', value: 4.5 }] })).toEqual([{ field: 'special_price', previous: 45, next: 4.5 }]);
    expect(proposedPriceChanges(current, { sku: 'A', name: 'no price in this update' })).toEqual([]);
    expect(proposedPriceChanges({ sku: 'A' }, { sku: 'A', price: 10 })).toEqual([]);
  });
});

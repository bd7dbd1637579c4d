/** Products → Magento against the simulators: create, update, markdowns, owned attributes, createNew, feed, hints. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncRegistry, pollFeed, runUnit } from '../../../lib/sync';
import { saveConnectorSettings } from '../../../lib/config/connector-settings';
import { createMappingRepository } from '../../../lib/mapping';
import { parseProductCursor, productFlow, productsArea, unitsForItemHint } from '../../../lib/flows/products';
import { startInventoryEnv, type InventoryEnv } from '../inventory/harness';

let env: InventoryEnv;
let items: Array<{ id: number; sku: string }>;
const run = (id: number, trigger: 'poll' | 'manual' = 'poll') => runUnit(productFlow, { flow: 'product', key: String(id), trigger }, env.deps);

beforeAll(async () => {
  env = await startInventoryEnv({ items: 8 });
  items = [];
  for await (const it of env.heartland.items.iterate({})) items.push({ id: it.id, sku: it.public_id! });
}, 30_000);
afterAll(() => env?.close());

describe('products → Magento', () => {
  it('creates a simple product by SKU with name, price, status and weight', async () => {
    const item = await env.heartland.items.get(items[0].id);
    const outcome = await run(item.id);
    expect(outcome).toMatchObject({ outcome: 'done', action: 'created', targetId: item.public_id });
    const product = await env.commerce.products.get(item.public_id!);
    expect(product).toMatchObject({ sku: item.public_id, name: item.description, status: item.active === false ? 2 : 1, type_id: 'simple' });
  });

  it('turns a markdown below original_price into special_price, and an inactive item into a disabled product', async () => {
    const { id, sku } = items[1];
    await env.heartland.items.update(id, { price: 40, original_price: 50, active: false });
    await run(id);
    const product = await env.commerce.products.get(sku);
    expect(product.price).toBe(50);
    expect(product.status).toBe(2);
    expect(product.custom_attributes?.find((a) => a.attribute_code === 'special_price')?.value).toEqual(expect.anything());
    expect(Number(product.custom_attributes?.find((a) => a.attribute_code === 'special_price')?.value)).toBe(40);
  });

  it('never overwrites Magento-owned attributes of an existing product, and reports unchanged when nothing differs', async () => {
    const { id, sku } = items[2];
    await run(id);
    await env.commerce.products.save({ sku, custom_attributes: [{ attribute_code: 'description', value: 'Written by the merchant in Magento' }] });
    // A price move within the ±50% limit goes straight through (beyond it: the price-hold tests).
    const price = Math.round(Number((await env.heartland.items.get(id)).price) * 120) / 100;
    await env.heartland.items.update(id, { long_description: '<p>Heartland text</p>', price });
    expect(await run(id)).toMatchObject({ outcome: 'done', action: 'updated' });
    const product = await env.commerce.products.get(sku);
    expect(product.price).toBe(price);
    expect(product.custom_attributes?.find((a) => a.attribute_code === 'description')?.value).toBe('Written by the merchant in Magento');
    expect(await run(id, 'manual')).toMatchObject({ outcome: 'done', action: 'unchanged' });
  });

  it('maps custom fields to attributes through the merchant mapping document', async () => {
    const { id, sku } = items[3];
    const item = await env.heartland.items.get(id);
    const saved = await createMappingRepository(env.platform.state).save({
      schemaVersion: 1,
      entities: { product: { fromHeartland: { rules: [{ id: 'color', kind: 'copy', target: 'attributes.color', source: 'custom.color' }] } } },
    });
    expect(saved.ok).toBe(true);
    await run(id);
    const product = await env.commerce.products.get(sku);
    expect(product.custom_attributes?.find((a) => a.attribute_code === 'color')?.value).toBe((item.custom as Record<string, unknown>).color);
  });

  it('skips new SKUs when createNew is off, and items without a SKU', async () => {
    await saveConnectorSettings(env.platform.state, { products: { createNew: false } });
    try {
      expect(await run(items[4].id)).toMatchObject({ outcome: 'skipped', reason: 'filtered' });
      expect(await env.commerce.products.find(items[4].sku)).toBeUndefined();
    } finally {
      await saveConnectorSettings(env.platform.state, { products: { createNew: true } });
    }
    expect(await run(99_999_999)).toMatchObject({ outcome: 'skipped', reason: 'not-found' });
  });

  it('polls items by updated_at and turns item hints into units', async () => {
    const deps = { ...env.deps, registry: createSyncRegistry({ flows: productsArea.flows, feeds: productsArea.feeds }) };
    const summary = await pollFeed(productsArea.feeds![0], deps, Date.now() + 20_000);
    expect(summary.error).toBeUndefined();
    expect(summary.units).toBe(8);
    expect(parseProductCursor(summary.cursor)?.id).toBeGreaterThan(0);
    for (const { sku } of items) expect(await env.commerce.products.find(sku)).toBeDefined();
    const again = await pollFeed(productsArea.feeds![0], deps, Date.now() + 20_000);
    expect(again.units).toBe(0);
    expect(unitsForItemHint({ event: 'item.updated', resource_type: 'item', resource_id: 5, occurred_at: '2026-01-01T00:00:00Z' })).toEqual([
      { flow: 'product', key: '5', trigger: 'event', eventId: 'item.updated-5-2026-01-01T00:00:00Z' },
    ]);
    expect(unitsForItemHint({ event: 'inventory.updated', resource_type: 'inventory', resource_id: 5, occurred_at: 'x' })).toEqual([]);
  });
});

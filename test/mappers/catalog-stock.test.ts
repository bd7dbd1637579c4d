import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { productToMagento, productToMagentoRequest } from '../../lib/commerce/mappers/product';
import { sourceItemsRequests, stockLevelsToSourceItems } from '../../lib/commerce/mappers/source-items';
import { lookupFrom } from '../../lib/commerce/mappers/lookup';
import { productFromHeartlandItem } from '../../lib/heartland/mappers/product';
import { stockLevelsFromHeartland } from '../../lib/heartland/mappers/stock';
import { ProductInput, SourceItemInput } from '../../lib/commerce/payloads';
import type { StockLevel } from '../../lib/model/stock-level';

const fixture = (system: string, name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${system}/${name}`, import.meta.url), 'utf8'));
const must = <T,>(r: { ok: true; value: T } | { ok: false; issues: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

describe('products: Heartland item → canonical → Magento', () => {
  const product = must(productFromHeartlandItem(fixture('heartland', 'item.json')));
  it('maps the item from heartland.md §3.3', () => {
    expect(product).toEqual({
      sku: '100001', name: 'Derek Shoe - Black - 10', description: '<p>HTML allowed</p>', price: 100, compareAtPrice: 120, cost: 55, weight: 1.2,
      active: true, attributes: {}, sourceId: '100777', groupId: '100050', updatedAt: '2025-01-05T10:00:00+00:00',
    });
  });
  it('writes a markdown as price + special_price, in the shape of the commerce.md §2.8 create body', () => {
    const body = productToMagento({ ...product, attributes: { color: 'Black', size: '10' } }, { create: true, websiteIds: [1] });
    expect(ProductInput.parse(body.product)).toBeTruthy();
    const example = fixture('commerce', 'product-create.json').product;
    expect(Object.keys(body.product)).toEqual(expect.arrayContaining(['sku', 'name', 'price', 'status', 'type_id', 'attribute_set_id', 'visibility', 'custom_attributes'].filter((k) => k in example)));
    expect(body.product).toMatchObject({ sku: '100001', name: 'Derek Shoe - Black - 10', price: 120, status: 1, type_id: 'simple', attribute_set_id: 4, visibility: 4, weight: 1.2, extension_attributes: { website_ids: [1] } });
    expect(body.product.custom_attributes).toEqual([
      { attribute_code: 'description', value: '<p>HTML allowed</p>' },
      { attribute_code: 'special_price', value: 100 },
      { attribute_code: 'cost', value: 55 },
      { attribute_code: 'color', value: 'Black' },
      { attribute_code: 'size', value: '10' },
    ]);
  });
  it('clears the special price when not on sale, disables inactive items, and never writes Magento-owned fields', () => {
    const body = productToMagento({ ...product, compareAtPrice: null, active: false }, { magentoOwnedFields: ['name', 'description'] }).product;
    expect(body).toMatchObject({ price: 100, status: 2 });
    expect(body.name).toBeUndefined();
    expect(body.custom_attributes?.map((a) => a.attribute_code)).toEqual(['special_price', 'cost']);
    expect(body.custom_attributes?.[0]).toEqual({ attribute_code: 'special_price', value: '' });
    expect(productToMagentoRequest({ ...product, sku: 'A/B 1' })).toMatchObject({ method: 'PUT', path: '/V1/products/A%2FB%201' });
  });
  it.each([
    [{ id: 1, description: 'x', price: 1 }, 'public_id', 'required (it is the Magento SKU)'],
    [{ id: 1, public_id: 'A', price: 1 }, 'description', 'required (it is the product name)'],
    [{ id: 1, public_id: 'A', description: 'x', price: 'cheap' }, 'price', 'expected a number, got "cheap"'],
  ])('rejects item %#', (input, path, message) => {
    const r = productFromHeartlandItem(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toContainEqual({ path, message });
  });
});

describe('stock: Heartland inventory values → MSI source items', () => {
  it('maps the values page from heartland.md §3.4', () => {
    const levels = must(stockLevelsFromHeartland(fixture('heartland', 'inventory-values.json'), { skuForItem: (id) => (id === 100777 ? '100001' : undefined) }));
    expect(levels).toEqual([{ sku: '100001', itemId: '100777', locationId: '100005', onHand: 7, committed: 2, available: 5 }]);
  });
  it('uses a placeholder and says so when the SKU is not known', () => {
    const r = stockLevelsFromHeartland([{ item_id: 5, location_id: 6, qty_on_hand: 1, qty_committed: 0, qty_available: 1 }]);
    expect(r.ok && r.value[0].sku).toBe('{{heartland.item.public_id item_id=5}}');
    expect(r.ok && r.warnings).toEqual(['[0]: SKU of item 5 not known (add _include[]=item)']);
  });
  it('rejects values not grouped by item and location', () => {
    const r = stockLevelsFromHeartland({ results: [{ item_id: 5, qty_on_hand: 1, qty_committed: 0, qty_available: 1 }] });
    expect(r).toEqual({ ok: false, issues: [{ path: 'results[0].location_id', message: 'required (read values with group[]=item_id&group[]=location_id)' }] });
  });

  const level = (sku: string, locationId: string, available: number): StockLevel => ({ sku, itemId: '1', locationId, onHand: available, committed: 0, available });
  it('sums locations feeding one source, adds back committed web quantity, subtracts safety stock, floors at 0', () => {
    const { sourceItems, unmappedLocations } = stockLevelsToSourceItems(
      [level('A', '100005', 5), level('A', '100006', 3), level('A', '100007', 9), level('B', '100005', 1), level('C', '100005', -2)],
      {
        sourceForLocation: lookupFrom({ '100005': 'central', '100006': 'central', '100007': null }),
        safetyStock: (sku) => (sku === 'B' ? 1 : 2),
        committedWebQty: (sku, source) => (sku === 'A' && source === 'central' ? 4 : 0),
      },
    );
    expect(sourceItems).toEqual([
      { sku: 'A', source_code: 'central', quantity: 10, status: 1 },
      { sku: 'B', source_code: 'central', quantity: 0, status: 0 },
      { sku: 'C', source_code: 'central', quantity: 0, status: 0 },
    ]);
    expect(sourceItems.every((s) => SourceItemInput.safeParse(s).success)).toBe(true);
    expect(unmappedLocations).toEqual(['100007']);
  });
  it('marks out of stock at or below the threshold and batches 500 per request', () => {
    const levels = Array.from({ length: 1001 }, (_, i) => level(`S${i}`, '1', i % 4));
    const { sourceItems } = stockLevelsToSourceItems(levels, { sourceForLocation: () => 'default', outOfStockThreshold: 2 });
    expect(sourceItems.slice(0, 4).map((s) => s.status)).toEqual([0, 0, 0, 1]);
    const requests = sourceItemsRequests(sourceItems);
    expect(requests.map((r) => (r.body as { sourceItems: unknown[] }).sourceItems.length)).toEqual([500, 500, 1]);
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/V1/inventory/source-items' });
  });
});

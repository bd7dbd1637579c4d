/**
 * The per-order record of Magento items by SKU (order-items.ts): written when an order is sent with
 * inline lines, read by shipments and returns. The first read learns the SKUs' Heartland item ids
 * with one item look-up and keeps them; a resumed order rewrites the record without losing them.
 */
import { describe, expect, it } from 'vitest';
import type { HeartlandClient } from '../../../lib/heartland/client';
import { magentoItemsByHeartlandItem, orderItemsKey, rememberOrderItems, type OrderItemsRecord } from '../../../lib/flows/orders/order-items';
import { createMemoryStateStore } from '../../../lib/platform/memory';
import type { Order } from '../../../lib/model/order';

const line = (sku: string, sourceLineId: string | null): Order['lines'][number] => ({
  sku, name: sku, qty: 1, unitPrice: 1, discount: 0, tax: 0, rowTotal: 1, sourceLineId, productType: 'simple', bundleLineId: null,
});

/** A Heartland client whose only used call, items.findBySkus, answers from a catalog and counts. */
function fakeHeartland(catalog: Record<string, number>) {
  const asked: string[][] = [];
  const hl = {
    items: {
      findBySkus: async (skus: readonly string[]) => {
        asked.push([...skus]);
        return new Map(skus.filter((s) => s in catalog).map((s) => [s, { id: catalog[s], public_id: s }]));
      },
    },
  } as unknown as HeartlandClient;
  return { hl, asked };
}

describe('order items record', () => {
  it('keeps one entry per SKU (the first Magento line with it) and skips lines without a Magento item id', async () => {
    const state = createMemoryStateStore();
    await rememberOrderItems({ state }, 100900, [line('A', '11'), line('B', null), line('A', '13'), line('C', '14')], true);
    const record = await state.get<OrderItemsRecord>(orderItemsKey(100900));
    expect(record).toEqual({ v: 1, items: [{ sku: 'A', magentoItemId: '11' }, { sku: 'C', magentoItemId: '14' }] });
  });

  it('learns item ids once, answers Heartland item id → Magento item id, and a resumed order keeps what was learned', async () => {
    const state = createMemoryStateStore();
    const { hl, asked } = fakeHeartland({ A: 500, C: 502 });
    await rememberOrderItems({ state }, 7, [line('A', '11'), line('B', '12'), line('C', '13')], true);

    const first = await magentoItemsByHeartlandItem(hl, { state }, 7);
    expect([...first!]).toEqual([[500, 11], [502, 13]]);
    expect(asked).toEqual([['A', 'B', 'C']]);
    // Known ids are not asked again; only the SKU Heartland did not know is.
    await magentoItemsByHeartlandItem(hl, { state }, 7);
    expect(asked).toEqual([['A', 'B', 'C'], ['B']]);

    // The order flow resumes the same order: the record is rewritten with the learned ids intact.
    await rememberOrderItems({ state }, 7, [line('A', '11'), line('B', '12'), line('C', '13')]);
    const record = await state.get<OrderItemsRecord>(orderItemsKey(7));
    expect(record!.items.map((i) => [i.sku, i.itemId])).toEqual([['A', 500], ['B', undefined], ['C', 502]]);
  });

  it('answers undefined for an order without a record (sent line by line by an earlier version)', async () => {
    const { hl, asked } = fakeHeartland({});
    expect(await magentoItemsByHeartlandItem(hl, { state: createMemoryStateStore() }, 42)).toBeUndefined();
    expect(asked).toEqual([]);
  });
});

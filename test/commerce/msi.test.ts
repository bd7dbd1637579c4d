/** MSI semantics over the real REST API: reservations on order, deduction on ship, compensation on cancel. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchCriteria, type CommerceClient } from '../../lib/commerce/client';
import { clientFor, orderEntity, startSim } from './helpers';

let env: Awaited<ReturnType<typeof startSim>>;
let client: CommerceClient;
const SKU = 'MSI-TEE-M';

async function sourceQty(source: string) {
  const res = await client.inventory.searchSourceItems(searchCriteria().where('sku', SKU).where('source_code', source));
  return res.items[0]!.quantity;
}

beforeAll(async () => {
  env = await startSim();
  client = clientFor(env.sim.url);
  await env.control('POST', '/__sim/seed', { skus: [SKU], sources: ['ne_wh', 'sw_wh'], quantity: { min: 10, max: 10 } });
});
afterAll(async () => env.sim.close());

describe('MSI reservations', () => {
  it('place order → salable drops, source unchanged; ship → source drops, salable unchanged; cancel compensates', async () => {
    const salable0 = await client.inventory.salableQty(SKU);
    expect(salable0).toBe(20);
    expect(await sourceQty('ne_wh')).toBe(10);

    const order = await client.orders.save(orderEntity([{ sku: SKU, qty: 3, price: 20 }]));
    expect(await client.inventory.salableQty(SKU)).toBe(17);
    expect(await sourceQty('ne_wh')).toBe(10);
    expect(await sourceQty('sw_wh')).toBe(10);

    await client.orders.ship(order.entity_id, { items: [{ order_item_id: order.items[0]!.item_id!, qty: 2 }], sourceCode: 'ne_wh' });
    expect(await sourceQty('ne_wh')).toBe(8);
    expect(await sourceQty('sw_wh')).toBe(10);
    expect(await client.inventory.salableQty(SKU)).toBe(17);

    // Cancel gives back only the unshipped unit.
    expect(await client.orders.cancel(order.entity_id)).toBe(true);
    expect(await client.inventory.salableQty(SKU)).toBe(18);
    expect(await sourceQty('ne_wh')).toBe(8);
    const reservations = (await env.control('GET', `/__sim/reservations?sku=${SKU}`)).body;
    expect(reservations.total).toBe(0); // every reservation is compensated once the order is settled
  });

  it('a shipment larger than the source quantity fails atomically', async () => {
    const order = await client.orders.save(orderEntity([{ sku: SKU, qty: 9, price: 20 }]));
    const before = await client.inventory.salableQty(SKU);
    const err = await client.orders.ship(order.entity_id, { sourceCode: 'ne_wh' }).catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.message).toContain('Not all of your products are available in the requested quantity.');
    expect(await sourceQty('ne_wh')).toBe(8);
    expect(await client.inventory.salableQty(SKU)).toBe(before);
    expect((await client.orders.get(order.entity_id)).items[0]!.qty_shipped).toBe(0);
  });

  it('a refund of an unshipped line compensates the reservation; return_to_stock puts shipped units back', async () => {
    const order = await client.orders.save(orderEntity([{ sku: SKU, qty: 2, price: 20 }]));
    const itemId = order.items[0]!.item_id!;
    await client.orders.invoice(order.entity_id, { capture: true });
    const salableBefore = await client.inventory.salableQty(SKU);
    await client.orders.ship(order.entity_id, { items: [{ order_item_id: itemId, qty: 1 }], sourceCode: 'sw_wh' });
    expect(await sourceQty('sw_wh')).toBe(9);
    await client.orders.refund(order.entity_id, { items: [{ order_item_id: itemId, qty: 2 }], arguments: { extension_attributes: { return_to_stock_items: [itemId] } } });
    expect(await sourceQty('sw_wh')).toBe(10);
    expect(await client.inventory.salableQty(SKU)).toBe(salableBefore + 2);
    expect((await client.orders.get(order.entity_id)).state).toBe('closed');
  });

  it('a configurable line reserves and ships its child SKU; the child carries parent_item', async () => {
    await client.inventory.saveSourceItems([{ sku: 'CHILD-S', source_code: 'ne_wh', quantity: 5, status: 1 }]);
    const entity = orderEntity([]);
    const order = await client.orders.save({
      ...entity,
      grand_total: 35,
      items: [
        { item_id: 1, sku: 'CHILD-S', name: 'Champ Tee', product_type: 'configurable', qty_ordered: 2, price: 15, row_total: 30 },
        { item_id: 2, sku: 'CHILD-S', name: 'Champ Tee-S', product_type: 'simple', parent_item_id: 1, qty_ordered: 2, price: 0 },
      ],
    });
    const [parent, child] = order.items;
    expect(child!.parent_item_id).toBe(parent!.item_id);
    expect(child!.parent_item?.item_id).toBe(parent!.item_id);
    expect(order.extension_attributes?.shipping_assignments?.[0]?.items).toHaveLength(2);
    expect(await client.inventory.salableQty('CHILD-S')).toBe(3);
    await client.orders.ship(order.entity_id, { items: [{ order_item_id: parent!.item_id!, qty: 1 }], sourceCode: 'ne_wh' });
    const after = await client.orders.get(order.entity_id);
    expect(after.items.map((i) => i.qty_shipped)).toEqual([1, 1]);
    const items = await client.inventory.searchSourceItems(searchCriteria().where('sku', 'CHILD-S').where('source_code', 'ne_wh'));
    expect(items.items[0]!.quantity).toBe(4);
    expect(await client.inventory.salableQty('CHILD-S')).toBe(3);
  });

  it('writing source items changes salable quantity by the same amount', async () => {
    const before = await client.inventory.salableQty(SKU);
    await client.inventory.saveSourceItems([{ sku: SKU, source_code: 'ne_wh', quantity: 18, status: 1 }]);
    expect(await client.inventory.salableQty(SKU)).toBe(before + 10);
    await client.inventory.saveSourceItems([{ sku: SKU, source_code: 'ne_wh', quantity: 18, status: 0 }]);
    expect(await client.inventory.salableQty(SKU)).toBe(before - 8); // out-of-stock source items do not count
  });
});

/**
 * Web orders held for stock. The order flow has no stock hold of its own: Heartland accepts a web
 * order whatever its stock, and opening it commits the lines' quantities at their ship-from
 * location (heartland.md §6 inventory semantics). When more is committed than is on hand there,
 * Heartland's fulfilment lists the lines as "Unfillable" or "Partially fillable" (§4): those orders
 * wait for stock. This module names them, from the inventory values the stock snapshot already
 * reads plus one listing of the open orders, and only when some location is short.
 *
 * ASSUMED (not documented): stock is allotted to the oldest orders first, so the orders held are
 * the newest open ones whose lines add up to the shortfall; `_include[]=lines` is accepted on the
 * order collection (§2.3 documents embedding, not this include); an order is a web order
 * when it carries the connector's ecommerce number custom field (CONTRACTS.md); an item's
 * `public_id` is its SKU (the product flow writes it that way).
 */
import type { HeartlandClient } from '../../heartland/client';

/** Open orders read at most per snapshot (pages of 500, oldest first): a larger backlog is only partly searched. */
export const MAX_OPEN_ORDERS = 5000;

export interface Shortfall {
  itemId: string;
  locationId: string;
  /** Units committed beyond what is on hand. */
  units: number;
}

export interface HeldForStock {
  sku: string;
  locationId: string;
  /** Units committed beyond what is on hand at the location when the snapshot was taken. */
  shortUnits: number;
  /** Ecommerce numbers (Magento increment ids) of the web orders waiting for this SKU there. */
  orders: string[];
}

interface OpenLine {
  orderId: number;
  /** Undefined for an order that is not a web order (a store special order). */
  ecommerceNumber?: string;
  qty: number;
}

/** Names the web orders that wait for the short items, newest first until each shortfall is covered. */
export async function findOrdersHeldForStock(heartland: HeartlandClient, shortfalls: Shortfall[], options: { ecommerceNumberField?: string } = {}): Promise<HeldForStock[]> {
  if (shortfalls.length === 0) return [];
  const field = options.ecommerceNumberField ?? 'ecommerce_number';
  const wanted = new Map(shortfalls.map((s) => [`${s.itemId}|${s.locationId}`, s]));
  const lines = new Map<string, OpenLine[]>();
  let read = 0;
  for await (const order of heartland.orders.iterate({ status: 'open', include: ['lines'], perPage: 500 })) {
    if (++read > MAX_OPEN_ORDERS) break;
    const custom = (order.custom as Record<string, unknown> | undefined)?.[field];
    const ecommerceNumber = typeof custom === 'string' && custom !== '' ? custom : undefined;
    for (const line of order.lines ?? []) {
      const open = Number(line.qty ?? 0) - Number(line.qty_invoiced ?? 0);
      if (open <= 0 || line.item_id == null || line.ship_from_location_id == null) continue;
      const key = `${line.item_id}|${line.ship_from_location_id}`;
      if (!wanted.has(key)) continue;
      const list = lines.get(key) ?? [];
      list.push({ orderId: Number(order.id), ecommerceNumber, qty: open });
      lines.set(key, list);
    }
  }
  const items = await heartland.items.getMany([...new Set(shortfalls.map((s) => Number(s.itemId)))]);
  const skuOf = new Map(items.map((i) => [String(i.id), i.public_id ?? `item ${i.id}`]));
  const held: HeldForStock[] = [];
  for (const [key, shortfall] of wanted) {
    const waiting = (lines.get(key) ?? []).sort((a, b) => b.orderId - a.orderId);
    const orders = new Set<string>();
    let covered = 0;
    // Store special orders take their share of the shortfall too; only web orders are named.
    for (const line of waiting) {
      if (covered >= shortfall.units) break;
      if (line.ecommerceNumber) orders.add(line.ecommerceNumber);
      covered += line.qty;
    }
    if (orders.size > 0) held.push({ sku: skuOf.get(shortfall.itemId) ?? `item ${shortfall.itemId}`, locationId: shortfall.locationId, shortUnits: shortfall.units, orders: [...orders].sort() });
  }
  return held.sort((a, b) => b.orders.length - a.orders.length || a.sku.localeCompare(b.sku));
}

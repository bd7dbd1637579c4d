/**
 * Which Magento order item each SKU of a Heartland web order is: written by the order flow when it
 * sends the order, read by the Heartland → Magento flows (shipments, returns) to name the Magento
 * order items a Heartland invoice or return line is about.
 *
 * Why a record per order instead of a link per order line: the order goes to Heartland with its
 * lines inline (`POST /sales/orders` with `lines`), and a create answers only the order's id in
 * `Location` (heartland.md §2.4), not its lines' ids. Reading the lines back would cost a Heartland
 * call on every order; Heartland item ids of the SKUs are learned instead the first time a shipment
 * or return of the order needs them (one `GET /items` by SKU) and kept in the record.
 */
import type { HeartlandClient } from '../../heartland/client';
import type { Order } from '../../model/order';
import { stateKey } from '../../platform/state-key';
import type { FlowContext } from '../../sync';
import { LINK_TTL_SECONDS } from '../../sync/links';

export interface OrderItemsRecord {
  v: 1;
  /** One entry per SKU (the first Magento line with it), in the order's line order. */
  items: Array<{ sku: string; magentoItemId: string; itemId?: number }>;
}

export function orderItemsKey(heartlandOrderId: number): string {
  return stateKey('order-items', heartlandOrderId);
}

/**
 * Records the order's Magento items by SKU (idempotent: a resumed order writes the same record).
 * `justCreated`: the order id is new, so there is no record to read first (one state call saved).
 */
export async function rememberOrderItems(ctx: Pick<FlowContext, 'state'>, heartlandOrderId: number, lines: Order['lines'], justCreated = false): Promise<void> {
  const items: OrderItemsRecord['items'] = [];
  for (const line of lines) {
    if (!line.sourceLineId || items.some((i) => i.sku === line.sku)) continue;
    items.push({ sku: line.sku, magentoItemId: line.sourceLineId });
  }
  if (!items.length) return;
  const key = orderItemsKey(heartlandOrderId);
  const known = justCreated ? undefined : await ctx.state.get<OrderItemsRecord>(key);
  // Item ids a shipment already learned stay (a replayed order must not cost that read again).
  for (const entry of items) entry.itemId = known?.items.find((k) => k.sku === entry.sku)?.itemId;
  if (known && JSON.stringify(known.items) === JSON.stringify(items)) return;
  await ctx.state.put(key, { v: 1, items } satisfies OrderItemsRecord, { ttlSeconds: LINK_TTL_SECONDS });
}

/**
 * Heartland item id → Magento order item id for an order the connector sent with inline lines, or
 * undefined when it has no record (orders sent line by line by earlier versions use line links).
 * The first call for an order reads the SKUs' item ids from Heartland once and keeps them.
 */
export async function magentoItemsByHeartlandItem(hl: HeartlandClient, ctx: Pick<FlowContext, 'state'>, heartlandOrderId: number): Promise<Map<number, number> | undefined> {
  const key = orderItemsKey(heartlandOrderId);
  const record = await ctx.state.get<OrderItemsRecord>(key);
  if (!record || record.v !== 1 || !Array.isArray(record.items)) return undefined;
  const unresolved = record.items.filter((i) => i.itemId === undefined);
  if (unresolved.length) {
    const found = await hl.items.findBySkus(unresolved.map((i) => i.sku));
    let learned = false;
    for (const entry of unresolved) {
      const item = found.get(entry.sku);
      if (item) {
        entry.itemId = item.id;
        learned = true;
      }
    }
    if (learned) await ctx.state.put(key, record, { ttlSeconds: LINK_TTL_SECONDS });
  }
  const out = new Map<number, number>();
  for (const entry of record.items) {
    if (entry.itemId !== undefined && !out.has(entry.itemId) && /^\d+$/.test(entry.magentoItemId)) out.set(entry.itemId, Number(entry.magentoItemId));
  }
  return out;
}

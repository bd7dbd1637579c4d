/**
 * Open web-order quantity the connector committed in Heartland, per item × location: the units
 * Heartland already subtracted from `qty_available` for orders Magento is still reserving itself.
 *
 * Read from Heartland, not from the order flow's state: an order the connector created carries
 * `custom.ecommerce_number` (the Magento increment id, DESIGN.md §1.2), and an open order's line
 * commits `qty − qty_invoiced` at its `ship_from_location_id` (heartland.md §3.5). One paged read
 * of open orders with their lines embedded (`_include[]=lines`) covers every item.
 */
import { z } from 'zod';
import type { HeartlandClient } from '../../heartland/client';
import { SalesOrderLine } from '../../heartland/payloads';
import { itemLocationKey } from './formula';

const OrderWithLines = z.looseObject({ lines: z.array(SalesOrderLine).optional() });

export async function openWebCommitments(heartland: HeartlandClient, itemIds?: ReadonlySet<number>): Promise<Map<string, number>> {
  const committed = new Map<string, number>();
  const orders = heartland.orders.iterate({
    status: 'open',
    filter: { 'custom@ecommerce_number': { $neq: null } },
    include: ['lines'],
  });
  for await (const order of orders) {
    const lines = OrderWithLines.parse(order).lines ?? [];
    for (const line of lines) {
      if (!line.ship_from_location_id) continue; // not distributed: nothing committed anywhere yet
      if (itemIds && !itemIds.has(line.item_id)) continue;
      const open = Math.max(0, line.qty - (line.qty_invoiced ?? 0));
      if (open === 0) continue;
      const key = itemLocationKey(line.item_id, line.ship_from_location_id);
      committed.set(key, (committed.get(key) ?? 0) + open);
    }
  }
  return committed;
}

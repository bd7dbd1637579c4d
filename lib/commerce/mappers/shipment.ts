/** Canonical shipment (a Heartland invoice) → `POST /V1/order/{orderId}/ship` (commerce.md §2.4). */
import { placeholder, type PlannedRequest, type Ref } from '../../model/planned-request';
import type { Order } from '../../model/order';
import type { Shipment, ShipmentLine } from '../../model/shipment';
import type { ValueLookup } from './lookup';

export interface ShipmentToMagentoOptions {
  /** Magento order entity id; a placeholder when not known yet. */
  orderId?: number;
  /** The Magento order item id for a shipped line (from the order's line links), when known. */
  orderItemIdFor?: (line: ShipmentLine) => number | undefined;
  /** `location.heartlandToSource` value map. */
  sourceForLocation: ValueLookup;
  notify?: boolean;
}

export interface ShipOrderBody {
  items: Array<{ order_item_id: Ref; qty: number }>;
  notify: boolean;
  appendComment: boolean;
  comment: { comment: string; is_visible_on_front: 0 | 1 };
  tracks: Array<{ track_number: string; title: string; carrier_code: string }>;
  arguments?: { extension_attributes: { source_code: string } };
}

/** The comment that carries the Heartland invoice id: the idempotency reference on Magento (DESIGN.md §1.2). */
export function shipmentReference(shipment: Pick<Shipment, 'sourceId'>): string {
  return `Heartland invoice #${shipment.sourceId}`;
}

export function shipmentToMagento(shipment: Shipment, options: ShipmentToMagentoOptions): { path: string; body: ShipOrderBody } {
  const byItem = new Map<Ref, number>();
  for (const line of shipment.lines) {
    const known = options.orderItemIdFor?.(line);
    const ref: Ref = known ?? placeholder('commerce.order_item_id', line.sku ? { sku: line.sku } : { heartland_item_id: line.itemId ?? 'unknown' });
    byItem.set(ref, (byItem.get(ref) ?? 0) + line.qty);
  }
  const source = shipment.locationId ? options.sourceForLocation(shipment.locationId) : undefined;
  const body: ShipOrderBody = {
    items: [...byItem].map(([order_item_id, qty]) => ({ order_item_id, qty })),
    notify: options.notify ?? false,
    appendComment: true,
    comment: { comment: shipmentReference(shipment), is_visible_on_front: 0 },
    tracks: shipment.tracks.map((t) => ({ track_number: t.number, title: t.title, carrier_code: t.carrier })),
  };
  if (typeof source === 'string' && source) body.arguments = { extension_attributes: { source_code: source } };
  const orderId = options.orderId ?? placeholder('commerce.order_id', shipment.orderExternalId ? { increment_id: shipment.orderExternalId } : { heartland_order_id: shipment.orderSourceId ?? 'unknown' });
  return { path: `/V1/order/${orderId}/ship`, body };
}

export function shipmentToMagentoRequest(shipment: Shipment, options: ShipmentToMagentoOptions): PlannedRequest {
  const { path, body } = shipmentToMagento(shipment, options);
  return { method: 'POST', path, body, note: `skipped when the order already has a shipment commented "${shipmentReference(shipment)}"` };
}

/**
 * The Magento order item to ship or refund for a SKU, from the canonical order's lines: a
 * configurable's parent item, a bundle part's own item ("ship separately" bundles), a simple's item.
 */
export function orderItemIdBySku(order: Pick<Order, 'lines'>): (line: { sku: string | null }) => number | undefined {
  const ids = new Map<string, number>();
  for (const line of order.lines) {
    if (line.sourceLineId && /^\d+$/.test(line.sourceLineId) && !ids.has(line.sku)) ids.set(line.sku, Number(line.sourceLineId));
  }
  return (line) => (line.sku ? ids.get(line.sku) : undefined);
}

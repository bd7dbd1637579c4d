/**
 * Outside signals → units of work for the order-to-cash flows. Events and notifications are hints
 * (DESIGN.md §1.1): a unit names the entity and the flow re-reads it. The hooks only decide which
 * flows could have something to do, so an order save that cannot matter costs no upstream read.
 */
import type { ParsedCommerceEvent } from '../../commerce/events';
import type { EventNotification } from '../../heartland/payloads';
import { createLinkStore, type UnitInput } from '../../sync';
import type { AreaContext } from '../area';
import { ORDER_FLOW } from './order-flow';
import { ORDER_STATUS_FLOW } from './order-status-flows';
import { PAYMENT_FLOW } from './payment-flow';
import { HEARTLAND_RETURN_FLOW, REFUND_FLOW } from './refund-flows';
import { SHIPMENT_FLOW } from './shipment-flow';

const ORDER_SAVED = 'observer.sales_order_save_commit_after';

export async function orderUnitsForCommerceEvent(event: ParsedCommerceEvent, ctx: AreaContext): Promise<UnitInput[]> {
  const eventId = event.event.id;
  const eventAt = event.event.time ? Date.parse(event.event.time) || undefined : undefined;
  const base = { trigger: 'event' as const, eventId, eventAt };
  switch (event.kind) {
    case 'order': {
      // `sales_order_save_after` fires for the same save; one of the two is enough.
      if (event.name !== ORDER_SAVED || event.value.entity_id === undefined) return [];
      const key = String(event.value.entity_id);
      const version = event.value.updated_at ?? undefined;
      const { state, clock } = ctx.deps.platform;
      const linked = (await createLinkStore(state, clock).get('order', 'commerce', key)) !== undefined;
      const status = event.value.status ?? undefined;
      const units: UnitInput[] = [];
      // Not yet in Heartland: only a trigger status (or a payload without one) can send it.
      if (!linked && (status === undefined || ctx.settings.orderTriggerStatuses.includes(status))) units.push({ ...base, flow: ORDER_FLOW, key, version });
      // In Heartland: its status may have to follow; a pending one may be a partial send to resume.
      if (linked) units.push({ ...base, flow: ORDER_STATUS_FLOW, key, version }, { ...base, flow: ORDER_FLOW, key, version });
      return units;
    }
    case 'invoice':
      return event.value.entity_id === undefined ? [] : [{ ...base, flow: PAYMENT_FLOW, key: String(event.value.entity_id), version: event.value.updated_at ?? undefined }];
    case 'creditmemo':
      return event.value.entity_id === undefined ? [] : [{ ...base, flow: REFUND_FLOW, key: String(event.value.entity_id), version: event.value.updated_at ?? undefined }];
    default:
      return [];
  }
}

/** ASSUMED notification format (sandbox/heartland/README.md); polling covers Heartland without it. */
export function orderUnitsForHeartlandNotification(notification: EventNotification): UnitInput[] {
  const key = String(notification.resource_id);
  if (!/^\d+$/.test(key)) return [];
  const base = { trigger: 'event' as const, key, eventAt: Date.parse(notification.occurred_at) || undefined };
  // One notification id per resource change; Heartland sends none, so the change itself is the id.
  const eventId = `${notification.event}.${key}.${notification.occurred_at}`;
  switch (notification.event) {
    case 'invoice.completed':
      return [{ ...base, flow: SHIPMENT_FLOW, eventId }];
    case 'return.completed':
      return [{ ...base, flow: HEARTLAND_RETURN_FLOW, eventId }];
    default:
      return [];
  }
}

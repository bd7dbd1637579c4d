/** Magento status/state → canonical order status, and canonical → the Magento calls that express it. */
import type { OrderStatus } from '../../model/order';
import { ORDER_STATUSES } from '../../model/order';
import type { PlannedRequest } from '../../model/planned-request';
import type { ValueLookup } from './lookup';

/** Magento's fixed order states (commerce.md §2.2) → canonical; custom statuses fall back to these. */
const FROM_STATE: Record<string, OrderStatus> = {
  new: 'new', pending_payment: 'new', processing: 'processing', holded: 'on_hold', payment_review: 'on_hold',
  complete: 'complete', canceled: 'canceled', closed: 'closed',
};

const isStatus = (v: unknown): v is OrderStatus => typeof v === 'string' && (ORDER_STATUSES as readonly string[]).includes(v);

/** The status map decides for known status codes; otherwise the state; otherwise undefined. */
export function orderStatusFromMagento(status: string | null | undefined, state: string | null | undefined, statusMap: ValueLookup): OrderStatus | undefined {
  const mapped = status ? statusMap(status) : undefined;
  if (isStatus(mapped)) return mapped;
  if (state && FROM_STATE[state]) return FROM_STATE[state];
  if (status && FROM_STATE[status]) return FROM_STATE[status];
  return undefined;
}

/**
 * The Magento calls that bring an order to a canonical status set on Heartland: cancel and hold
 * have endpoints (commerce.md §2.2); other statuses are recorded as a status comment.
 */
export function orderStatusChangeToMagento(
  orderId: number | string,
  status: OrderStatus,
  options: { comment: string; statusMap: ValueLookup; notifyCustomer?: boolean },
): PlannedRequest[] {
  const comment = (extra: Record<string, unknown> = {}): PlannedRequest => ({
    method: 'POST',
    path: `/V1/orders/${orderId}/comments`,
    body: { statusHistory: { comment: options.comment, is_customer_notified: options.notifyCustomer ? 1 : 0, is_visible_on_front: options.notifyCustomer ? 1 : 0, ...extra } },
  });
  switch (status) {
    case 'canceled':
      return [{ method: 'POST', path: `/V1/orders/${orderId}/cancel` }, comment()];
    case 'on_hold':
      return [{ method: 'POST', path: `/V1/orders/${orderId}/hold` }, comment()];
    default: {
      const code = options.statusMap(status);
      return [comment(typeof code === 'string' ? { status: code } : {})];
    }
  }
}

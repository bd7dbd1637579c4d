/**
 * Magento credit memo → canonical refund, and canonical refund (a Heartland return) → offline
 * credit memo `POST /V1/order/{id}/refund` (commerce.md §2.6).
 */
import { zodIssues } from '../../model/field-issues';
import { type MapResult, mapFailed, mapped, parseInput } from '../../model/map-result';
import { money } from '../../model/money';
import type { Order } from '../../model/order';
import { placeholder, type PlannedRequest, type Ref } from '../../model/planned-request';
import { Refund as CanonicalRefund, type RefundLine } from '../../model/refund';
import { CreditMemo } from '../payloads';
import { blanksToNull, unwrapEvent } from './magento-input';
import { magentoTimeToIso } from './order';

export interface RefundFromMagentoOptions {
  /** The canonical order refunded: lets configurable/bundle items fold onto the order's lines. */
  order?: Order;
  /** Whether refunded goods go back to stock (settings; default true). */
  returnToStock?: boolean;
}

export function refundFromMagento(input: unknown, options: RefundFromMagentoOptions = {}): MapResult<CanonicalRefund> {
  const { value, shape } = unwrapEvent(input);
  const parsed = parseInput(CreditMemo, shape === 'event' ? blanksToNull(value) : value);
  if (!parsed.ok) return mapFailed(parsed.issues);
  const memo = parsed.value;
  const warnings: string[] = [];
  const lineById = new Map((options.order?.lines ?? []).filter((l) => l.sourceLineId).map((l) => [l.sourceLineId!, l]));
  const bySku = new Map<string, RefundLine>();
  const lines: RefundLine[] = [];
  (memo.items ?? []).forEach((item, i) => {
    if (!(item.qty > 0)) return;
    const orderLine = lineById.get(String(item.order_item_id));
    // With the order known, items that are not canonical lines are the halves of a collapsed configurable/bundle.
    if (options.order && !orderLine) return;
    const sku = orderLine?.sku ?? item.sku ?? null;
    if (!sku) warnings.push(`items[${i}].sku: missing; the refund line is matched by order_item_id ${item.order_item_id}`);
    const unitPrice = money(item.price ?? item.base_price ?? (item.row_total != null ? item.row_total / item.qty : orderLine?.unitPrice ?? 0));
    const line: RefundLine = { sku, itemId: null, sourceLineId: String(item.order_item_id), qty: item.qty, unitPrice, tax: money(Math.abs(item.tax_amount ?? 0)) };
    if (!options.order && sku) {
      // Without the order, a configurable shows up twice (parent priced, child at 0): keep the priced one.
      const prior = bySku.get(sku);
      if (prior) {
        if (line.unitPrice > prior.unitPrice) Object.assign(prior, line);
        return;
      }
      bySku.set(sku, line);
    }
    lines.push(line);
  });
  const adjustment = memo.adjustment ?? (memo.adjustment_positive ?? 0) - (memo.adjustment_negative ?? 0);
  const result = CanonicalRefund.safeParse(
    {
      sourceSystem: 'commerce',
      sourceId: String(memo.entity_id),
      orderExternalId: options.order?.externalId ?? null,
      orderSourceId: String(memo.order_id),
      lines,
      shipping: money(memo.shipping_amount ?? 0),
      adjustment: money(adjustment),
      tax: money(memo.tax_amount ?? lines.reduce((t, l) => t + l.tax, 0)),
      total: money(memo.grand_total ?? lines.reduce((t, l) => t + l.unitPrice * l.qty + l.tax, 0) + (memo.shipping_amount ?? 0) + adjustment),
      returnToStock: options.returnToStock ?? true,
      createdAt: magentoTimeToIso(memo.created_at),
    },
    { reportInput: true },
  );
  return result.success ? mapped(result.data, warnings) : mapFailed(zodIssues(result.error));
}

export interface RefundToMagentoOptions {
  orderId?: number;
  orderItemIdFor?: (line: RefundLine) => number | undefined;
  notify?: boolean;
}

/** The comment naming the Heartland return: how a later run recognises this credit memo. */
export function refundReference(refund: Pick<CanonicalRefund, 'sourceId' | 'sourceSystem'>): string {
  return refund.sourceSystem === 'heartland' ? `Heartland return #${refund.sourceId}` : `Magento credit memo #${refund.sourceId}`;
}

export function refundToMagentoRequest(refund: CanonicalRefund, options: RefundToMagentoOptions = {}): PlannedRequest {
  const items = refund.lines.map((line) => ({
    order_item_id: (options.orderItemIdFor?.(line) ?? placeholder('commerce.order_item_id', line.sku ? { sku: line.sku } : { heartland_item_id: line.itemId ?? 'unknown' })) as Ref,
    qty: line.qty,
  }));
  const orderId = options.orderId ?? placeholder('commerce.order_id', refund.orderExternalId ? { increment_id: refund.orderExternalId } : { heartland_invoice_id: refund.orderSourceId ?? 'unknown' });
  const body = {
    items,
    notify: options.notify ?? false,
    appendComment: true,
    comment: { comment: refundReference(refund), is_visible_on_front: 0 },
    arguments: {
      shipping_amount: refund.shipping,
      adjustment_positive: refund.adjustment > 0 ? refund.adjustment : 0,
      adjustment_negative: refund.adjustment < 0 ? -refund.adjustment : 0,
      extension_attributes: { return_to_stock_items: refund.returnToStock ? items.map((i) => i.order_item_id) : [] },
    },
  };
  return { method: 'POST', path: `/V1/order/${orderId}/refund`, body };
}

/**
 * Heartland Return tickets ↔ canonical refunds (heartland.md §3.6): a Return is a ticket with
 * negative item quantities whose `parent_transaction_id` is the original invoice.
 */
import { zodIssues } from '../../model/field-issues';
import { type MapResult, mapFailed, mapped, parseInput } from '../../model/map-result';
import { money, sumMoney } from '../../model/money';
import { placeholder, type PlannedRequest, type Ref } from '../../model/planned-request';
import { Refund as CanonicalRefund, type Refund, type RefundLine } from '../../model/refund';
import { Ticket } from '../payloads';
import { idOrNamed, type ValueLookup } from './lookup';

export interface RefundFromHeartlandOptions {
  skuForItem?: (itemId: number) => string | undefined;
  /** Magento increment id of the web order, when the caller resolved the invoice's order. */
  orderExternalId?: string;
}

export function refundFromHeartlandReturn(input: unknown, options: RefundFromHeartlandOptions = {}): MapResult<Refund> {
  const parsed = parseInput(Ticket, input);
  if (!parsed.ok) return mapFailed(parsed.issues);
  const ticket = parsed.value;
  if (ticket.type !== 'Return') return mapFailed([{ path: 'type', message: `expected a "Return" ticket, got ${JSON.stringify(ticket.type)}` }]);
  const warnings: string[] = [];
  const all = ticket.lines ?? [];
  const lines: RefundLine[] = all
    .filter((l) => (l.type ?? 'ItemLine') === 'ItemLine' && l.item_id != null && (l.qty ?? 0) !== 0)
    .map((l) => ({
      sku: options.skuForItem?.(l.item_id!) ?? null,
      itemId: String(l.item_id),
      sourceLineId: null,
      qty: Math.abs(l.qty!),
      unitPrice: money(Math.abs(l.adjusted_unit_price ?? l.unit_price ?? l.original_unit_price ?? 0)),
      tax: 0,
    }));
  const taxFromLines = sumMoney(all.filter((l) => l.type === 'TaxLine').map((l) => Math.abs(l.value ?? 0)));
  const shippingLines = all.filter((l) => l.type === 'ShippingLine');
  // Returns the connector wrote carry refunded shipping in a custom field (see refundToHeartlandReturnRequest).
  const recordedShipping = Number(ticket.custom?.refunded_shipping ?? 0);
  const shipping = shippingLines.length
    ? sumMoney(shippingLines.map((l) => Math.abs(l.value ?? 0)))
    : money(Number.isFinite(recordedShipping) ? Math.abs(recordedShipping) : 0);
  const tax = ticket.total_tax != null ? money(Math.abs(ticket.total_tax)) : taxFromLines;
  const goods = sumMoney(lines.map((l) => l.unitPrice * l.qty));
  const total = ticket.total != null ? money(Math.abs(ticket.total)) : money(goods + tax + shipping);
  if (ticket.parent_transaction_id == null) warnings.push('parent_transaction_id: missing; the return cannot be matched to a web order');
  const result = CanonicalRefund.safeParse(
    {
      sourceSystem: 'heartland',
      sourceId: String(ticket.id),
      orderExternalId: options.orderExternalId ?? null,
      orderSourceId: ticket.parent_transaction_id != null ? String(ticket.parent_transaction_id) : null,
      lines,
      shipping,
      // What the total holds beyond goods, tax and shipping (a restocking fee is negative).
      adjustment: money(total - goods - tax - shipping),
      tax,
      total,
      returnToStock: ticket.affect_inventory ?? true,
      createdAt: ticket.completed_at ?? ticket.created_at ?? null,
    },
    { reportInput: true },
  );
  return result.success ? mapped(result.data, warnings) : mapFailed(zodIssues(result.error));
}

export interface RefundToHeartlandContext {
  stationId?: number;
  sourceLocationId?: number;
  /** The Heartland invoice of the original sale (from the shipment link). */
  parentInvoiceId?: number;
  customerId?: number;
  itemIdFor?: (sku: string) => number | undefined;
  /** `payment.method.commerceToHeartland`, keyed by the order's Magento payment method. */
  paymentTypeFor: ValueLookup;
  paymentMethod?: string;
}

/** A complete Return ticket in one POST (the shape Heartland's own importer uses, §3.6). */
export function refundToHeartlandReturnRequest(refund: Refund, ctx: RefundToHeartlandContext): PlannedRequest {
  const itemRef = (line: RefundLine): Ref =>
    (line.sku ? ctx.itemIdFor?.(line.sku) : undefined) ?? (line.itemId && /^\d+$/.test(line.itemId) ? Number(line.itemId) : placeholder('heartland.item_id', { sku: line.sku ?? 'unknown' }));
  const method = ctx.paymentMethod ?? 'default';
  const paymentType = idOrNamed(ctx.paymentTypeFor(method), 'heartland.payment_type_id') ?? placeholder('heartland.payment_type_id', { method });
  const body = {
    type: 'Return',
    status: 'complete',
    station_id: ctx.stationId ?? placeholder('settings.station_id'),
    source_location_id: ctx.sourceLocationId ?? placeholder('settings.source_location_id'),
    ...(ctx.customerId !== undefined ? { customer_id: ctx.customerId } : {}),
    parent_transaction_id:
      ctx.parentInvoiceId ?? placeholder('heartland.invoice_id', refund.orderExternalId ? { ecommerce_number: refund.orderExternalId } : { magento_order_id: refund.orderSourceId ?? 'unknown' }),
    affect_inventory: refund.returnToStock,
    item_lines: refund.lines.map((line) => ({ type: 'ItemLine', item_id: itemRef(line), qty: -line.qty, unit_price: line.unitPrice })),
    tax_lines: refund.tax > 0 ? [{ type: 'TaxLine', description: 'Sales Tax', value: -refund.tax }] : [],
    payments: refund.total > 0 ? [{ type: 'CustomPayment', payment_type_id: paymentType, amount: -refund.total, deposit: false }] : [],
    // ASSUMED: no ticket line type for refunded shipping is documented; the amount is in the payment and recorded here.
    custom: { magento_creditmemo_id: refund.sourceId, ...(refund.shipping > 0 ? { refunded_shipping: refund.shipping } : {}) },
  };
  return { method: 'POST', path: '/sales/tickets', body, note: `only when no Return ticket has custom magento_creditmemo_id ${refund.sourceId}` };
}

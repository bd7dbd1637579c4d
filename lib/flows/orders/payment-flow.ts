/**
 * Payments → Heartland (issue 7): a Magento invoice (capture) is recorded on the linked Heartland
 * order. The order flow already posts the order's payment as a deposit; this flow records what a
 * later capture adds (orders sent before they were paid, partial captures), as a `CustomPayment`
 * carrying the gateway transaction id — never card data — and the Magento invoice id, by which a
 * second delivery of the same invoice finds it and records nothing.
 *
 * A voided or canceled invoice (the capture did not happen) is a payment failure: the Heartland
 * order is held or canceled per `settings.paymentFailureAction`, with a Magento comment — never an
 * order left open in Heartland for a payment that did not happen. A later paid invoice reopens an
 * order this flow held.
 */
import type { Invoice as MagentoInvoice } from '../../commerce/payloads';
import * as HP from '../../heartland/payloads';
import { VALUE_MAP_NAMES, valueLookup } from '../../mapping';
import { money, sumMoney } from '../../model/money';
import type { Ref } from '../../model/planned-request';
import { defineFlow, type FlowContext, type WriteResult } from '../../sync';
import { ordersContext } from './context';
import { commentOnce } from './magento-comments';
import { createForId, createNameResolver } from './heartland-records';
import { heartlandOrderFor, orMissing } from './lookups';

export const PAYMENT_FLOW = 'payment';
/** Heartland payment custom field naming the Magento invoice it records. */
export const INVOICE_FIELD = 'magento_invoice_id';
/** Magento invoice states (Magento\\Sales\\Model\\Order\\Invoice): 1 open, 2 paid, 3 canceled. */
const INVOICE_CANCELED = 3;
const INVOICE_PAID = 2;
/** Marks a Heartland order this flow held for a failed payment (link entity shared with the status flow). */
const HOLD_LINK = 'order-hold';
const HELD_FOR_PAYMENT = 'held-payment';

export interface PlannedPayment {
  heartlandOrderId: number;
  magentoOrderId: number;
  /** Magento invoice state: 1 open, 2 paid, 3 canceled. */
  invoiceState: number | null;
  invoiceNumber: string;
  invoiceId: string;
  incrementId: string;
  method: string;
  /** What Magento has captured on the order so far. */
  totalPaid: number;
  invoiceTotal: number;
  transactionId: string | null;
}

const heartlandOrderOf = new WeakMap<object, number>();

export const paymentFlow = defineFlow<MagentoInvoice, PlannedPayment>({
  name: PAYMENT_FLOW,
  entity: 'payment',
  direction: 'commerce-to-heartland',
  upstreams: ['commerce', 'heartland'],
  load: async (unit, ctx) => (/^\d+$/.test(unit.key) ? orMissing(ctx.client('commerce').invoices.get(Number(unit.key))) : undefined),
  version: (invoice) => invoice.updated_at ?? undefined,
  async filter(invoice, ctx) {
    const id = await heartlandOrderFor(ctx, invoice.order_id);
    if (id === undefined) return 'the order is not in Heartland yet; its payment is sent with it';
    heartlandOrderOf.set(ctx, id);
    return undefined;
  },
  async map(invoice, ctx) {
    const order = await ctx.client('commerce').orders.get(invoice.order_id);
    return {
      heartlandOrderId: heartlandOrderOf.get(ctx)!,
      magentoOrderId: invoice.order_id,
      invoiceState: invoice.state ?? null,
      invoiceNumber: invoice.increment_id ?? String(invoice.entity_id),
      invoiceId: String(invoice.entity_id),
      incrementId: order.increment_id,
      method: order.payment?.method ?? 'unknown',
      totalPaid: money(order.total_paid ?? 0),
      invoiceTotal: money(invoice.grand_total ?? 0),
      transactionId: invoice.transaction_id ?? order.payment?.last_trans_id ?? null,
    };
  },
  async write(planned, ctx) {
    if (planned.invoiceState === INVOICE_CANCELED) return paymentFailed(planned, ctx);
    const written = await recordPayment(planned, ctx);
    if (planned.invoiceState === INVOICE_PAID && (await reopenAfterPayment(planned, ctx))) return { targetId: written.targetId, action: 'updated' as const };
    return written;
  },
});

async function recordPayment(planned: PlannedPayment, ctx: FlowContext): Promise<WriteResult> {
  const hl = ctx.client('heartland');
  const targetId = String(planned.heartlandOrderId);
  const payments = await hl.orders.listPayments(planned.heartlandOrderId);
  if (payments.some((p) => String(p.custom?.[INVOICE_FIELD] ?? '') === planned.invoiceId)) return { targetId, action: 'unchanged' as const };
  // The deposit the order flow posted may already cover the capture: record only what is missing.
  const recorded = sumMoney(payments.filter((p) => p.status !== 'failed').map((p) => p.amount));
  const missing = money(Math.min(planned.invoiceTotal, planned.totalPaid - recorded));
  if (missing <= 0) return { targetId, action: 'unchanged' as const };
  const { document } = await ordersContext(ctx);
  const lookup = valueLookup(document, VALUE_MAP_NAMES.paymentTypeForMethod);
  const names = createNameResolver(hl);
  const paymentTypeId = await names.paymentType(lookup(planned.method) as Ref | undefined, document.valueMaps[VALUE_MAP_NAMES.paymentTypeForMethod]?.default as Ref | undefined, {
    method: planned.method,
    order: planned.incrementId,
  });
  const custom: Record<string, string> = { [INVOICE_FIELD]: planned.invoiceId };
  if (planned.transactionId) custom.transaction_id = planned.transactionId;
  await createForId(hl, `sales/orders/${planned.heartlandOrderId}/payments`, HP.PaymentCreate.parse({ type: 'CustomPayment', payment_type_id: paymentTypeId, amount: missing, deposit: true, description: `Magento invoice ${planned.invoiceId} (${planned.method})`, custom }));
  return { targetId, action: 'updated' as const };
}

async function paymentFailed(planned: PlannedPayment, ctx: FlowContext): Promise<WriteResult> {
  const { settings, document } = await ordersContext(ctx);
  const hl = ctx.client('heartland');
  const targetId = String(planned.heartlandOrderId);
  const cancel = settings.paymentFailureAction === 'cancel';
  const status = valueLookup(document, VALUE_MAP_NAMES.orderStatusToHeartland)(cancel ? 'canceled' : 'on_hold');
  const current = await hl.orders.get(planned.heartlandOrderId);
  // Only an open order is committed to ship; pending, closed or canceled ones need nothing.
  if (typeof status !== 'string' || current.status !== 'open') return { targetId, action: 'unchanged' };
  await hl.request({ method: 'PUT', path: `sales/orders/${planned.heartlandOrderId}`, body: { status } });
  if (!cancel) await ctx.links.put(HOLD_LINK, 'heartland', targetId, { system: 'commerce', id: String(planned.magentoOrderId), fingerprint: HELD_FOR_PAYMENT });
  await commentOnce(ctx.client('commerce'), planned.magentoOrderId, `Payment for invoice #${planned.invoiceNumber} failed: Heartland order #${targetId} ${cancel ? 'canceled' : 'put on hold'}.`, {
    notifyCustomer: settings.notifyCustomerOnComments,
  });
  return { targetId, action: 'updated' };
}

/** A paid invoice after a failed one: the order this flow held goes back to open. */
async function reopenAfterPayment(planned: PlannedPayment, ctx: FlowContext): Promise<boolean> {
  const targetId = String(planned.heartlandOrderId);
  const marker = await ctx.links.get(HOLD_LINK, 'heartland', targetId);
  if (marker?.fingerprint !== HELD_FOR_PAYMENT) return false;
  const hl = ctx.client('heartland');
  if ((await hl.orders.get(planned.heartlandOrderId)).status !== 'pending') return false;
  await hl.request({ method: 'PUT', path: `sales/orders/${planned.heartlandOrderId}`, body: { status: 'open' } });
  await ctx.links.put(HOLD_LINK, 'heartland', targetId, { system: 'commerce', id: String(planned.magentoOrderId), fingerprint: 'released' });
  return true;
}

/**
 * Payments → Heartland (issue 7): a Magento invoice (capture) is recorded on the linked Heartland
 * order. The order flow already posts the order's payment as a deposit; this flow records what a
 * later capture adds (orders sent before they were paid, partial captures), as a `CustomPayment`
 * carrying the gateway transaction id — never card data — and the Magento invoice id, by which a
 * second delivery of the same invoice finds it and records nothing.
 */
import type { Invoice as MagentoInvoice } from '../../commerce/payloads';
import * as HP from '../../heartland/payloads';
import { VALUE_MAP_NAMES, valueLookup } from '../../mapping';
import { money, sumMoney } from '../../model/money';
import type { Ref } from '../../model/planned-request';
import { defineFlow } from '../../sync';
import { ordersContext } from './context';
import { createForId, createNameResolver } from './heartland-records';
import { heartlandOrderFor, orMissing } from './lookups';

export const PAYMENT_FLOW = 'payment';
/** Heartland payment custom field naming the Magento invoice it records. */
export const INVOICE_FIELD = 'magento_invoice_id';

export interface PlannedPayment {
  heartlandOrderId: number;
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
      invoiceId: String(invoice.entity_id),
      incrementId: order.increment_id,
      method: order.payment?.method ?? 'unknown',
      totalPaid: money(order.total_paid ?? 0),
      invoiceTotal: money(invoice.grand_total ?? 0),
      transactionId: invoice.transaction_id ?? order.payment?.last_trans_id ?? null,
    };
  },
  async write(planned, ctx) {
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
  },
});

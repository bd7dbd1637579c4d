/**
 * Refunds both ways (issue 7). A Magento credit memo becomes a Heartland `Return` ticket against
 * the original invoice (negative quantities, the refunded amount); a Heartland Return of a web
 * order becomes an offline Magento credit memo with `return_to_stock_items` per settings.
 *
 * Each side names its mirror: the Return carries `custom.magento_creditmemo_id`, the credit memo a
 * comment "Heartland return #…". Before creating, each flow looks for its mirror (never applied
 * twice), and a record that names a mirror is the connector's own write coming back (never echoed),
 * whichever arrives first: the event or the link.
 */
import type { CreditMemo } from '../../commerce/payloads';
import { refundReference } from '../../commerce/mappers/refund';
import * as HP from '../../heartland/payloads';
import { mapEntity, VALUE_MAP_NAMES } from '../../mapping';
import type { Order } from '../../model/order';
import { isPlaceholder, type PlannedRequest, type Ref } from '../../model/planned-request';
import { defineFlow, TerminalError, type FlowContext } from '../../sync';
import { ordersContext, requiredLocation } from './context';
import { createForId, createNameResolver } from './heartland-records';
import { heartlandOrderFor, magentoOrderFor, orderItemsByHeartlandItem, orMissing } from './lookups';

export const REFUND_FLOW = 'refund';
export const HEARTLAND_RETURN_FLOW = 'heartland-return';
/** The Return ticket custom field naming the credit memo it mirrors. */
export const CREDITMEMO_FIELD = 'magento_creditmemo_id';
const HEARTLAND_RETURN_MARK = /Heartland return #\d+/;

function why(outcome: ReturnType<typeof mapEntity>): string {
  if (outcome.status === 'invalid') return outcome.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  if (outcome.status === 'skipped') return outcome.reason;
  if (outcome.status === 'unsupported') return outcome.message;
  return '';
}

// ---------------------------------------------------------------- Magento credit memo → Heartland

export interface PlannedReturn {
  creditMemoId: string;
  incrementId: string;
  paymentMethod: string;
  body: Record<string, unknown>;
}

const heartlandOrderOf = new WeakMap<object, number>();

export const refundFlow = defineFlow<CreditMemo, PlannedReturn>({
  name: REFUND_FLOW,
  entity: 'refund',
  direction: 'commerce-to-heartland',
  upstreams: ['commerce', 'heartland'],
  load: async (unit, ctx) => (/^\d+$/.test(unit.key) ? orMissing(ctx.client('commerce').creditMemos.get(Number(unit.key))) : undefined),
  version: (memo) => memo.updated_at ?? memo.created_at ?? undefined,
  async filter(memo, ctx) {
    const mirror = (memo.comments ?? []).map((c) => c.comment ?? '').find((c) => HEARTLAND_RETURN_MARK.test(c));
    if (mirror) return `echo: this credit memo mirrors ${HEARTLAND_RETURN_MARK.exec(mirror)![0]}`;
    const heartlandOrderId = await heartlandOrderFor(ctx, memo.order_id);
    if (heartlandOrderId === undefined) return `order ${memo.order_id} is not in Heartland; its refunds stay in Magento`;
    heartlandOrderOf.set(ctx, heartlandOrderId);
    return undefined;
  },
  async map(memo, ctx) {
    const { settings, document } = await ordersContext(ctx);
    const hl = ctx.client('heartland');
    const heartlandOrderId = heartlandOrderOf.get(ctx)!;
    const magentoOrder = await ctx.client('commerce').orders.get(memo.order_id);
    const canonicalOrder = mapEntity({ entity: 'order', from: 'commerce', to: 'canonical', input: magentoOrder, document });
    if (canonicalOrder.status !== 'mapped') throw new TerminalError(`credit memo ${memo.entity_id}: order ${magentoOrder.increment_id} cannot be read: ${why(canonicalOrder)}`, { code: 'mapping' });
    const order = canonicalOrder.output as Order;
    const location = requiredLocation(settings);
    const [heartlandOrder, invoices, items] = await Promise.all([
      hl.orders.get(heartlandOrderId),
      hl.invoices.listForOrder(heartlandOrderId),
      hl.items.findBySkus([...new Set(order.lines.map((l) => l.sku))]),
    ]);
    // The Return points at the invoice of the original sale (heartland.md §3.6); refunded before
    // anything shipped there is none, and the Return stands on its own.
    const parentInvoiceId = invoices.find((i) => i.status === 'complete')?.id;
    const outcome = mapEntity({
      entity: 'refund',
      from: 'commerce',
      to: 'heartland',
      input: memo,
      document,
      context: {
        ...location,
        order,
        parentInvoiceId,
        customerId: heartlandOrder.customer_id ?? undefined,
        itemIdFor: (sku) => items.get(sku)?.id,
        returnToStock: settings.refunds.returnToStock,
        paymentMethod: order.payment?.method,
      },
    });
    if (outcome.status !== 'mapped') throw new TerminalError(`credit memo ${memo.entity_id} (order ${order.externalId}) cannot be mapped: ${why(outcome)}`, { code: 'mapping' });
    const body = { ...((outcome.output as PlannedRequest[])[0].body as Record<string, unknown>) };
    if (isPlaceholder(body.parent_transaction_id)) delete body.parent_transaction_id;
    const lines = (body.item_lines as Array<{ item_id: unknown }>) ?? [];
    const unknown = lines.filter((l) => isPlaceholder(l.item_id));
    if (unknown.length) {
      throw new TerminalError(`credit memo ${memo.entity_id} (order ${order.externalId}): ${unknown.length} refunded item(s) not found in Heartland`, { field: 'item_lines.item_id', code: 'unknown_sku' });
    }
    return { creditMemoId: String(memo.entity_id), incrementId: order.externalId, paymentMethod: order.payment?.method ?? 'unknown', body };
  },
  async write(planned, ctx) {
    const hl = ctx.client('heartland');
    const found = await hl.tickets.findByCustom(CREDITMEMO_FIELD, planned.creditMemoId);
    if (found) return { targetId: String(found.id), action: 'unchanged' as const, echo: { ticket: String(found.id) } };
    const { document } = await ordersContext(ctx);
    const names = createNameResolver(hl);
    const fallback = document.valueMaps[VALUE_MAP_NAMES.paymentTypeForMethod]?.default as Ref | undefined;
    const payments = await Promise.all(
      ((planned.body.payments as Array<Record<string, unknown>>) ?? []).map(async (p) => ({
        ...p,
        payment_type_id: await names.paymentType(p.payment_type_id as Ref, fallback ?? undefined, { method: planned.paymentMethod, order: planned.incrementId }),
      })),
    );
    const id = await createForId(hl, 'sales/tickets', HP.TicketCreate.parse({ ...planned.body, payments }));
    return { targetId: String(id), action: 'created' as const, echo: { ticket: String(id) } };
  },
});

// ---------------------------------------------------------------- Heartland Return → Magento

export interface PlannedCreditMemo {
  magentoOrderId: number;
  returnId: number;
  reference: string;
  body: Record<string, unknown>;
}

const orderPairOf = new WeakMap<object, { magento: number; heartland: number }>();

async function webOrderOfReturn(ticket: HP.Ticket, ctx: FlowContext): Promise<{ magento: number; heartland: number } | undefined> {
  if (ticket.parent_transaction_id == null) return undefined;
  const invoice = await orMissing(ctx.client('heartland').invoices.get(ticket.parent_transaction_id));
  if (!invoice?.order_id) return undefined;
  const magento = await magentoOrderFor(ctx, invoice.order_id);
  return magento === undefined ? undefined : { magento, heartland: invoice.order_id };
}

export const heartlandReturnFlow = defineFlow<HP.Ticket, PlannedCreditMemo>({
  name: HEARTLAND_RETURN_FLOW,
  entity: 'refund',
  direction: 'heartland-to-commerce',
  upstreams: ['heartland', 'commerce'],
  load: async (unit, ctx) => (/^\d+$/.test(unit.key) ? orMissing(ctx.client('heartland').tickets.get(Number(unit.key), { includeLines: true })) : undefined),
  version: (ticket) => ticket.updated_at ?? undefined,
  async filter(ticket, ctx) {
    if (ticket.type !== 'Return') return `a ${ticket.type} ticket, not a return`;
    if (ticket.status !== 'complete') return `the return is ${ticket.status}, not complete`;
    const mirrored = ticket.custom?.[CREDITMEMO_FIELD];
    if (mirrored != null && mirrored !== '') return `echo: this return mirrors Magento credit memo #${String(mirrored)}`;
    const pair = await webOrderOfReturn(ticket, ctx);
    if (!pair) return 'not a return of a web order sent by the connector';
    orderPairOf.set(ctx, pair);
    return undefined;
  },
  async map(ticket, ctx) {
    const { settings, document } = await ordersContext(ctx);
    const pair = orderPairOf.get(ctx)!;
    const lines = ticket.lines ?? (await ctx.client('heartland').tickets.listLines(ticket.id));
    const items = await orderItemsByHeartlandItem(ctx.client('heartland'), ctx, pair.heartland, lines);
    const outcome = mapEntity({
      entity: 'refund',
      from: 'heartland',
      to: 'commerce',
      input: { ...ticket, lines },
      document,
      context: { orderId: pair.magento, orderItemIdFor: (line) => (line.itemId ? items.get(line.itemId) : undefined), notifyCustomer: false },
    });
    if (outcome.status !== 'mapped') throw new TerminalError(`Heartland return ${ticket.id} cannot be mapped to a credit memo: ${why(outcome)}`, { code: 'mapping' });
    const body = structuredClone((outcome.output as PlannedRequest[])[0].body as Record<string, any>);
    const unknown = (body.items as Array<{ order_item_id: unknown }>).filter((i) => isPlaceholder(i.order_item_id));
    if (unknown.length) throw new TerminalError(`Heartland return ${ticket.id}: ${unknown.length} returned item(s) are not lines of Magento order ${pair.magento}`, { field: 'lines.item_id', code: 'unknown_line' });
    if (!settings.refunds.returnToStock) body.arguments.extension_attributes.return_to_stock_items = [];
    return { magentoOrderId: pair.magento, returnId: ticket.id, reference: refundReference({ sourceSystem: 'heartland', sourceId: String(ticket.id) }), body };
  },
  async write(planned, ctx) {
    const commerce = ctx.client('commerce');
    const existing = (await commerce.creditMemos.forOrder(planned.magentoOrderId)).find((m) => (m.comments ?? []).some((c) => c.comment === planned.reference));
    if (existing) return { targetId: String(existing.entity_id), action: 'unchanged' as const, echo: { memo: String(existing.entity_id) } };
    const id = await commerce.orders.refund(planned.magentoOrderId, planned.body);
    return { targetId: String(id), action: 'created' as const, echo: { memo: String(id) } };
  },
});

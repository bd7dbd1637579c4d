/**
 * Shipment → Magento (issue 7): a completed Heartland invoice of a web order becomes a Magento
 * shipment of exactly the invoiced lines, with the tracking numbers from the invoice's custom
 * fields and the MSI source mapped from the invoice's location.
 *
 * The shipment's comment names the invoice ("Heartland invoice #…"): before shipping, the flow
 * looks for it among the order's shipments, so a second delivery of the same invoice (webhook hint
 * and poll, redelivery, replay) creates nothing and MSI stock is deducted once.
 */
import type { ShipOrderBody } from '../../commerce/mappers/shipment';
import { shipmentReference } from '../../commerce/mappers/shipment';
import type { Invoice } from '../../heartland/payloads';
import { mapEntity } from '../../mapping';
import { isPlaceholder, type PlannedRequest } from '../../model/planned-request';
import type { Shipment } from '../../model/shipment';
import { defineFlow, TerminalError } from '../../sync';
import { UpstreamError } from '../../platform/http';
import type { CommerceClient } from '../../commerce/client';
import { ordersContext } from './context';
import { magentoOrderFor, orderItemsByHeartlandItem, orMissing } from './lookups';

export const SHIPMENT_FLOW = 'shipment';

/** MSI's refusal when the source item holds fewer units than the shipment deducts (commerce.md, MSI source deduction). */
function isSourceShortfall(error: unknown): boolean {
  return error instanceof UpstreamError && error.status === 400 && /Not all of your products are available in the requested quantity/i.test(error.message);
}

/**
 * Completing the Heartland invoice lowered on hand and released the order's commitment, so the
 * inventory flow may already have pushed the source item down by the shipped units before this
 * shipment arrives (Heartland's invoice and its stock change travel separately). MSI then refuses
 * to deduct them a second time. The units shipped are put back on the source item first, so the
 * shipment's deduction leaves it at what the inventory flow pushed; the inventory flow's
 * `shipment-<id>` unit pushes the formula again right after anyway. Without this, about one
 * shipment in ten was a dead letter at soak scale.
 */
async function putBackShippedUnits(commerce: CommerceClient, orderId: number, items: Array<{ order_item_id: number; qty: number }>, sourceCode: string): Promise<void> {
  const order = await commerce.orders.get(orderId);
  const skuOf = new Map((order.items ?? []).map((i) => [Number(i.item_id), i.sku]));
  const shipped = new Map<string, number>();
  for (const item of items) {
    const sku = skuOf.get(item.order_item_id);
    if (sku) shipped.set(sku, (shipped.get(sku) ?? 0) + item.qty);
  }
  const current = new Map((await commerce.inventory.sourceItemsForSkus([...shipped.keys()])).filter((s) => s.source_code === sourceCode).map((s) => [s.sku, Number(s.quantity)]));
  await commerce.inventory.saveSourceItems([...shipped].map(([sku, qty]) => ({ sku, source_code: sourceCode, quantity: (current.get(sku) ?? 0) + qty, status: 1 as const })));
}

export interface PlannedShipment {
  magentoOrderId: number;
  invoiceId: number;
  reference: string;
  body: ShipOrderBody;
}

const magentoIdOf = new WeakMap<object, number>();

export const shipmentFlow = defineFlow<Invoice, PlannedShipment>({
  name: SHIPMENT_FLOW,
  entity: 'shipment',
  direction: 'heartland-to-commerce',
  upstreams: ['heartland', 'commerce'],
  load: async (unit, ctx) => (/^\d+$/.test(unit.key) ? orMissing(ctx.client('heartland').invoices.get(Number(unit.key), { includeLines: true })) : undefined),
  version: (invoice) => invoice.updated_at ?? undefined,
  async filter(invoice, ctx) {
    if (invoice.status !== 'complete') return `the invoice is ${invoice.status}; nothing has shipped yet`;
    if (invoice.order_id == null) return 'not an invoice of a sales order';
    const magentoId = await magentoOrderFor(ctx, invoice.order_id);
    if (magentoId === undefined) return `Heartland order ${invoice.order_id} is not a web order sent by the connector`;
    magentoIdOf.set(ctx, magentoId);
    return undefined;
  },
  async map(invoice, ctx) {
    const { settings, document } = await ordersContext(ctx);
    const magentoOrderId = magentoIdOf.get(ctx)!;
    const lines = invoice.lines ?? (await ctx.client('heartland').invoices.listLines(invoice.id));
    const items = await orderItemsByHeartlandItem(ctx.client('heartland'), ctx, invoice.order_id!, lines);
    const outcome = mapEntity({
      entity: 'shipment',
      from: 'heartland',
      to: 'commerce',
      input: { ...invoice, lines },
      document,
      context: { orderId: magentoOrderId, orderItemIdFor: (line) => (line.itemId ? items.get(line.itemId) : undefined), notifyCustomer: settings.shipments.notifyCustomer },
    });
    if (outcome.status !== 'mapped') {
      const why = outcome.status === 'invalid' ? outcome.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : outcome.status === 'skipped' ? outcome.reason : outcome.message;
      throw new TerminalError(`Heartland invoice ${invoice.id} cannot be mapped to a Magento shipment: ${why}`, { code: 'mapping' });
    }
    const request = (outcome.output as PlannedRequest[])[0];
    const body = request.body as ShipOrderBody;
    const unknown = body.items.filter((i) => isPlaceholder(i.order_item_id));
    if (unknown.length || body.items.length === 0) {
      const itemIds = (outcome.canonical as Shipment).lines.map((l) => l.itemId).join(', ');
      throw new TerminalError(`Heartland invoice ${invoice.id}: ${body.items.length ? 'some invoiced lines have' : 'no invoiced line has'} no Magento order item (Heartland items ${itemIds}); was the order sent by this connector?`, {
        field: 'lines.item_id',
        code: 'unknown_line',
      });
    }
    return { magentoOrderId, invoiceId: invoice.id, reference: shipmentReference({ sourceId: String(invoice.id) }), body };
  },
  async write(planned, ctx) {
    const commerce = ctx.client('commerce');
    const existing = (await commerce.shipments.forOrder(planned.magentoOrderId)).find((s) => (s.comments ?? []).some((c) => c.comment === planned.reference));
    if (existing) return { targetId: String(existing.entity_id), action: 'unchanged' as const };
    const { items, notify, appendComment, comment, tracks, arguments: args } = planned.body;
    const sourceCode = args?.extension_attributes.source_code;
    const shipItems = items.map((i) => ({ order_item_id: Number(i.order_item_id), qty: i.qty }));
    const ship = () => commerce.orders.ship(planned.magentoOrderId, { items: shipItems, notify, appendComment, comment, tracks, sourceCode });
    let id: number;
    try {
      id = await ship();
    } catch (error) {
      if (!sourceCode || !isSourceShortfall(error)) throw error;
      await putBackShippedUnits(commerce, planned.magentoOrderId, shipItems, sourceCode);
      ctx.logger.info('shipped units put back at the source before shipping', { order: planned.magentoOrderId, invoice: planned.invoiceId, source: sourceCode });
      id = await ship();
    }
    return { targetId: String(id), action: 'created' as const };
  },
});

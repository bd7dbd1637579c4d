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
import { ordersContext } from './context';
import { magentoOrderFor, orderItemsByHeartlandItem, orMissing } from './lookups';

export const SHIPMENT_FLOW = 'shipment';

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
    const id = await commerce.orders.ship(planned.magentoOrderId, {
      items: items.map((i) => ({ order_item_id: Number(i.order_item_id), qty: i.qty })),
      notify,
      appendComment,
      comment,
      tracks,
      sourceCode: args?.extension_attributes.source_code,
    });
    return { targetId: String(id), action: 'created' as const };
  },
});

/**
 * A completed Heartland invoice → canonical shipment. Heartland has no tracking resource; tracking
 * lives in invoice custom fields (CONTRACTS.md: `tracking_number`, `shipping_carrier`), which may
 * hold several numbers separated by commas or spaces.
 */
import { z } from 'zod';
import { zodIssues } from '../../model/field-issues';
import { type MapResult, mapFailed, mapped, parseInput } from '../../model/map-result';
import { Shipment as CanonicalShipment, type ShipmentTrack } from '../../model/shipment';
import { Invoice, InvoiceLine } from '../payloads';
import { noLookup, type ValueLookup } from './lookup';

export interface ShipmentFromHeartlandOptions {
  trackingNumberField?: string;
  shippingCarrierField?: string;
  /** `shipping.carrier.heartlandToCommerce`: carrier text (lower case) → Magento carrier code. */
  carrierCodeFor?: ValueLookup;
  /** `shipping.carrier.titles`: carrier code → title. */
  carrierTitleFor?: ValueLookup;
  skuForItem?: (itemId: number) => string | undefined;
  /** The Magento increment id, when the caller knows the order (link or `custom.ecommerce_number`). */
  orderExternalId?: string;
}

/** Accepts an invoice with `lines`, or `{invoice, lines}` as read from `/sales/invoices/{id}/lines`. */
const InvoiceInput = z.union([z.object({ invoice: Invoice, lines: z.array(InvoiceLine) }), Invoice.transform((invoice) => ({ invoice, lines: invoice.lines ?? [] }))]);

export function shipmentFromHeartlandInvoice(input: unknown, options: ShipmentFromHeartlandOptions = {}): MapResult<CanonicalShipment> {
  const wrapped = typeof input === 'object' && input !== null && 'invoice' in input;
  const parsed = wrapped ? parseInput(z.object({ invoice: Invoice, lines: z.array(InvoiceLine) }), input) : parseInput(InvoiceInput, input);
  if (!parsed.ok) return mapFailed(parsed.issues);
  const { invoice, lines } = parsed.value;
  const warnings: string[] = [];
  if (invoice.status !== 'complete') warnings.push(`status: the invoice is "${invoice.status}", not complete; nothing has shipped yet`);
  const custom = (invoice.custom ?? {}) as Record<string, unknown>;
  const numberText = custom[options.trackingNumberField ?? 'tracking_number'];
  const carrierText = custom[options.shippingCarrierField ?? 'shipping_carrier'];
  const carrierName = typeof carrierText === 'string' ? carrierText.trim() : '';
  const codeFor = options.carrierCodeFor ?? noLookup;
  // Magento's generic carrier code is `custom`; the carrier's own name is kept as the title.
  const code = String(codeFor(carrierName.toLowerCase()) ?? 'custom');
  const title = String((options.carrierTitleFor ?? noLookup)(code) ?? (carrierName || 'Tracking'));
  const tracks: ShipmentTrack[] =
    typeof numberText === 'string' || typeof numberText === 'number'
      ? String(numberText)
          .split(/[\s,;]+/)
          .filter((n) => n !== '')
          .map((number) => ({ number, carrier: code, title }))
      : [];
  const shipmentLines = lines
    .filter((l) => (l.type ?? 'ItemLine') === 'ItemLine' && l.item_id != null)
    .map((l) => {
      const sku = options.skuForItem?.(l.item_id!) ?? null;
      return { sku, itemId: String(l.item_id), qty: Math.abs(l.qty) };
    })
    .filter((l) => l.qty > 0);
  if (shipmentLines.some((l) => l.sku === null)) warnings.push('lines: SKUs are resolved from Heartland item ids when the shipment is sent');
  const result = CanonicalShipment.safeParse(
    {
      sourceId: String(invoice.id),
      orderSourceId: invoice.order_id != null ? String(invoice.order_id) : null,
      orderExternalId: options.orderExternalId ?? null,
      locationId: invoice.source_location_id != null ? String(invoice.source_location_id) : null,
      lines: shipmentLines,
      tracks,
      shippedAt: invoice.completed_at ?? null,
    },
    { reportInput: true },
  );
  return result.success ? mapped(result.data, warnings) : mapFailed(zodIssues(result.error));
}

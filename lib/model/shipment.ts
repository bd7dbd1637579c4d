/** A delivery of some or all of an order's lines, with its tracking numbers. */
import { z } from 'zod';

export const ShipmentTrack = z.object({
  number: z.string().trim().min(1),
  /** Magento carrier code (`ups`, `usps`, `fedex`, `dhl`, `custom`). */
  carrier: z.string().min(1),
  /** Carrier name shown to the customer. */
  title: z.string().min(1),
});
export type ShipmentTrack = z.infer<typeof ShipmentTrack>;

export const ShipmentLine = z.object({
  sku: z.string().nullable(),
  /** Heartland item id when known. */
  itemId: z.string().nullable(),
  qty: z.number().positive('must be more than 0'),
});
export type ShipmentLine = z.infer<typeof ShipmentLine>;

export const Shipment = z.object({
  /** Heartland invoice id: the idempotency key on the Magento side (DESIGN.md §1.2). */
  sourceId: z.string().min(1),
  /** Heartland order id the invoice fulfils. */
  orderSourceId: z.string().nullable(),
  /** Magento increment id, when known from the link or the Heartland order's `ecommerce_number`. */
  orderExternalId: z.string().nullable().default(null),
  /** Heartland location it shipped from (→ MSI source). */
  locationId: z.string().nullable(),
  lines: z.array(ShipmentLine),
  tracks: z.array(ShipmentTrack),
  shippedAt: z.string().nullable(),
});
export type Shipment = z.infer<typeof Shipment>;

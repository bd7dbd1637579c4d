/** Money and goods given back on an order: a Magento credit memo or a Heartland Return ticket. */
import { z } from 'zod';
import { SystemName } from './customer';
import { NonNegativeMoney } from './money';

export const RefundLine = z.object({
  sku: z.string().nullable(),
  /** Heartland item id when known. */
  itemId: z.string().nullable(),
  /** The Magento order item id refunded, when known. */
  sourceLineId: z.string().nullable(),
  /** Units returned, positive. */
  qty: z.number().positive('must be more than 0'),
  /** Price per unit refunded, before tax. */
  unitPrice: NonNegativeMoney,
  tax: NonNegativeMoney,
});
export type RefundLine = z.infer<typeof RefundLine>;

export const Refund = z.object({
  sourceSystem: SystemName,
  /** Credit memo id or Return ticket id. */
  sourceId: z.string().min(1),
  /** Magento increment id of the order refunded, when known. */
  orderExternalId: z.string().nullable(),
  /** Magento order entity id or Heartland parent invoice id, depending on the source. */
  orderSourceId: z.string().nullable(),
  lines: z.array(RefundLine),
  shipping: NonNegativeMoney,
  /** Extra amount refunded beyond lines and shipping (Magento adjustment_positive − adjustment_negative). */
  adjustment: z.number(),
  tax: NonNegativeMoney,
  total: NonNegativeMoney,
  /** Whether the goods go back on the shelf. */
  returnToStock: z.boolean(),
  createdAt: z.string().nullable(),
});
export type Refund = z.infer<typeof Refund>;

/**
 * The canonical order (CONTRACTS.md "Canonical order"). Amounts are in the order currency, rounded
 * to cents. Discounts are positive amounts taken off; `rowTotal` is `qty × unitPrice` before
 * discount and tax, as Magento's `row_total`, so
 * `totals.grand = Σ rowTotal − totals.discount + totals.shipping + totals.tax`.
 */
import { z } from 'zod';
import { Address } from './address';
import { Money, NonNegativeMoney } from './money';
import { Payment } from './payment';

export const ORDER_STATUSES = ['new', 'processing', 'on_hold', 'complete', 'canceled', 'closed'] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const OrderLine = z.object({
  /** The purchased (simple) SKU: a configurable line carries its chosen child's SKU. */
  sku: z.string().trim().min(1),
  name: z.string(),
  qty: z.number().positive('must be more than 0'),
  unitPrice: NonNegativeMoney,
  discount: NonNegativeMoney,
  tax: NonNegativeMoney,
  rowTotal: NonNegativeMoney,
  /** The Magento order item id to ship or refund this line against (a configurable's parent item). */
  sourceLineId: z.string().nullable().default(null),
  /** Magento `product_type` of the purchased item when known (`simple`, `virtual`, …). */
  productType: z.string().nullable().default(null),
  /** For a bundle part, the bundle's Magento order item id. */
  bundleLineId: z.string().nullable().default(null),
});
export type OrderLine = z.infer<typeof OrderLine>;

export const OrderCustomer = z.object({
  email: z.string().trim().regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address'),
  firstName: z.string(),
  lastName: z.string(),
  isGuest: z.boolean(),
  /** Magento `customer_id` for registered customers. */
  sourceId: z.string().nullable().default(null),
  /** Magento `customer_group_id`, for filters such as "skip wholesale orders". */
  groupId: z.string().nullable().default(null),
});
export type OrderCustomer = z.infer<typeof OrderCustomer>;

export const OrderShipping = z.object({
  /** Carrier method code (`flatrate_flatrate`); null for virtual orders. */
  method: z.string().nullable(),
  description: z.string().nullable(),
  amount: NonNegativeMoney,
  tax: NonNegativeMoney,
});
export type OrderShipping = z.infer<typeof OrderShipping>;

export const OrderTotals = z.object({
  subtotal: NonNegativeMoney,
  discount: NonNegativeMoney,
  tax: NonNegativeMoney,
  shipping: NonNegativeMoney,
  /** The sale total: what the customer owes before gift cards, store credit and reward points. */
  grand: Money,
  /** Gift cards, store credit and reward points tendered: Magento's grand_total is `grand − giftCards`. */
  giftCards: NonNegativeMoney.default(0),
});
export type OrderTotals = z.infer<typeof OrderTotals>;

export const Order = z.object({
  /** Magento `increment_id` ("000000003"): the number people see, and the key on Heartland. */
  externalId: z.string().trim().min(1),
  /** Magento `entity_id`. */
  sourceId: z.string().trim().min(1),
  status: OrderStatus,
  /** The Magento status code as received, for maps keyed by custom statuses. */
  sourceStatus: z.string().nullable().default(null),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as "USD"'),
  /** ISO-8601 UTC. */
  placedAt: z.string().min(1),
  updatedAt: z.string().nullable().default(null),
  customer: OrderCustomer,
  billingAddress: Address.nullable(),
  /** Null for virtual orders. */
  shippingAddress: Address.nullable(),
  lines: z.array(OrderLine).min(1, 'an order needs at least one line'),
  shipping: OrderShipping,
  totals: OrderTotals,
  payment: Payment.nullable(),
  couponCode: z.string().nullable().default(null),
  /** Magento store id, for multi-store merchants' filters. */
  storeId: z.string().nullable().default(null),
});
export type Order = z.infer<typeof Order>;
export type OrderInput = z.input<typeof Order>;

/**
 * Heartland Retail resource shapes as the connector reads and writes them, per
 * ../shared/api/heartland.md (section numbers in comments). Every response schema is a loose
 * object: Heartland returns many fields we do not know about and must keep working when it adds
 * more. Fields the document marks as uncertain are optional; nullable where the API sends null.
 *
 * Exported names are a contract with lib/heartland/mappers (helper H5): keep them stable.
 */
import { z } from 'zod';

// ---- building blocks -------------------------------------------------------------------------

/** Heartland ids are integers (observed ≥ 100000, §1.1). */
export const HeartlandId = z.number().int();
export type HeartlandId = z.infer<typeof HeartlandId>;

/** Money is a JSON number (§2.7); tolerate numeric strings some endpoints may send. */
export const Money = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);

/** Quantities: numbers (fractional quantities exist for weighed goods [I]). */
export const Qty = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);

/** ISO-8601 timestamps with offset (§2.7); kept as strings, compared lexically by callers. */
export const Timestamp = z.string();

/** Custom fields: merchant-defined keys (§3.3); values are scalars in practice. */
export const CustomFields = z.record(z.string(), z.unknown());
export type CustomFields = z.infer<typeof CustomFields>;

const optionalNullable = <T extends z.ZodTypeAny>(t: T) => t.nullable().optional();

// ---- collection envelope & errors (§2.1, §2.5) -----------------------------------------------

/** `{results,total,pages}`; `per_page` echoed by some versions only [U]. */
export function Collection<T extends z.ZodTypeAny>(item: T) {
  return z.looseObject({
    results: z.array(item),
    total: z.number().int().nonnegative(),
    pages: z.number().int().nonnegative(),
    per_page: z.number().int().optional(),
  });
}
export interface CollectionPage<T> {
  results: T[];
  total: number;
  pages: number;
  per_page?: number;
}

/** Error body `{error, message, details}` (§2.5). `details` is keyed by field name. */
export const HeartlandErrorBody = z.looseObject({
  error: z.string(),
  message: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type HeartlandErrorBody = z.infer<typeof HeartlandErrorBody>;

/** Known `error` codes (§2.5); `unauthorized`, `not_found`, `rate_limited` shapes are [I]. */
export const HEARTLAND_ERROR_CODES = [
  'validation_error',
  'payment_error',
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'rate_limited',
  'server_error',
] as const;

// ---- locations & stations (§3.1) -------------------------------------------------------------

export const Station = z.looseObject({
  id: HeartlandId,
  location_id: HeartlandId,
  name: optionalNullable(z.string()),
  active: z.boolean().optional(),
});
export type Station = z.infer<typeof Station>;

export const Location = z.looseObject({
  id: HeartlandId,
  public_id: optionalNullable(z.string()),
  name: optionalNullable(z.string()),
  active: z.boolean().optional(), // [I]
  stations: z.array(Station).optional(), // with _include[]=stations
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});
export type Location = z.infer<typeof Location>;

// ---- customers & addresses (§3.2) ------------------------------------------------------------

export const Address = z.looseObject({
  id: HeartlandId,
  customer_id: HeartlandId.optional(),
  first_name: optionalNullable(z.string()),
  last_name: optionalNullable(z.string()),
  company: optionalNullable(z.string()), // [I]
  line_1: optionalNullable(z.string()),
  line_2: optionalNullable(z.string()),
  city: optionalNullable(z.string()),
  state: optionalNullable(z.string()),
  postal_code: optionalNullable(z.string()),
  country: optionalNullable(z.string()),
  phone: optionalNullable(z.string()),
});
export type Address = z.infer<typeof Address>;

export const Customer = z.looseObject({
  id: HeartlandId,
  public_id: optionalNullable(z.string()),
  first_name: optionalNullable(z.string()),
  last_name: optionalNullable(z.string()),
  email: optionalNullable(z.string()),
  active: z.boolean().optional(),
  custom: CustomFields.optional(),
  addresses: z.array(Address).optional(), // with _include[]=addresses [I]
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});
export type Customer = z.infer<typeof Customer>;

// ---- items, grids, custom fields, settings (§3.3) --------------------------------------------

export const Item = z.looseObject({
  id: HeartlandId,
  public_id: optionalNullable(z.string()),
  description: optionalNullable(z.string()),
  long_description: optionalNullable(z.string()),
  cost: optionalNullable(Money),
  price: optionalNullable(Money),
  original_price: optionalNullable(Money),
  active: z.boolean().optional(),
  grid_id: optionalNullable(HeartlandId),
  primary_vendor_id: optionalNullable(HeartlandId),
  default_lookup_id: optionalNullable(z.union([HeartlandId, z.string()])),
  weight: optionalNullable(z.number()),
  width: optionalNullable(z.number()),
  height: optionalNullable(z.number()),
  depth: optionalNullable(z.number()),
  prompt_for_price: z.boolean().optional(),
  custom: CustomFields.optional(),
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});
export type Item = z.infer<typeof Item>;

export const ItemGrid = z.looseObject({
  id: HeartlandId,
  item_description: optionalNullable(z.string()),
  long_description: optionalNullable(z.string()),
  item_price: optionalNullable(Money),
  item_cost: optionalNullable(Money),
  item_primary_vendor_id: optionalNullable(HeartlandId),
  custom: CustomFields.optional(),
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});
export type ItemGrid = z.infer<typeof ItemGrid>;

/** Known group ids: item, customer, sales.transaction, sales.transaction.line_item (§3.3). */
export const CustomField = z.looseObject({
  id: HeartlandId,
  key: z.string(),
  group_id: z.string(),
  name: optionalNullable(z.string()), // [I]
  type: optionalNullable(z.string()), // [I]
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
});
export type CustomField = z.infer<typeof CustomField>;

export const Setting = z.looseObject({ value: z.unknown() });
export type Setting = z.infer<typeof Setting>;

// ---- inventory (§3.4) ------------------------------------------------------------------------

/** One grouped row; which of item_id/location_id is present depends on `group[]`. */
export const InventoryValue = z.looseObject({
  item_id: HeartlandId.optional(),
  location_id: HeartlandId.optional(),
  qty: optionalNullable(Qty),
  qty_on_hand: Qty,
  qty_committed: Qty,
  qty_available: Qty,
  qty_on_po: optionalNullable(Qty),
  qty_in_transit: optionalNullable(Qty),
  unit_cost: optionalNullable(Money),
  item: z.lazy(() => Item).optional(), // _include[]=item
  location: z.lazy(() => Location).optional(), // _include[]=location
});
export type InventoryValue = z.infer<typeof InventoryValue>;

/** Ledger row; ids increase monotonically (§3.4). delta_* other than committed are [I]. */
export const InventoryTransaction = z.looseObject({
  id: HeartlandId,
  item_id: HeartlandId,
  location_id: optionalNullable(HeartlandId),
  delta_qty_on_hand: optionalNullable(Qty),
  delta_qty_committed: optionalNullable(Qty),
  delta_qty_available: optionalNullable(Qty),
  delta_qty_in_transit: optionalNullable(Qty),
  delta_qty_on_po: optionalNullable(Qty),
  source_type: optionalNullable(z.string()), // [I] e.g. "Invoice", "Ticket", "AdjustmentSet"
  source_id: optionalNullable(HeartlandId), // [I]
  created_at: Timestamp.optional(),
});
export type InventoryTransaction = z.infer<typeof InventoryTransaction>;

export const AdjustmentSetLine = z.looseObject({
  id: HeartlandId,
  adjustment_set_id: HeartlandId.optional(),
  item_id: HeartlandId,
  qty: Qty,
  unit_cost: optionalNullable(Money),
});
export type AdjustmentSetLine = z.infer<typeof AdjustmentSetLine>;

/** [O/U] path and shape from S6 + one app. `qty` on a line is a delta of on-hand [I]. */
export const AdjustmentSet = z.looseObject({
  id: HeartlandId,
  location_id: HeartlandId,
  adjustment_reason_id: optionalNullable(HeartlandId),
  description: optionalNullable(z.string()),
  status: z.string(),
  lines: z.array(AdjustmentSetLine).optional(),
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});
export type AdjustmentSet = z.infer<typeof AdjustmentSet>;

export const ReasonCode = z.looseObject({
  id: HeartlandId,
  name: z.string(),
  description: optionalNullable(z.string()),
});
export type ReasonCode = z.infer<typeof ReasonCode>;

/** Reason-code families seen (§3.4, §3.8). */
export type ReasonCodeKind = 'inventory_adjustment_reasons' | 'gift_card_adjustment_reasons';

// ---- payment types, shipping methods (§3.7) --------------------------------------------------

export const PaymentType = z.looseObject({
  id: HeartlandId,
  name: z.string(),
  active: z.boolean().optional(),
});
export type PaymentType = z.infer<typeof PaymentType>;

export const ShippingMethod = z.looseObject({
  id: HeartlandId,
  name: z.string(),
  active: z.boolean().optional(),
});
export type ShippingMethod = z.infer<typeof ShippingMethod>;

// ---- sales orders (§3.5) ---------------------------------------------------------------------

/** pending → open → closed; cancel value unknown (§4). */
export const SalesOrderStatus = z.string();
export const KNOWN_ORDER_STATUSES = ['pending', 'open', 'closed', 'canceled'] as const;

export const SalesOrderLine = z.looseObject({
  id: HeartlandId,
  order_id: HeartlandId.optional(),
  item_id: HeartlandId,
  qty: Qty,
  original_unit_price: optionalNullable(Money),
  adjusted_unit_price: optionalNullable(Money),
  ship_from_location_id: optionalNullable(HeartlandId),
  total_tax: optionalNullable(Money),
  description: optionalNullable(z.string()),
  qty_invoiced: optionalNullable(Qty), // [I] simulator exposes it for partial invoicing
  custom: CustomFields.optional(),
});
export type SalesOrderLine = z.infer<typeof SalesOrderLine>;

export const SalesOrderTax = z.looseObject({
  id: HeartlandId.optional(), // some sub-resources come back without ids [P]
  description: optionalNullable(z.string()),
  value: Money,
});
export type SalesOrderTax = z.infer<typeof SalesOrderTax>;

export const SalesOrderDiscount = z.looseObject({
  id: HeartlandId.optional(),
  description: optionalNullable(z.string()),
  amount: Money, // negative as sent by production code (§3.5)
});
export type SalesOrderDiscount = z.infer<typeof SalesOrderDiscount>;

export const Payment = z.looseObject({
  id: HeartlandId,
  type: z.string(), // CustomPayment, ExternalPayment, Payments::ExternalPayment, …
  status: optionalNullable(z.string()),
  amount: Money,
  payment_type_id: optionalNullable(HeartlandId),
  deposit: z.boolean().optional(),
  description: optionalNullable(z.string()),
  completed_at: optionalNullable(Timestamp),
  local_completed_at: optionalNullable(z.string()),
  order_id: optionalNullable(HeartlandId),
  ticket_id: optionalNullable(HeartlandId),
  custom: CustomFields.optional(),
});
export type Payment = z.infer<typeof Payment>;

export const SalesOrder = z.looseObject({
  id: HeartlandId,
  public_id: optionalNullable(z.string()),
  status: SalesOrderStatus,
  customer_id: optionalNullable(HeartlandId),
  billing_address_id: optionalNullable(HeartlandId),
  shipping_address_id: optionalNullable(HeartlandId),
  source_location_id: optionalNullable(HeartlandId),
  station_id: optionalNullable(HeartlandId),
  shipping_method_id: optionalNullable(HeartlandId),
  shipping_charge: optionalNullable(Money),
  sales_rep: optionalNullable(z.string()),
  total: optionalNullable(Money),
  balance: optionalNullable(Money),
  custom: CustomFields.optional(),
  lines: z.array(SalesOrderLine).optional(),
  taxes: z.array(SalesOrderTax).optional(),
  discounts: z.array(SalesOrderDiscount).optional(),
  payments: z.array(Payment).optional(),
  customer: z.lazy(() => Customer).optional(),
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});
export type SalesOrder = z.infer<typeof SalesOrder>;

// ---- invoices (§3.5) -------------------------------------------------------------------------

export const InvoiceLine = z.looseObject({
  id: HeartlandId,
  invoice_id: HeartlandId.optional(),
  type: z.string().optional(), // ItemLine
  item_id: optionalNullable(HeartlandId),
  order_line_id: optionalNullable(HeartlandId), // [I] partial invoicing by order line
  qty: Qty,
  unit_price: optionalNullable(Money),
  description: optionalNullable(z.string()),
});
export type InvoiceLine = z.infer<typeof InvoiceLine>;

/** Tracking lives in invoice custom fields (CONTRACTS.md): `tracking_number`, `shipping_carrier`. */
export const InvoiceCustom = z.looseObject({
  tracking_number: optionalNullable(z.string()),
  shipping_carrier: optionalNullable(z.string()),
});
export type InvoiceCustom = z.infer<typeof InvoiceCustom>;

export const Invoice = z.looseObject({
  id: HeartlandId,
  public_id: optionalNullable(z.string()),
  type: z.string().optional(), // "Invoice"
  status: z.string(), // pending [I] → complete
  order_id: optionalNullable(HeartlandId),
  customer_id: optionalNullable(HeartlandId),
  source_location_id: optionalNullable(HeartlandId),
  station_id: optionalNullable(HeartlandId),
  total: optionalNullable(Money),
  shipping_charge: optionalNullable(Money),
  completed_at: optionalNullable(Timestamp),
  custom: InvoiceCustom.optional(),
  lines: z.array(InvoiceLine).optional(),
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});
export type Invoice = z.infer<typeof Invoice>;

// ---- tickets (§3.6) --------------------------------------------------------------------------

export const TicketLine = z.looseObject({
  id: HeartlandId.optional(),
  type: z.string().optional(), // ItemLine, TaxLine, ShippingLine
  item_id: optionalNullable(HeartlandId),
  qty: optionalNullable(Qty), // negative on Return tickets
  unit_price: optionalNullable(Money),
  original_unit_price: optionalNullable(Money),
  adjusted_unit_price: optionalNullable(Money),
  unit_cost: optionalNullable(Money),
  value: optionalNullable(Money), // tax / shipping amount
  description: optionalNullable(z.string()),
});
export type TicketLine = z.infer<typeof TicketLine>;

export const Ticket = z.looseObject({
  id: HeartlandId,
  public_id: optionalNullable(z.string()),
  type: z.string(), // Ticket | Return
  status: z.string(),
  customer_id: optionalNullable(HeartlandId),
  customer_name: optionalNullable(z.string()),
  station_id: optionalNullable(HeartlandId),
  source_location_id: optionalNullable(HeartlandId),
  sales_rep: optionalNullable(z.string()),
  total: optionalNullable(Money),
  total_tax: optionalNullable(Money),
  total_discounts: optionalNullable(Money),
  completed_at: optionalNullable(Timestamp),
  local_completed_at: optionalNullable(z.string()),
  'completed?': z.boolean().optional(),
  'voided?': z.boolean().optional(),
  parent_transaction_id: optionalNullable(HeartlandId), // Return → original invoice id
  affect_inventory: z.boolean().optional(),
  custom: CustomFields.optional(),
  lines: z.array(TicketLine).optional(),
  payments: z.array(Payment).optional(),
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});
export type Ticket = z.infer<typeof Ticket>;

// ---- gift cards (§3.8) -----------------------------------------------------------------------

export const GiftCardAdjustment = z.looseObject({
  id: HeartlandId,
  gift_card_id: HeartlandId,
  reason_id: optionalNullable(HeartlandId),
  delta_balance: Money,
  created_at: Timestamp.optional(),
});
export type GiftCardAdjustment = z.infer<typeof GiftCardAdjustment>;

export const GiftCard = z.looseObject({
  id: HeartlandId,
  number: z.string(),
  balance: Money,
  customer_id: optionalNullable(HeartlandId),
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});
export type GiftCard = z.infer<typeof GiftCard>;

// ---- OAuth (§1.3, unverified) ----------------------------------------------------------------

export const OAuthTokenResponse = z.looseObject({
  access_token: z.string(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  refresh_token: z.string().optional(), // not modelled by S6 [I]
  expires_in: z.number().optional(),
});
export type OAuthTokenResponse = z.infer<typeof OAuthTokenResponse>;

export const SystemHost = z.looseObject({ host: z.string() });
export type SystemHost = z.infer<typeof SystemHost>;

// ---- payment-type custom webhooks (§3.9): Heartland calls us ---------------------------------

/** Body Heartland POSTs to a capture/refund/void/check-balance URL; amount is a string. */
export const PaymentWebhookRequest = z.looseObject({
  payment_id: z.union([z.string(), z.number()]).optional(),
  amount: z.union([z.string(), z.number()]).optional(),
  number: z.string().optional(), // gift card number, for gift-card payment types
});
export type PaymentWebhookRequest = z.infer<typeof PaymentWebhookRequest>;

export const CheckBalanceResponse = z.looseObject({ balance: z.number() });

/** ASSUMED event notification (the real format is unknown, §3.9). */
export const EventNotification = z.looseObject({
  event: z.string(),
  resource_type: z.string(),
  resource_id: z.union([HeartlandId, z.string()]),
  occurred_at: Timestamp,
});
export type EventNotification = z.infer<typeof EventNotification>;

// ---- request bodies (what the connector creates) ---------------------------------------------
// Loose as well: mapping rules may add merchant-specific fields (or flat `custom@key` fields, §2.4)
// that these schemas do not list; they are passed through, not silently dropped.

export const CustomerCreate = z.looseObject({
  first_name: z.string().min(1),
  last_name: z.string().min(1),
  email: z.string().email().optional(),
  public_id: z.string().optional(),
  active: z.boolean().optional(),
  custom: CustomFields.optional(),
});
export type CustomerCreate = z.infer<typeof CustomerCreate>;
export const CustomerUpdate = CustomerCreate.partial();
export type CustomerUpdate = z.infer<typeof CustomerUpdate>;

export const AddressCreate = z.looseObject({
  first_name: z.string().min(1),
  last_name: z.string().min(1),
  company: z.string().nullable().optional(),
  line_1: z.string().nullable().optional(),
  line_2: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  state: z.string().nullable().optional(),
  postal_code: z.string().nullable().optional(),
  country: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
});
export type AddressCreate = z.infer<typeof AddressCreate>;
export const AddressUpdate = AddressCreate.partial();
export type AddressUpdate = z.infer<typeof AddressUpdate>;

export const ItemCreate = z.looseObject({
  description: z.string().min(1),
  cost: z.number(),
  price: z.number(),
  public_id: z.string().optional(),
  original_price: z.number().nullable().optional(),
  long_description: z.string().nullable().optional(),
  active: z.boolean().optional(),
  grid_id: HeartlandId.nullable().optional(),
  weight: z.number().nullable().optional(),
  custom: CustomFields.optional(),
});
export type ItemCreate = z.infer<typeof ItemCreate>;
export const ItemUpdate = ItemCreate.partial();
export type ItemUpdate = z.infer<typeof ItemUpdate>;

export const SalesOrderCreate = z.looseObject({
  customer_id: HeartlandId.optional(),
  billing_address_id: HeartlandId.optional(),
  shipping_address_id: HeartlandId.optional(),
  shipping_charge: z.number().optional(),
  shipping_method_id: HeartlandId.optional(),
  status: z.literal('pending').optional(),
  sales_rep: z.string().optional(),
  source_location_id: HeartlandId,
  station_id: HeartlandId,
  public_id: z.string().optional(),
  custom: CustomFields.optional(),
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
  /**
   * [O] one third-party app sends lines inline (`item_lookup` = public_id); S4 posts them one by
   * one. ASSUMED: an inline line takes the fields of `POST …/lines` too (prices, tax, description).
   */
  lines: z.array(z.looseObject({
    item_id: HeartlandId.optional(),
    item_lookup: z.string().min(1).optional(),
    qty: z.number().positive(),
    original_unit_price: z.number().optional(),
    adjusted_unit_price: z.number().optional(),
    ship_from_location_id: HeartlandId.optional(),
    total_tax: z.number().optional(),
    description: z.string().optional(),
    custom: CustomFields.optional(),
  }).refine((l) => l.item_id !== undefined || l.item_lookup !== undefined, { message: 'item_id or item_lookup is required', path: ['item_id'] })).optional(),
});
export type SalesOrderCreate = z.infer<typeof SalesOrderCreate>;

/** Partial header update; status changes `open`, `closed`, cancel value configurable (§4). */
export const SalesOrderUpdate = SalesOrderCreate.omit({ status: true, lines: true }).partial().extend({ status: z.string().optional() });
export type SalesOrderUpdate = z.infer<typeof SalesOrderUpdate>;

export const SalesOrderLineCreate = z.looseObject({
  item_id: HeartlandId,
  qty: z.number().positive(),
  original_unit_price: z.number().optional(),
  adjusted_unit_price: z.number().optional(),
  ship_from_location_id: HeartlandId.optional(),
  total_tax: z.number().optional(),
  description: z.string().optional(),
  custom: CustomFields.optional(),
});
export type SalesOrderLineCreate = z.infer<typeof SalesOrderLineCreate>;
export const SalesOrderLineUpdate = SalesOrderLineCreate.partial();
export type SalesOrderLineUpdate = z.infer<typeof SalesOrderLineUpdate>;

export const SalesOrderTaxCreate = z.looseObject({ description: z.string(), value: z.number() });
export type SalesOrderTaxCreate = z.infer<typeof SalesOrderTaxCreate>;

export const SalesOrderDiscountCreate = z.looseObject({ description: z.string(), amount: z.number() });
export type SalesOrderDiscountCreate = z.infer<typeof SalesOrderDiscountCreate>;

export const PaymentCreate = z.looseObject({
  type: z.string().default('CustomPayment'),
  payment_type_id: HeartlandId,
  amount: z.number(),
  deposit: z.boolean().optional(),
  description: z.string().optional(),
  custom: CustomFields.optional(),
});
export type PaymentCreate = z.input<typeof PaymentCreate>;

export const InvoiceCreate = z.looseObject({
  order_id: HeartlandId,
  customer_id: HeartlandId.optional(),
  source_location_id: HeartlandId,
  station_id: HeartlandId,
  total: z.number().optional(),
  type: z.literal('Invoice').optional(),
  custom: InvoiceCustom.optional(),
});
export type InvoiceCreate = z.infer<typeof InvoiceCreate>;

export const InvoiceLineCreate = z.looseObject({
  type: z.literal('ItemLine').default('ItemLine'),
  item_id: HeartlandId,
  qty: z.number().positive(),
  order_line_id: HeartlandId.optional(),
});
export type InvoiceLineCreate = z.input<typeof InvoiceLineCreate>;

export const InvoiceUpdate = z.looseObject({
  status: z.string().optional(),
  custom: InvoiceCustom.optional(),
});
export type InvoiceUpdate = z.infer<typeof InvoiceUpdate>;

export const TicketLineCreate = z.looseObject({
  type: z.string().default('ItemLine'),
  item_id: HeartlandId.optional(),
  qty: z.number().optional(),
  unit_price: z.number().optional(),
  original_unit_price: z.number().optional(),
  value: z.number().optional(),
  description: z.string().optional(),
});
export type TicketLineCreate = z.input<typeof TicketLineCreate>;

/** Full ticket in one POST (§3.6); `Return` tickets carry negative qty and `parent_transaction_id`. */
export const TicketCreate = z.looseObject({
  type: z.enum(['Ticket', 'Return']).optional(),
  public_id: z.string().optional(),
  station_id: HeartlandId,
  source_location_id: HeartlandId.optional(),
  customer_id: HeartlandId.optional(),
  sales_rep: z.string().optional(),
  status: z.string().optional(),
  affect_inventory: z.boolean().optional(),
  recalculate: z.boolean().optional(),
  parent_transaction_id: HeartlandId.optional(),
  completed_at: Timestamp.optional(),
  item_lines: z.array(TicketLineCreate).optional(),
  tax_lines: z.array(TicketLineCreate).optional(),
  payments: z.array(PaymentCreate.extend({ completed_at: Timestamp.optional() })).optional(),
  custom: CustomFields.optional(),
});
export type TicketCreate = z.input<typeof TicketCreate>;

export const AdjustmentSetCreate = z.looseObject({
  location_id: HeartlandId,
  adjustment_reason_id: HeartlandId,
  description: z.string().optional(),
});
export type AdjustmentSetCreate = z.infer<typeof AdjustmentSetCreate>;

export const AdjustmentSetLineCreate = z.looseObject({
  item_id: HeartlandId,
  qty: z.number(),
  unit_cost: z.number().optional(),
});
export type AdjustmentSetLineCreate = z.infer<typeof AdjustmentSetLineCreate>;

export const GiftCardCreate = z.looseObject({
  number: z.string().regex(/^[A-Za-z0-9]+$/, 'gift card numbers are alphanumeric'),
  balance: z.number(),
  reason_id: HeartlandId.optional(),
  customer_id: HeartlandId.optional(),
});
export type GiftCardCreate = z.infer<typeof GiftCardCreate>;

export const GiftCardAdjustmentCreate = z.looseObject({
  gift_card_id: HeartlandId,
  reason_id: HeartlandId.optional(),
  delta_balance: z.number(),
});
export type GiftCardAdjustmentCreate = z.infer<typeof GiftCardAdjustmentCreate>;

export const PaymentTypeCreate = z.looseObject({ name: z.string().min(1) });
export type PaymentTypeCreate = z.infer<typeof PaymentTypeCreate>;

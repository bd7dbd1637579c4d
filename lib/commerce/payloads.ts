/**
 * Magento 2 / Adobe Commerce REST shapes the connector reads and writes (../shared/api/commerce.md §1.5, §2).
 *
 * Objects are loose (`z.looseObject`): Magento adds edition- and module-specific keys, and the
 * connector must keep working when a store returns more than we know about. Only what a flow relies
 * on is declared. REST responses carry typed numbers (§1.6); a few Magento fields are strings on some
 * versions (e.g. `weight`, `default_billing`), so numeric fields accept a numeric string too and
 * always come out as numbers.
 */
import { z } from 'zod';

/** A number, or a numeric string (Magento is not consistent across versions); always a number after parsing. */
export const magentoNumber = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'expected a number')
    .transform(Number),
]);
const num = magentoNumber;
const optNum = magentoNumber.nullish();
const optStr = z.string().nullish();
/** 0/1 flags that some endpoints return as booleans. */
const flag = z.union([z.boolean(), magentoNumber]).nullish();

// ---------------------------------------------------------------- errors and envelopes

/** `{message, parameters}` as rendered by Webapi\Rest\Response (§1.5); parameters positional or named. */
export const MagentoErrorBody = z.looseObject({
  message: z.string(),
  parameters: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
  code: z.number().optional(),
  errors: z
    .array(
      z.looseObject({
        message: z.string(),
        parameters: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
      }),
    )
    .optional(),
  trace: z.string().optional(),
});
export type MagentoErrorBody = z.infer<typeof MagentoErrorBody>;

export const SearchFilter = z.looseObject({
  field: z.string(),
  value: z.string().optional(),
  condition_type: z.string().optional(),
});
export const SearchCriteriaEcho = z.looseObject({
  filter_groups: z.array(z.looseObject({ filters: z.array(SearchFilter).optional() })).optional(),
  sort_orders: z.array(z.looseObject({ field: z.string(), direction: z.string().optional() })).optional(),
  page_size: optNum,
  current_page: optNum,
});
export type SearchCriteriaEcho = z.infer<typeof SearchCriteriaEcho>;

/** `{items, search_criteria, total_count}` around any item schema. */
export function searchResults<T extends z.ZodType>(item: T) {
  return z.looseObject({
    items: z.array(item).nullish().transform((items) => items ?? []),
    search_criteria: SearchCriteriaEcho.optional(),
    total_count: num,
  });
}
export interface SearchResults<T> {
  items: T[];
  search_criteria?: SearchCriteriaEcho;
  total_count: number;
}

// ---------------------------------------------------------------- sales: orders

export const OrderAddress = z.looseObject({
  entity_id: optNum,
  parent_id: optNum,
  address_type: z.string().nullish(), // billing | shipping
  customer_address_id: optNum,
  customer_id: optNum,
  email: optStr,
  firstname: optStr,
  middlename: optStr,
  lastname: optStr,
  prefix: optStr,
  suffix: optStr,
  company: optStr,
  street: z.array(z.string()).nullish(),
  city: optStr,
  region: optStr,
  region_code: optStr,
  region_id: optNum,
  postcode: optStr,
  country_id: optStr,
  telephone: optStr,
  fax: optStr,
  vat_id: optStr,
});
export type OrderAddress = z.infer<typeof OrderAddress>;

const orderItemFields = {
  item_id: optNum,
  order_id: optNum,
  parent_item_id: optNum,
  quote_item_id: optNum,
  product_id: optNum,
  product_type: optStr,
  sku: z.string(),
  name: optStr,
  qty_ordered: optNum,
  qty_invoiced: optNum,
  qty_shipped: optNum,
  qty_refunded: optNum,
  qty_canceled: optNum,
  qty_backordered: optNum,
  qty_returned: optNum,
  price: optNum,
  base_price: optNum,
  original_price: optNum,
  price_incl_tax: optNum,
  row_total: optNum,
  base_row_total: optNum,
  row_total_incl_tax: optNum,
  tax_amount: optNum,
  tax_percent: optNum,
  discount_amount: optNum,
  discount_percent: optNum,
  weight: optNum,
  row_weight: optNum,
  is_virtual: flag,
  created_at: optStr,
  updated_at: optStr,
  product_option: z.unknown().optional(),
  extension_attributes: z.looseObject({}).nullish(),
};
export const OrderItem = z.looseObject({
  ...orderItemFields,
  /** The parent line of a configurable/bundle child, when Magento embeds it. */
  parent_item: z.looseObject(orderItemFields).nullish(),
});
export type OrderItem = z.infer<typeof OrderItem>;

export const OrderPayment = z.looseObject({
  entity_id: optNum,
  parent_id: optNum,
  method: z.string(),
  account_status: optStr,
  additional_information: z.array(z.string().nullable()).nullish(),
  cc_last4: optStr,
  cc_type: optStr,
  amount_ordered: optNum,
  base_amount_ordered: optNum,
  amount_paid: optNum,
  amount_authorized: optNum,
  amount_refunded: optNum,
  amount_canceled: optNum,
  shipping_amount: optNum,
  last_trans_id: optStr,
  po_number: optStr,
});
export type OrderPayment = z.infer<typeof OrderPayment>;

export const StatusHistory = z.looseObject({
  entity_id: optNum,
  parent_id: optNum,
  comment: z.string().nullish(),
  status: optStr,
  is_customer_notified: flag,
  is_visible_on_front: flag,
  created_at: optStr,
  entity_name: optStr,
});
export type StatusHistory = z.infer<typeof StatusHistory>;

export const ShippingAssignment = z.looseObject({
  shipping: z
    .looseObject({
      address: OrderAddress.nullish(),
      method: optStr,
      total: z
        .looseObject({
          shipping_amount: optNum,
          base_shipping_amount: optNum,
          shipping_incl_tax: optNum,
          shipping_tax_amount: optNum,
          shipping_discount_amount: optNum,
        })
        .nullish(),
    })
    .nullish(),
  items: z.array(OrderItem).nullish(),
  stock_id: optNum,
});
export type ShippingAssignment = z.infer<typeof ShippingAssignment>;

export const AppliedGiftCard = z.looseObject({ id: num, code: z.string(), amount: num, base_amount: optNum });

export const OrderExtensionAttributes = z.looseObject({
  shipping_assignments: z.array(ShippingAssignment).nullish(),
  gift_cards: z.array(AppliedGiftCard).nullish(),
  gift_cards_amount: optNum,
  base_gift_cards_amount: optNum,
  customer_balance_amount: optNum,
  pickup_location_code: optStr,
  coupon_codes: z.array(z.string()).nullish(),
});

export const Order = z.looseObject({
  entity_id: num,
  increment_id: z.string(),
  quote_id: optNum,
  store_id: optNum,
  store_name: optStr,
  created_at: optStr,
  updated_at: optStr,
  state: optStr,
  status: optStr,
  customer_id: optNum,
  customer_is_guest: flag,
  customer_email: z.string(),
  customer_firstname: optStr,
  customer_lastname: optStr,
  customer_group_id: optNum,
  customer_note: optStr,
  subtotal: optNum,
  subtotal_incl_tax: optNum,
  discount_amount: optNum,
  discount_description: optStr,
  shipping_amount: optNum,
  shipping_incl_tax: optNum,
  shipping_tax_amount: optNum,
  shipping_description: optStr,
  tax_amount: optNum,
  grand_total: num,
  base_grand_total: optNum,
  total_paid: optNum,
  total_due: optNum,
  total_invoiced: optNum,
  total_refunded: optNum,
  total_canceled: optNum,
  total_qty_ordered: optNum,
  total_item_count: optNum,
  weight: optNum,
  coupon_code: optStr,
  order_currency_code: optStr,
  base_currency_code: optStr,
  global_currency_code: optStr,
  store_currency_code: optStr,
  billing_address_id: optNum,
  items: z.array(OrderItem),
  billing_address: OrderAddress.nullish(),
  payment: OrderPayment.nullish(),
  status_histories: z.array(StatusHistory).nullish(),
  extension_attributes: OrderExtensionAttributes.nullish(),
});
export type Order = z.infer<typeof Order>;
export const OrderSearchResults = searchResults(Order);

/** `POST /V1/orders/{id}/comments` body content (`{"statusHistory": …}`). */
export const OrderCommentInput = z.object({
  comment: z.string().min(1),
  is_customer_notified: z.union([z.literal(0), z.literal(1)]).default(0),
  is_visible_on_front: z.union([z.literal(0), z.literal(1)]).default(0),
  status: z.string().optional(),
  parent_id: z.number().int().optional(),
});
export type OrderCommentInput = z.input<typeof OrderCommentInput>;

// ---------------------------------------------------------------- invoices, shipments, credit memos

export const LineQty = z.object({ order_item_id: z.number().int().positive(), qty: z.number().positive() });
export type LineQty = z.infer<typeof LineQty>;
export const DocumentComment = z.object({ comment: z.string(), is_visible_on_front: z.union([z.literal(0), z.literal(1)]) });

export const InvoiceItem = z.looseObject({
  entity_id: optNum,
  parent_id: optNum,
  order_item_id: num,
  sku: optStr,
  name: optStr,
  qty: num,
  price: optNum,
  row_total: optNum,
  tax_amount: optNum,
  discount_amount: optNum,
});
export const Invoice = z.looseObject({
  entity_id: num,
  increment_id: optStr,
  order_id: num,
  state: optNum, // 1 open, 2 paid, 3 canceled
  grand_total: optNum,
  subtotal: optNum,
  tax_amount: optNum,
  shipping_amount: optNum,
  discount_amount: optNum,
  total_qty: optNum,
  transaction_id: optStr,
  created_at: optStr,
  updated_at: optStr,
  items: z.array(InvoiceItem).nullish(),
  comments: z.array(z.looseObject({ comment: optStr })).nullish(),
});
export type Invoice = z.infer<typeof Invoice>;
export const InvoiceSearchResults = searchResults(Invoice);

export const InvoiceOrderInput = z.object({
  capture: z.boolean().optional(),
  items: z.array(LineQty).optional(),
  notify: z.boolean().optional(),
  appendComment: z.boolean().optional(),
  comment: DocumentComment.optional(),
});
export type InvoiceOrderInput = z.infer<typeof InvoiceOrderInput>;

export const ShipmentTrack = z.looseObject({
  entity_id: optNum,
  parent_id: optNum,
  order_id: optNum,
  track_number: z.string(),
  title: optStr,
  carrier_code: optStr,
  created_at: optStr,
});
export type ShipmentTrack = z.infer<typeof ShipmentTrack>;
export const ShipmentItem = z.looseObject({
  entity_id: optNum,
  parent_id: optNum,
  order_item_id: num,
  sku: optStr,
  name: optStr,
  qty: num,
  price: optNum,
  weight: optNum,
  product_id: optNum,
});
export const Shipment = z.looseObject({
  entity_id: num,
  increment_id: optStr,
  order_id: num,
  total_qty: optNum,
  created_at: optStr,
  updated_at: optStr,
  items: z.array(ShipmentItem).nullish(),
  tracks: z.array(ShipmentTrack).nullish(),
  comments: z.array(z.looseObject({ comment: optStr, is_visible_on_front: flag })).nullish(),
  extension_attributes: z.looseObject({ source_code: optStr }).nullish(),
});
export type Shipment = z.infer<typeof Shipment>;
export const ShipmentSearchResults = searchResults(Shipment);

/** `POST /V1/order/{id}/ship` body (§2.4). `sourceCode` goes to `arguments.extension_attributes.source_code`. */
export const ShipOrderInput = z.object({
  items: z.array(LineQty).optional(),
  notify: z.boolean().optional(),
  appendComment: z.boolean().optional(),
  comment: DocumentComment.optional(),
  tracks: z.array(z.object({ track_number: z.string().min(1), title: z.string().min(1), carrier_code: z.string().min(1) })).optional(),
  arguments: z.object({ extension_attributes: z.object({ source_code: z.string().min(1).optional() }).optional() }).optional(),
});
export type ShipOrderInput = z.infer<typeof ShipOrderInput>;

export const CreditMemoItem = z.looseObject({
  entity_id: optNum,
  parent_id: optNum,
  order_item_id: num,
  sku: optStr,
  name: optStr,
  qty: num,
  price: optNum,
  base_price: optNum,
  row_total: optNum,
  tax_amount: optNum,
  discount_amount: optNum,
});
export const CreditMemo = z.looseObject({
  entity_id: num,
  increment_id: optStr,
  order_id: num,
  invoice_id: optNum,
  state: optNum,
  creditmemo_status: optNum,
  grand_total: optNum,
  subtotal: optNum,
  tax_amount: optNum,
  shipping_amount: optNum,
  discount_amount: optNum,
  adjustment: optNum,
  adjustment_positive: optNum,
  adjustment_negative: optNum,
  created_at: optStr,
  updated_at: optStr,
  items: z.array(CreditMemoItem).nullish(),
  comments: z.array(z.looseObject({ comment: optStr })).nullish(),
});
export type CreditMemo = z.infer<typeof CreditMemo>;
export const CreditMemoSearchResults = searchResults(CreditMemo);

/** `POST /V1/order/{id}/refund` and `/V1/invoice/{id}/refund` body (§2.6). */
export const RefundInput = z.object({
  items: z.array(LineQty).optional(),
  notify: z.boolean().optional(),
  appendComment: z.boolean().optional(),
  comment: DocumentComment.optional(),
  isOnline: z.boolean().optional(),
  arguments: z
    .object({
      shipping_amount: z.number().min(0).optional(),
      adjustment_positive: z.number().min(0).optional(),
      adjustment_negative: z.number().min(0).optional(),
      extension_attributes: z.object({ return_to_stock_items: z.array(z.number().int()).optional() }).optional(),
    })
    .optional(),
});
export type RefundInput = z.infer<typeof RefundInput>;

// ---------------------------------------------------------------- customers

export const CustomAttribute = z.looseObject({ attribute_code: z.string(), value: z.unknown() });
export type CustomAttribute = z.infer<typeof CustomAttribute>;

export const CustomerAddress = z.looseObject({
  id: optNum,
  customer_id: optNum,
  region: z.looseObject({ region_code: optStr, region: optStr, region_id: optNum }).nullish(),
  region_id: optNum,
  country_id: optStr,
  street: z.array(z.string()).nullish(),
  company: optStr,
  telephone: optStr,
  fax: optStr,
  postcode: optStr,
  city: optStr,
  firstname: optStr,
  lastname: optStr,
  middlename: optStr,
  prefix: optStr,
  suffix: optStr,
  vat_id: optStr,
  default_shipping: z.boolean().nullish(),
  default_billing: z.boolean().nullish(),
  custom_attributes: z.array(CustomAttribute).nullish(),
});
export type CustomerAddress = z.infer<typeof CustomerAddress>;

export const Customer = z.looseObject({
  id: num,
  group_id: optNum,
  default_billing: z.union([z.string(), z.number()]).nullish(),
  default_shipping: z.union([z.string(), z.number()]).nullish(),
  created_at: optStr,
  updated_at: optStr,
  created_in: optStr,
  dob: optStr,
  email: z.string(),
  firstname: z.string(),
  lastname: z.string(),
  middlename: optStr,
  prefix: optStr,
  suffix: optStr,
  gender: optNum,
  store_id: optNum,
  website_id: optNum,
  taxvat: optStr,
  addresses: z.array(CustomerAddress).nullish(),
  disable_auto_group_change: optNum,
  extension_attributes: z.looseObject({ is_subscribed: z.boolean().nullish() }).nullish(),
  custom_attributes: z.array(CustomAttribute).nullish(),
});
export type Customer = z.infer<typeof Customer>;
export const CustomerSearchResults = searchResults(Customer);

/** What the connector sends when creating/updating a customer (`{"customer": …}`), snake_case like responses. */
export const CustomerInput = z.looseObject({
  id: z.number().int().optional(),
  email: z.email(),
  firstname: z.string().min(1),
  lastname: z.string().min(1),
  group_id: z.number().int().optional(),
  website_id: z.number().int().optional(),
  store_id: z.number().int().optional(),
  addresses: z.array(CustomerAddress.omit({ id: true })).optional(),
  custom_attributes: z.array(CustomAttribute).optional(),
});
export type CustomerInput = z.infer<typeof CustomerInput>;

// ---------------------------------------------------------------- products and legacy stock

export const StockItem = z.looseObject({
  item_id: optNum,
  product_id: optNum,
  stock_id: optNum,
  qty: optNum,
  is_in_stock: z.boolean().nullish(),
  is_qty_decimal: z.boolean().nullish(),
  manage_stock: z.boolean().nullish(),
  min_qty: optNum,
  min_sale_qty: optNum,
  max_sale_qty: optNum,
  backorders: optNum,
});
export type StockItem = z.infer<typeof StockItem>;

export const Product = z.looseObject({
  id: optNum,
  sku: z.string(),
  name: optStr,
  attribute_set_id: optNum,
  price: optNum,
  status: optNum, // 1 enabled, 2 disabled
  visibility: optNum, // 1..4
  type_id: optStr,
  created_at: optStr,
  updated_at: optStr,
  weight: optNum,
  custom_attributes: z.array(CustomAttribute).nullish(),
  extension_attributes: z
    .looseObject({
      website_ids: z.array(num).nullish(),
      category_links: z.array(z.looseObject({ position: optNum, category_id: z.union([z.string(), z.number()]) })).nullish(),
      stock_item: StockItem.nullish(),
    })
    .nullish(),
});
export type Product = z.infer<typeof Product>;
export const ProductSearchResults = searchResults(Product);

/** What the connector writes to `POST /V1/products` / `PUT /V1/products/{sku}` under `product`. */
export const ProductInput = z.looseObject({
  sku: z.string().min(1),
  name: z.string().min(1).optional(),
  attribute_set_id: z.number().int().optional(),
  price: z.number().min(0).optional(),
  status: z.union([z.literal(1), z.literal(2)]).optional(),
  visibility: z.number().int().min(1).max(4).optional(),
  type_id: z.string().optional(),
  weight: z.number().min(0).optional(),
  custom_attributes: z.array(CustomAttribute).optional(),
  extension_attributes: z.looseObject({}).optional(),
});
export type ProductInput = z.infer<typeof ProductInput>;

// ---------------------------------------------------------------- MSI

export const Source = z.looseObject({
  source_code: z.string(),
  name: optStr,
  enabled: z.union([z.boolean(), magentoNumber]).nullish(),
  description: optStr,
  country_id: optStr,
  postcode: optStr,
  city: optStr,
  region: optStr,
  region_id: optNum,
  street: optStr,
  phone: optStr,
  email: optStr,
  contact_name: optStr,
});
export type Source = z.infer<typeof Source>;
export const SourceSearchResults = searchResults(Source);

/** `status`: 1 in stock, 0 out of stock (§2.9). */
export const SourceItem = z.looseObject({
  sku: z.string(),
  source_code: z.string(),
  quantity: num,
  status: z.union([z.literal(0), z.literal(1)]).or(magentoNumber),
});
export type SourceItem = z.infer<typeof SourceItem>;
export const SourceItemSearchResults = searchResults(SourceItem);
export const SourceItemInput = z.object({
  sku: z.string().min(1),
  source_code: z.string().min(1),
  quantity: z.number().min(0),
  status: z.union([z.literal(0), z.literal(1)]),
});
export type SourceItemInput = z.infer<typeof SourceItemInput>;

/** `GET /V1/inventory/get-product-salable-quantity/{sku}/{stockId}` returns a bare number. */
export const SalableQuantity = magentoNumber;

// ---------------------------------------------------------------- async bulk

export const BulkAccepted = z.looseObject({
  bulk_uuid: z.string(),
  request_items: z.array(z.looseObject({ id: num, data_hash: optStr, status: z.string() })),
  errors: z.boolean(),
});
export type BulkAccepted = z.infer<typeof BulkAccepted>;

/** Operation status: 1 complete, 2 retriable failure, 3 failed, 4 open, 5 rejected (§2.11). */
export const BulkOperationStatus = { complete: 1, retriablyFailed: 2, failed: 3, open: 4, rejected: 5 } as const;
export const BulkStatus = z.looseObject({
  bulk_id: z.string(),
  description: optStr,
  start_time: optStr,
  user_type: optNum,
  user_id: optNum,
  operation_count: num,
  operations_list: z.array(
    z.looseObject({ id: num, status: num, result_message: optStr, error_code: z.union([z.number(), z.string()]).nullish() }),
  ),
});
export type BulkStatus = z.infer<typeof BulkStatus>;

// ---------------------------------------------------------------- gift card accounts (SaaS shape, §2.12)

/** `state`: 0 available, 1 used, 2 redeemed, 3 expired; `status`: 0/1. */
export const GiftCardAccount = z.looseObject({
  account_id: num,
  code: z.string(),
  balance: num,
  status: optNum,
  state: optNum,
  is_redeemable: optNum,
  date_expires: optStr,
  date_created: optStr,
});
export type GiftCardAccount = z.infer<typeof GiftCardAccount>;
export const GiftCardAccountSearchResults = searchResults(GiftCardAccount);
export const GiftCardAccountInput = z.object({
  code: z.string().min(1).optional(),
  balance: z.number().min(0).optional(),
  status: z.union([z.literal(0), z.literal(1)]).optional(),
  state: z.number().int().min(0).max(3).optional(),
  is_redeemable: z.union([z.literal(0), z.literal(1)]).optional(),
  date_expires: z.string().nullable().optional(),
});
export type GiftCardAccountInput = z.infer<typeof GiftCardAccountInput>;

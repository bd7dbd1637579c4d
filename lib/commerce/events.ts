/**
 * Adobe I/O Events CloudEvents from Adobe Commerce, as a Runtime-action consumer receives them
 * (../shared/api/commerce.md §3.5–3.6): the envelope is merged into the action's params, the entity
 * sits in `data.value` with database-typed strings (`"entity_id":"42"`, `"grand_total":"165.0000"`).
 *
 * Events are hints (DESIGN.md §1.1): the flows re-read the entity over REST, so the value schemas
 * only declare what is needed to find and version that entity, coerced to numbers, and stay loose.
 */
import { z } from 'zod';

/** A DB-typed number: `"165.0000"`, `"3"` or `3` → number. */
export const dbNumber = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'expected a number')
    .transform(Number),
]);
/** Optional DB-typed number: empty strings and null (unset columns) become undefined. */
const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const optDbNumber = z.preprocess(blankToUndefined, dbNumber.optional());
/** A DB-typed id; Magento sends `"42"`. */
const optDbInt = optDbNumber;
const optStr = z.string().nullish();
/** 0/1 flags arrive as `"0"`/`"1"` or booleans. */
export const dbFlag = z.preprocess((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : blankToUndefined(v)), dbNumber.optional());

export const EventMetadata = z.looseObject({
  commerceEdition: optStr,
  commerceVersion: optStr,
  eventsClientVersion: optStr,
  storeId: optStr,
  websiteId: optStr,
  storeGroupId: optStr,
});
export type EventMetadata = z.infer<typeof EventMetadata>;

/** The CloudEvent envelope. `eventid` is the current name, `event_id` the deprecated duplicate (§3.5). */
export const CommerceCloudEvent = z
  .looseObject({
    specversion: z.string().optional(),
    id: z.string().min(1),
    source: z.string().optional(),
    type: z.string().min(1),
    datacontenttype: z.string().optional(),
    time: z.string().optional(),
    eventid: z.string().optional(),
    event_id: z.string().optional(),
    recipientclientid: z.string().optional(),
    recipient_client_id: z.string().optional(),
    data: z.looseObject({
      key: z.string().optional(),
      value: z.record(z.string(), z.unknown()),
      source: z.string().optional(),
      _metadata: EventMetadata.optional(),
    }),
  })
  .transform((e) => ({ ...e, eventid: e.eventid ?? e.event_id ?? e.id }));
export type CommerceCloudEvent = z.output<typeof CommerceCloudEvent>;

// ---------------------------------------------------------------- per-event `data.value`

const eventOrderItem = z.looseObject({
  item_id: optDbInt,
  parent_item_id: optDbInt,
  product_type: optStr,
  sku: optStr,
  name: optStr,
  qty_ordered: optDbNumber,
  price: optDbNumber,
  row_total: optDbNumber,
});

const eventAddress = z.looseObject({
  address_type: optStr,
  firstname: optStr,
  lastname: optStr,
  // Observer payloads serialise the address model; street may be a newline-joined string or an array.
  street: z.union([z.string(), z.array(z.string())]).nullish(),
  city: optStr,
  postcode: optStr,
  country_id: optStr,
  telephone: optStr,
});

/** `observer.sales_order_save_commit_after` / `sales_order_save_after` (§3.6). */
export const OrderEventValue = z.looseObject({
  entity_id: optDbInt,
  increment_id: optStr,
  real_order_id: optStr,
  state: optStr,
  status: optStr,
  customer_id: optDbInt,
  customer_email: optStr,
  customer_is_guest: dbFlag,
  grand_total: optDbNumber,
  base_grand_total: optDbNumber,
  subtotal: optDbNumber,
  tax_amount: optDbNumber,
  shipping_amount: optDbNumber,
  total_paid: optDbNumber,
  total_refunded: optDbNumber,
  created_at: optStr,
  updated_at: optStr,
  items: z.array(eventOrderItem).nullish(),
  addresses: z.array(eventAddress).nullish(),
  payment: z.looseObject({ method: optStr, amount_paid: optDbNumber, last_trans_id: optStr }).nullish(),
});
export type OrderEventValue = z.infer<typeof OrderEventValue>;

/** `observer.customer_save_commit_after` / `customer_save_after`. */
export const CustomerEventValue = z.looseObject({
  entity_id: optDbInt,
  id: optDbInt,
  email: optStr,
  firstname: optStr,
  lastname: optStr,
  group_id: optDbInt,
  website_id: optDbInt,
  store_id: optDbInt,
  created_at: optStr,
  updated_at: optStr,
});
export type CustomerEventValue = z.infer<typeof CustomerEventValue>;

/** `observer.sales_order_creditmemo_save_after`. */
export const CreditMemoEventValue = z.looseObject({
  entity_id: optDbInt,
  increment_id: optStr,
  order_id: optDbInt,
  invoice_id: optDbInt,
  state: optDbInt,
  grand_total: optDbNumber,
  subtotal: optDbNumber,
  adjustment: optDbNumber,
  shipping_amount: optDbNumber,
  created_at: optStr,
  updated_at: optStr,
  items: z.array(z.looseObject({ entity_id: optDbInt, order_item_id: optDbInt, sku: optStr, qty: optDbNumber })).nullish(),
});
export type CreditMemoEventValue = z.infer<typeof CreditMemoEventValue>;

/** `observer.sales_order_shipment_save_after`. */
export const ShipmentEventValue = z.looseObject({
  entity_id: optDbInt,
  increment_id: optStr,
  order_id: optDbInt,
  total_qty: optDbNumber,
  created_at: optStr,
  updated_at: optStr,
  items: z.array(z.looseObject({ order_item_id: optDbInt, sku: optStr, qty: optDbNumber })).nullish(),
  tracks: z.array(z.looseObject({ track_number: optStr, carrier_code: optStr, title: optStr })).nullish(),
});
export type ShipmentEventValue = z.infer<typeof ShipmentEventValue>;

/** `observer.sales_order_invoice_save_after`. */
export const InvoiceEventValue = z.looseObject({
  entity_id: optDbInt,
  increment_id: optStr,
  order_id: optDbInt,
  state: optDbInt,
  grand_total: optDbNumber,
  transaction_id: optStr,
  created_at: optStr,
  updated_at: optStr,
});
export type InvoiceEventValue = z.infer<typeof InvoiceEventValue>;

/** Gift card account save. */
export const GiftCardAccountEventValue = z.looseObject({
  giftcardaccount_id: optDbInt,
  account_id: optDbInt,
  code: optStr,
  balance: optDbNumber,
  state: optDbInt,
  status: optDbInt,
  website_id: optDbInt,
  date_expires: optStr,
  updated_at: optStr,
});
export type GiftCardAccountEventValue = z.infer<typeof GiftCardAccountEventValue>;

/** `observer.catalog_product_save_commit_after`. */
export const ProductEventValue = z.looseObject({
  entity_id: optDbInt,
  sku: optStr,
  name: optStr,
  price: optDbNumber,
  updated_at: optStr,
  stock_data: z.looseObject({ qty: optDbNumber }).nullish(),
});
export type ProductEventValue = z.infer<typeof ProductEventValue>;

/**
 * Commerce event names (without the `com.adobe.commerce.` prefix) the connector subscribes to.
 * ASSUMED: the gift card account observer name follows Magento's model event prefix
 * `magento_giftcardaccount` (commerce.md does not list a gift card account event).
 */
export const CommerceEventName = {
  orderSaved: 'observer.sales_order_save_commit_after',
  invoiceSaved: 'observer.sales_order_invoice_save_after',
  shipmentSaved: 'observer.sales_order_shipment_save_after',
  creditMemoSaved: 'observer.sales_order_creditmemo_save_after',
  customerSaved: 'observer.customer_save_commit_after',
  customerDeleted: 'observer.customer_delete_commit_after',
  giftCardAccountSaved: 'observer.magento_giftcardaccount_save_commit_after',
  productSaved: 'observer.catalog_product_save_commit_after',
} as const;
export type CommerceEventName = (typeof CommerceEventName)[keyof typeof CommerceEventName];

const valueSchemaByEvent: Record<string, z.ZodType> = {
  'observer.sales_order_save_commit_after': OrderEventValue,
  'observer.sales_order_save_after': OrderEventValue,
  'observer.sales_order_invoice_save_after': InvoiceEventValue,
  'observer.sales_order_shipment_save_after': ShipmentEventValue,
  'observer.sales_order_creditmemo_save_after': CreditMemoEventValue,
  'observer.customer_save_commit_after': CustomerEventValue,
  'observer.customer_save_after': CustomerEventValue,
  'observer.customer_delete_commit_after': CustomerEventValue,
  'observer.magento_giftcardaccount_save_commit_after': GiftCardAccountEventValue,
  'observer.catalog_product_save_commit_after': ProductEventValue,
};

const TYPE_PREFIX = 'com.adobe.commerce.';

/**
 * The Commerce event name inside an I/O type, with any namespace (App Management app id or legacy
 * EVENT_PREFIX, §3.1) removed: `com.adobe.commerce.my_app.observer.x` → `observer.x`.
 * Returns undefined for types that are not Commerce observer/plugin events.
 */
export function commerceEventName(type: string): string | undefined {
  if (!type.startsWith(TYPE_PREFIX)) return undefined;
  const rest = type.slice(TYPE_PREFIX.length);
  const match = /(?:^|\.)((?:observer|plugin)\..+)$/.exec(rest);
  return match?.[1];
}

export type ParsedCommerceEvent =
  | { kind: 'order'; name: string; event: CommerceCloudEvent; value: OrderEventValue }
  | { kind: 'invoice'; name: string; event: CommerceCloudEvent; value: InvoiceEventValue }
  | { kind: 'shipment'; name: string; event: CommerceCloudEvent; value: ShipmentEventValue }
  | { kind: 'creditmemo'; name: string; event: CommerceCloudEvent; value: CreditMemoEventValue }
  | { kind: 'customer'; name: string; event: CommerceCloudEvent; value: CustomerEventValue }
  | { kind: 'giftcardaccount'; name: string; event: CommerceCloudEvent; value: GiftCardAccountEventValue }
  | { kind: 'product'; name: string; event: CommerceCloudEvent; value: ProductEventValue }
  | { kind: 'other'; name: string; event: CommerceCloudEvent; value: Record<string, unknown> };

const kindByEvent: Record<string, ParsedCommerceEvent['kind']> = {
  'observer.sales_order_save_commit_after': 'order',
  'observer.sales_order_save_after': 'order',
  'observer.sales_order_invoice_save_after': 'invoice',
  'observer.sales_order_shipment_save_after': 'shipment',
  'observer.sales_order_creditmemo_save_after': 'creditmemo',
  'observer.customer_save_commit_after': 'customer',
  'observer.customer_save_after': 'customer',
  'observer.customer_delete_commit_after': 'customer',
  'observer.magento_giftcardaccount_save_commit_after': 'giftcardaccount',
  'observer.catalog_product_save_commit_after': 'product',
};

export class CommerceEventError extends Error {
  readonly issues: { path: string; message: string }[];
  constructor(message: string, issues: { path: string; message: string }[]) {
    super(message);
    this.name = 'CommerceEventError';
    this.issues = issues;
  }
}

function describe(error: z.ZodError, prefix: string) {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}

/**
 * Parses Runtime action params (the CloudEvent merged with default inputs) into a typed event.
 * Throws CommerceEventError naming the first bad field; unknown Commerce events parse as `other`.
 */
export function parseCommerceEvent(params: unknown): ParsedCommerceEvent {
  const envelope = CommerceCloudEvent.safeParse(params);
  if (!envelope.success) {
    const issues = describe(envelope.error, '');
    // Name every problem, not just the first: an event missing both `id` and `data.value` should say so.
    const summary = issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
    throw new CommerceEventError(`not a Commerce CloudEvent: ${summary}`, issues);
  }
  const event = envelope.data;
  const name = commerceEventName(event.type);
  if (!name) {
    throw new CommerceEventError(`not a Commerce event type: ${event.type}`, [{ path: 'type', message: 'expected com.adobe.commerce.…observer|plugin.<event>' }]);
  }
  const schema = valueSchemaByEvent[name];
  const kind = kindByEvent[name];
  if (!schema || !kind) return { kind: 'other', name, event, value: event.data.value };
  const value = schema.safeParse(event.data.value);
  if (!value.success) {
    const issues = describe(value.error, 'data.value');
    throw new CommerceEventError(`${name}: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
  }
  return { kind, name, event, value: value.data } as ParsedCommerceEvent;
}

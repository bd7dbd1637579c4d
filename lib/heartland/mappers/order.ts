/**
 * Canonical order → the Heartland requests that create it, in order (heartland.md §5.4, issue 7):
 * customer and addresses first, the order `pending` with `custom.ecommerce_number` = increment id,
 * lines by item id with prices, discounts and tax, any order-level tax or discount left over,
 * the payment as a custom payment, then `open`. Ids the plan cannot know are placeholders.
 * The order flow sends the planned lines inline with the order create, naming items by SKU
 * (lib/flows/orders/order-flow.ts), so a plan without `itemIdFor` is complete.
 */
import { type FieldIssue, zodIssues } from '../../model/field-issues';
import { type MapResult, mapFailed, mapped, parseInput } from '../../model/map-result';
import type { Order, OrderStatus } from '../../model/order';
import { ORDER_STATUSES, Order as CanonicalOrder } from '../../model/order';
import { money, sumMoney } from '../../model/money';
import { SalesOrder } from '../payloads';
import { placeholder, type PlannedRequest, type Ref } from '../../model/planned-request';
import { addressToHeartland, sameAddress } from './address';
import { idOrNamed, type ValueLookup } from './lookup';

/** Up to the next cent, ignoring float noise below a thousandth of a cent. */
function ceilCents(value: number): number {
  return money(Math.ceil(value * 100 - 1e-6) / 100);
}

export interface OrderToHeartlandContext {
  /** Station and inventory source location from settings (both required by Heartland sales transactions). */
  stationId?: number;
  sourceLocationId?: number;
  /** Where lines ship from; defaults to the source location. */
  shipFromLocationId?: number;
  /** Already known from links; otherwise the plan creates them. */
  customerId?: number;
  billingAddressId?: number;
  shippingAddressId?: number;
  /** Heartland order id when resuming a partly created order. */
  orderId?: number;
  itemIdFor?: (sku: string) => number | undefined;
  /** `payment.method.commerceToHeartland`: Magento method → payment type id or name. */
  paymentTypeFor: ValueLookup;
  /** `shipping.method.commerceToHeartland`. */
  shippingMethodFor: ValueLookup;
  /** `order.status.canonicalToHeartland`. */
  statusFor: ValueLookup;
  ecommerceNumberField?: string;
  customerIdField?: string;
  sourceSystemTag?: string;
  salesRep?: string;
  abbreviateStreets?: boolean;
}

export interface HeartlandOrderHeader {
  customer_id: Ref;
  billing_address_id?: Ref;
  shipping_address_id?: Ref;
  shipping_charge: number;
  shipping_method_id?: Ref;
  status: 'pending';
  sales_rep: string;
  source_location_id: Ref;
  station_id: Ref;
  custom: Record<string, unknown>;
  created_at: string;
}

/** The placeholder for the Heartland order this plan creates (or finds by its ecommerce number). */
export function plannedOrderRef(order: Pick<Order, 'externalId'>, field = 'ecommerce_number'): string {
  return placeholder('heartland.sales_order_id', { [field]: order.externalId });
}

export function orderToHeartlandHeader(order: Order, ctx: OrderToHeartlandContext, refs: { customer: Ref; billing?: Ref; shipping?: Ref }): HeartlandOrderHeader {
  const header: HeartlandOrderHeader = {
    customer_id: refs.customer,
    shipping_charge: order.shipping.amount,
    status: 'pending',
    sales_rep: ctx.salesRep ?? 'Ecommerce',
    source_location_id: ctx.sourceLocationId ?? placeholder('settings.source_location_id'),
    station_id: ctx.stationId ?? placeholder('settings.station_id'),
    custom: {
      [ctx.ecommerceNumberField ?? 'ecommerce_number']: order.externalId,
      source_system: ctx.sourceSystemTag ?? 'magento',
    },
    created_at: order.placedAt,
  };
  if (refs.billing !== undefined) header.billing_address_id = refs.billing;
  if (refs.shipping !== undefined) header.shipping_address_id = refs.shipping;
  const method = order.shipping.method ? idOrNamed(ctx.shippingMethodFor(order.shipping.method), 'heartland.shipping_method_id') : undefined;
  if (method !== undefined) header.shipping_method_id = method;
  return header;
}

export function orderToHeartlandRequests(order: Order, ctx: OrderToHeartlandContext): PlannedRequest[] {
  const requests: PlannedRequest[] = [];
  const email = order.customer.email;
  const fallbackName = { firstName: order.customer.firstName, lastName: order.customer.lastName };

  let customer: Ref;
  if (ctx.customerId !== undefined) customer = ctx.customerId;
  else {
    customer = placeholder('heartland.customer_id', { email });
    const custom: Record<string, unknown> = {};
    if (!order.customer.isGuest && order.customer.sourceId) custom[ctx.customerIdField ?? 'magento_customer_id'] = order.customer.sourceId;
    const names = {
      first_name: order.customer.firstName || order.billingAddress?.firstName || '-',
      last_name: order.customer.lastName || order.billingAddress?.lastName || '-',
    };
    requests.push({
      method: 'POST',
      path: '/customers',
      body: { ...names, email, ...(Object.keys(custom).length ? { custom } : {}) },
      note: `only when no Heartland customer is linked or has email ${email}`,
    });
  }

  const addressOptions = { abbreviateStreets: ctx.abbreviateStreets, fallbackName };
  let billing: Ref | undefined = ctx.billingAddressId;
  if (billing === undefined && order.billingAddress) {
    billing = placeholder('heartland.address_id', { email, type: 'billing' });
    requests.push({ method: 'POST', path: `/customers/${customer}/addresses`, body: addressToHeartland(order.billingAddress, addressOptions), note: 'only when the customer has no identical address' });
  }
  let shipping: Ref | undefined = ctx.shippingAddressId;
  if (shipping === undefined && order.shippingAddress) {
    if (sameAddress(order.shippingAddress, order.billingAddress) && billing !== undefined) shipping = billing;
    else {
      shipping = placeholder('heartland.address_id', { email, type: 'shipping' });
      requests.push({ method: 'POST', path: `/customers/${customer}/addresses`, body: addressToHeartland(order.shippingAddress, addressOptions), note: 'only when the customer has no identical address' });
    }
  }

  const orderRef: Ref = ctx.orderId ?? plannedOrderRef(order, ctx.ecommerceNumberField);
  if (ctx.orderId === undefined) {
    requests.push({
      method: 'POST',
      path: '/sales/orders',
      body: orderToHeartlandHeader(order, ctx, { customer, billing, shipping }),
      note: `only when GET /sales/orders?_filter={"custom@${ctx.ecommerceNumberField ?? 'ecommerce_number'}":"${order.externalId}"} finds none`,
    });
  }

  const shipFrom = ctx.shipFromLocationId ?? ctx.sourceLocationId ?? placeholder('settings.source_location_id');
  let sentGoods = 0;
  for (const line of order.lines) {
    // The line discount is carried in the adjusted price, as Heartland's own web connectors do.
    // Rounded up to the cent so the cents it cannot carry go to the order discount below, never lost.
    // A row split over parts (fixed-price bundles) may not divide into whole cents: never send less than the row.
    const original = money(line.unitPrice * line.qty) >= line.rowTotal ? line.unitPrice : ceilCents(line.rowTotal / line.qty);
    const adjusted = Math.min(original, ceilCents((line.rowTotal - line.discount) / line.qty));
    sentGoods += adjusted * line.qty;
    requests.push({
      method: 'POST',
      path: `/sales/orders/${orderRef}/lines`,
      body: {
        item_id: ctx.itemIdFor?.(line.sku) ?? placeholder('heartland.item_id', { sku: line.sku }),
        qty: line.qty,
        original_unit_price: original,
        adjusted_unit_price: adjusted,
        ship_from_location_id: shipFrom,
        total_tax: line.tax,
        description: line.name,
      },
    });
  }

  // ASSUMED: Heartland adds line `total_tax` and order taxes together, so only tax not on a line
  // (shipping tax, rounding) is posted at order level — never the same tax twice.
  const extraTax = money(order.totals.tax - sumMoney(order.lines.map((l) => l.tax)));
  if (extraTax > 0) {
    requests.push({ method: 'POST', path: `/sales/orders/${orderRef}/taxes`, body: { description: order.shipping.tax > 0 ? 'Shipping tax' : 'Tax', value: extraTax } });
  }
  // Whatever the adjusted prices do not already take off: order-level discounts (coupons on
  // shipping, for instance) and the sub-cent remainders of line discounts.
  const goodsAfterDiscount = sumMoney(order.lines.map((l) => l.rowTotal)) - order.totals.discount;
  const extraDiscount = money(sentGoods - goodsAfterDiscount);
  if (extraDiscount !== 0) {
    requests.push({
      method: 'POST',
      path: `/sales/orders/${orderRef}/discounts`,
      body: { description: order.couponCode ? `Coupon ${order.couponCode}` : 'Order discount', amount: -extraDiscount },
    });
  }

  if (order.payment && order.payment.amount > 0) {
    const paymentType = idOrNamed(ctx.paymentTypeFor(order.payment.method), 'heartland.payment_type_id') ?? placeholder('heartland.payment_type_id', { method: order.payment.method });
    requests.push({
      method: 'POST',
      path: `/sales/orders/${orderRef}/payments`,
      body: {
        type: 'CustomPayment',
        payment_type_id: paymentType,
        amount: order.payment.amount,
        deposit: true,
        description: `Magento ${order.payment.method}`,
        // The gateway reference only: card data never enters the connector (DESIGN.md §1.6).
        custom: order.payment.transactionId ? { transaction_id: order.payment.transactionId } : {},
      },
    });
  }
  if (order.totals.giftCards > 0) {
    const giftType = idOrNamed(ctx.paymentTypeFor('giftcard'), 'heartland.payment_type_id') ?? placeholder('heartland.payment_type_id', { method: 'giftcard' });
    requests.push({
      method: 'POST',
      path: `/sales/orders/${orderRef}/payments`,
      body: { type: 'CustomPayment', payment_type_id: giftType, amount: order.totals.giftCards, deposit: true, description: 'Magento gift card / store credit', custom: {} },
    });
  }

  const target = ctx.statusFor(order.status);
  if (typeof target === 'string' && target !== 'pending') {
    requests.push({ method: 'PUT', path: `/sales/orders/${orderRef}`, body: { status: target } });
  }
  return requests;
}

const isStatus = (v: unknown): v is OrderStatus => typeof v === 'string' && (ORDER_STATUSES as readonly string[]).includes(v);

/** Heartland order status → canonical, through `order.status.heartlandToCanonical`. */
export function orderStatusFromHeartland(status: string, statusMap: ValueLookup): OrderStatus | undefined {
  const mapped = statusMap(status) ?? statusMap(status.toLowerCase());
  return isStatus(mapped) ? mapped : undefined;
}

/** The request that sets a linked Heartland order to a canonical status (hold and cancel from Magento). */
export function orderStatusChangeToHeartland(orderId: Ref, status: OrderStatus, statusFor: ValueLookup): PlannedRequest | undefined {
  const target = statusFor(status);
  return typeof target === 'string' ? { method: 'PUT', path: `/sales/orders/${orderId}`, body: { status: target } } : undefined;
}

export interface OrderFromHeartlandOptions {
  /** `order.status.heartlandToCanonical`. */
  statusMap: ValueLookup;
  skuForItem?: (itemId: number) => string | undefined;
  /** Heartland has no currency field (heartland.md §2.7): the store's currency. */
  currency: string;
  ecommerceNumberField?: string;
  /** Customer email when the order was read without `_include[]=customer`. */
  customerEmail?: string;
}

/**
 * A Heartland sales order read back with its lines, taxes, discounts and payments → canonical
 * order, for reconciliation and status sync. Heartland keeps no addresses on the order itself
 * (only ids) and no payment method codes, so those come back as null / the payment type id.
 */
export function orderFromHeartland(input: unknown, options: OrderFromHeartlandOptions): MapResult<Order> {
  const parsed = parseInput(SalesOrder, input);
  if (!parsed.ok) return mapFailed(parsed.issues);
  const o = parsed.value;
  const issues: FieldIssue[] = [];
  const warnings: string[] = [];
  const field = options.ecommerceNumberField ?? 'ecommerce_number';
  const externalId = o.custom?.[field];
  if (typeof externalId !== 'string' || externalId === '') issues.push({ path: `custom.${field}`, message: 'required (not a web order)' });
  const status = orderStatusFromHeartland(o.status, options.statusMap);
  if (!status) issues.push({ path: 'status', message: `unknown status ${JSON.stringify(o.status)}; add it to the order status map` });
  const email = o.customer?.email ?? options.customerEmail;
  if (!email) issues.push({ path: 'customer.email', message: 'required (read the order with _include[]=customer)' });
  if (!o.lines?.length) issues.push({ path: 'lines', message: 'required (read the order lines)' });
  if (issues.length) return mapFailed(issues);

  const lines = o.lines!.map((l) => {
    const original = l.original_unit_price ?? l.adjusted_unit_price ?? 0;
    const adjusted = l.adjusted_unit_price ?? original;
    const sku = options.skuForItem?.(l.item_id);
    if (!sku) warnings.push(`lines: SKU of item ${l.item_id} not known`);
    return {
      sku: sku ?? placeholder('heartland.item.public_id', { item_id: l.item_id }),
      name: l.description ?? sku ?? String(l.item_id),
      qty: l.qty,
      unitPrice: money(original),
      rowTotal: money(original * l.qty),
      discount: money(Math.max(0, (original - adjusted) * l.qty)),
      tax: money(l.total_tax ?? 0),
      sourceLineId: String(l.id),
      productType: null,
      bundleLineId: null,
    };
  });
  const orderTax = sumMoney((o.taxes ?? []).map((t) => t.value));
  // Discounts are sent negative (§3.5); a positive amount is a surcharge and reduces the discount.
  const orderDiscount = sumMoney((o.discounts ?? []).map((d) => -d.amount));
  const subtotal = sumMoney(lines.map((l) => l.rowTotal));
  const discount = money(Math.max(0, sumMoney(lines.map((l) => l.discount)) + orderDiscount));
  const tax = money(sumMoney(lines.map((l) => l.tax)) + orderTax);
  const shipping = money(o.shipping_charge ?? 0);
  const payment = o.payments?.[0];
  const result = CanonicalOrder.safeParse(
    {
      externalId,
      sourceId: String(o.id),
      status,
      sourceStatus: o.status,
      currency: options.currency,
      placedAt: o.created_at ?? new Date(0).toISOString(),
      updatedAt: o.updated_at ?? null,
      customer: { email, firstName: o.customer?.first_name ?? '', lastName: o.customer?.last_name ?? '', isGuest: false, sourceId: o.customer_id != null ? String(o.customer_id) : null },
      billingAddress: null,
      shippingAddress: null,
      lines,
      shipping: { method: o.shipping_method_id != null ? String(o.shipping_method_id) : null, description: null, amount: shipping, tax: 0 },
      totals: { subtotal, discount, tax, shipping, grand: o.total != null ? money(o.total) : money(subtotal - discount + shipping + tax) },
      payment: payment ? { method: `heartland:${payment.payment_type_id ?? payment.type}`, amount: money(sumMoney((o.payments ?? []).map((p) => p.amount))), transactionId: (payment.custom?.transaction_id as string | undefined) ?? null } : null,
    },
    { reportInput: true },
  );
  return result.success ? mapped(result.data, warnings) : mapFailed(zodIssues(result.error));
}

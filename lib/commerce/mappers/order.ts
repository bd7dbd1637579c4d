/**
 * Magento order (REST or event-shaped) → canonical order. Configurable and bundle children
 * (`parent_item_id`) collapse into one line per purchased SKU: a configurable becomes one line with
 * its child's SKU and the parent's amounts; a bundle becomes one line per part, priced from the
 * parts when Magento priced them (dynamic price) or from the bundle split by part value (fixed price).
 */
import type { Address } from '../../model/address';
import type { FieldIssue } from '../../model/field-issues';
import { type MapResult, mapFailed, mapped, parseInput } from '../../model/map-result';
import { allocateMoney, money, sumMoney } from '../../model/money';
import { Order as CanonicalOrder, type OrderInput, type OrderLine } from '../../model/order';
import { zodIssues } from '../../model/field-issues';
import { Order as MagentoOrder, type OrderItem } from '../payloads';
import { addressFromMagento } from './address';
import { type ValueLookup, noLookup } from './lookup';
import { blanksToNull, orderToRestLayout, unwrapEvent } from './magento-input';
import { orderStatusFromMagento } from './order-status';

export interface OrderFromMagentoOptions {
  /** `order.status.commerceToCanonical` value map. */
  statusMap?: ValueLookup;
  /** Currency when the payload names none (event payloads may not). */
  defaultCurrency?: string;
}

/** Magento writes `2017-08-21 22:22:19` in UTC without a zone. */
export function magentoTimeToIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

const n = (v: number | null | undefined) => (typeof v === 'number' ? v : undefined);
/** Amounts in keys the payload schema does not declare (loose): numbers or DB strings. */
const amountOf = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
};
const abs = (v: number | null | undefined) => Math.abs(n(v) ?? 0);
const id = (v: number | null | undefined) => (typeof v === 'number' ? String(v) : null);

interface Amounts {
  rowTotal: number;
  discount: number;
  tax: number;
}

function amountsOf(item: OrderItem, qty: number, warn: (m: string) => void, where: string): Amounts & { unitPrice: number } {
  const price = n(item.price);
  const row = n(item.row_total);
  if (price === undefined && row === undefined) warn(`${where}: no price in the payload; amounts are 0 (event payloads carry only subscribed fields, the order flow re-reads the order)`);
  const rowTotal = row ?? (price ?? 0) * qty;
  const unitPrice = price ?? (qty > 0 ? rowTotal / qty : 0);
  return { unitPrice: money(unitPrice), rowTotal: money(rowTotal), discount: money(abs(item.discount_amount)), tax: money(abs(item.tax_amount)) };
}

const carriesAmounts = (item: OrderItem) => (n(item.row_total) ?? 0) > 0 || (n(item.price) ?? 0) > 0;

/** One canonical line per purchased SKU (see module comment). */
export function collapseOrderItems(items: OrderItem[], warn: (m: string) => void): OrderLine[] {
  const byId = new Map<number, OrderItem>();
  items.forEach((item) => typeof item.item_id === 'number' && byId.set(item.item_id, item));
  const children = new Map<number, OrderItem[]>();
  const topLevel: Array<{ item: OrderItem; index: number }> = [];
  items.forEach((item, index) => {
    const parentId = n(item.parent_item_id);
    // A child whose parent is not in the payload (partial event) stands on its own.
    if (parentId !== undefined && byId.has(parentId)) {
      const list = children.get(parentId) ?? [];
      list.push(item);
      children.set(parentId, list);
    } else topLevel.push({ item, index });
  });

  const lines: OrderLine[] = [];
  for (const { item: parent, index } of topLevel) {
    const where = `items[${index}]`;
    const kids = typeof parent.item_id === 'number' ? children.get(parent.item_id) ?? [] : [];
    const parentQty = n(parent.qty_ordered);
    if (parentQty === undefined) warn(`${where}.qty_ordered: missing; assumed 1`);
    const qty = parentQty ?? 1;
    if (kids.length === 0) {
      const a = amountsOf(parent, qty, warn, where);
      lines.push({ sku: parent.sku, name: parent.name ?? parent.sku, qty, ...a, sourceLineId: id(parent.item_id), productType: parent.product_type ?? null, bundleLineId: null });
      continue;
    }
    if (parent.product_type !== 'bundle' && kids.length === 1) {
      // Configurable (or any single-child parent): the child is what was bought; Magento prices the parent.
      const kid = kids[0];
      const priced = carriesAmounts(parent) || !carriesAmounts(kid) ? parent : kid;
      const a = amountsOf(priced, qty, warn, where);
      lines.push({
        sku: kid.sku || parent.sku,
        name: kid.name || parent.name || kid.sku,
        qty,
        ...a,
        sourceLineId: id(parent.item_id),
        productType: kid.product_type ?? 'simple',
        bundleLineId: null,
      });
      continue;
    }
    // Bundle: one line per part.
    const kidQty = kids.map((k) => n(k.qty_ordered) ?? qty);
    const kidsPriced = kids.some(carriesAmounts);
    if (kidsPriced) {
      kids.forEach((kid, k) => {
        const a = amountsOf(kid, kidQty[k], warn, `${where} part ${kid.sku}`);
        lines.push({ sku: kid.sku, name: kid.name ?? kid.sku, qty: kidQty[k], ...a, sourceLineId: id(kid.item_id), productType: kid.product_type ?? 'simple', bundleLineId: id(parent.item_id) });
      });
      continue;
    }
    const bundle = amountsOf(parent, qty, warn, where);
    const weights = kids.map((kid, k) => (n(kid.original_price) ?? 0) * kidQty[k]);
    const shareWeights = weights.some((w) => w > 0) ? weights : kidQty;
    const rows = allocateMoney(bundle.rowTotal, shareWeights);
    const discounts = allocateMoney(bundle.discount, shareWeights);
    const taxes = allocateMoney(bundle.tax, shareWeights);
    kids.forEach((kid, k) => {
      lines.push({
        sku: kid.sku,
        name: kid.name ?? kid.sku,
        qty: kidQty[k],
        unitPrice: money(rows[k] / kidQty[k]),
        rowTotal: rows[k],
        discount: discounts[k],
        tax: taxes[k],
        sourceLineId: id(kid.item_id),
        productType: kid.product_type ?? 'simple',
        bundleLineId: id(parent.item_id),
      });
    });
  }
  return lines;
}

/** Parses a Magento order in either shape; numbers may be DB strings. */
export function parseMagentoOrder(input: unknown): { ok: true; order: MagentoOrder; shape: 'rest' | 'event' } | { ok: false; issues: FieldIssue[] } {
  const { value, shape } = unwrapEvent(input);
  const layout = shape === 'event' ? orderToRestLayout(blanksToNull(value)) : orderToRestLayout(value);
  const parsed = parseInput(MagentoOrder, layout);
  if (!parsed.ok) return parsed;
  return { ok: true, order: parsed.value, shape };
}

export function orderFromMagento(input: unknown, options: OrderFromMagentoOptions = {}): MapResult<CanonicalOrder> {
  const parsed = parseMagentoOrder(input);
  if (!parsed.ok) return mapFailed(parsed.issues);
  const { order, shape } = parsed;
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  const issues: FieldIssue[] = [];

  if (order.items.length === 0) issues.push({ path: 'items', message: 'an order needs at least one item' });
  const lines = collapseOrderItems(order.items, warn);

  const status = orderStatusFromMagento(order.status, order.state, options.statusMap ?? noLookup);
  if (!status) issues.push({ path: 'status', message: order.status || order.state ? `unknown status ${JSON.stringify(order.status ?? order.state)}; add it to the order status map` : 'required' });

  let currency = order.order_currency_code ?? order.base_currency_code ?? undefined;
  if (!currency) {
    currency = options.defaultCurrency ?? 'USD';
    warn(`order_currency_code: missing; assumed ${currency}`);
  }

  const billingRaw = order.billing_address ?? null;
  const assignment = order.extension_attributes?.shipping_assignments?.[0]?.shipping ?? null;
  const shippingRaw = assignment?.address ?? null;
  let billingAddress: Address | null = null;
  let shippingAddress: Address | null = null;
  if (billingRaw) {
    const r = addressFromMagento(billingRaw, 'billing_address');
    if (r.ok) billingAddress = r.value;
    else issues.push(...r.issues);
  } else warn('billing_address: missing');
  if (shippingRaw) {
    const r = addressFromMagento(shippingRaw, 'extension_attributes.shipping_assignments[0].shipping.address');
    if (r.ok) shippingAddress = r.value;
    else issues.push(...r.issues);
  }
  if (issues.length) return mapFailed(issues);

  const shippingAmount = money(n(order.shipping_amount) ?? n(assignment?.total?.shipping_amount) ?? 0);
  const shippingTax = money(n(order.shipping_tax_amount) ?? n(assignment?.total?.shipping_tax_amount) ?? 0);
  const lineTax = sumMoney(lines.map((l) => l.tax));
  const lineDiscount = sumMoney(lines.map((l) => l.discount));
  const subtotal = n(order.subtotal) ?? sumMoney(lines.map((l) => l.rowTotal));
  const ext = order.extension_attributes;
  // Gift cards, store credit and reward points are tenders: Magento takes them off grand_total,
  // the canonical order keeps the sale total and lists them, so both sides balance (DESIGN.md §4 payments).
  const top = order as Record<string, unknown>;
  const tender = (key: string) => amountOf(ext?.[key as keyof typeof ext]) ?? amountOf(top[key]) ?? 0;
  const giftCards = money(tender('gift_cards_amount') + tender('customer_balance_amount') + tender('reward_currency_amount'));
  const guestFlag = order.customer_is_guest;
  const isGuest = guestFlag === true || guestFlag === 1 || (guestFlag == null && order.customer_id == null);
  if (guestFlag == null && order.customer_id == null && shape === 'event') warn('customer_is_guest, customer_id: not in the event payload; treated as a guest');
  const placedAt = magentoTimeToIso(order.created_at);
  if (!placedAt) warn('created_at: missing; placedAt set to the time of mapping');
  if (shape === 'event' && !order.payment) warn('payment: not in the event payload');

  const canonical: OrderInput = {
    externalId: order.increment_id,
    sourceId: String(order.entity_id),
    status: status!,
    sourceStatus: order.status ?? null,
    currency: currency.toUpperCase(),
    placedAt: placedAt ?? new Date().toISOString(),
    updatedAt: magentoTimeToIso(order.updated_at),
    customer: {
      email: order.customer_email.trim(),
      firstName: order.customer_firstname?.trim() || billingAddress?.firstName || '',
      lastName: order.customer_lastname?.trim() || billingAddress?.lastName || '',
      isGuest,
      sourceId: isGuest ? null : id(order.customer_id),
      groupId: id(order.customer_group_id),
    },
    billingAddress,
    shippingAddress,
    lines,
    shipping: {
      method: assignment?.method ?? (typeof order.shipping_method === 'string' ? order.shipping_method : null),
      description: order.shipping_description ?? null,
      amount: shippingAmount,
      tax: shippingTax,
    },
    totals: {
      subtotal: money(subtotal),
      discount: money(n(order.discount_amount) !== undefined ? abs(order.discount_amount) : lineDiscount),
      tax: money(n(order.tax_amount) ?? lineTax + shippingTax),
      shipping: shippingAmount,
      grand: money(order.grand_total + giftCards),
      giftCards,
    },
    payment: order.payment
      ? {
          method: order.payment.method,
          amount: money(n(order.payment.amount_ordered) ?? n(order.payment.amount_paid) ?? order.grand_total),
          transactionId: order.payment.last_trans_id ?? null,
        }
      : null,
    couponCode: order.coupon_code ?? null,
    storeId: id(order.store_id),
  };
  const result = CanonicalOrder.safeParse(canonical, { reportInput: true });
  if (!result.success) return mapFailed(zodIssues(result.error));
  return mapped(result.data, warnings);
}


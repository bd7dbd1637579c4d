/**
 * Builds Magento orders for tests the way Magento lays them out: configurable parents priced with a
 * zero-priced child, fixed-price bundles priced on the parent, dynamic bundles priced on the parts
 * (with the parent's row total repeating their sum), totals consistent with the items.
 */
import { money } from '../../lib/model/money';

export interface SimpleSpec { kind: 'simple'; sku: string; qty: number; price: number; discount?: number; tax?: number; name?: string }
export interface ConfigurableSpec { kind: 'configurable'; sku: string; childSku: string; qty: number; price: number; discount?: number; tax?: number }
export interface BundleSpec { kind: 'bundle'; sku: string; qty: number; dynamic: boolean; parts: Array<{ sku: string; qtyPerBundle: number; price: number }>; price?: number; discount?: number; tax?: number }
export type ItemSpec = SimpleSpec | ConfigurableSpec | BundleSpec;

export interface OrderSpec {
  items: ItemSpec[];
  shipping?: number;
  shippingTax?: number;
  guest?: boolean;
  status?: string;
  state?: string;
  street?: string[];
  country?: string;
  region?: string | null;
  regionCode?: string | null;
  firstName?: string;
  lastName?: string;
  incrementId?: string;
  paymentMethod?: string;
  noShipping?: boolean;
  /** Gift card + store credit tendered; Magento takes it off grand_total (capped at the sale total). */
  giftCards?: number;
}

export function buildMagentoOrder(spec: OrderSpec): Record<string, unknown> {
  let nextId = 100;
  const items: Record<string, unknown>[] = [];
  let subtotal = 0;
  let discount = 0;
  let tax = 0;
  const row = (over: Record<string, unknown>) => ({ order_id: 9, qty_invoiced: 0, qty_shipped: 0, ...over });
  for (const item of spec.items) {
    const id = nextId++;
    if (item.kind === 'simple') {
      const rt = money(item.price * item.qty);
      items.push(row({ item_id: id, sku: item.sku, name: item.name ?? `Name ${item.sku}`, product_type: 'simple', qty_ordered: item.qty, price: item.price, original_price: item.price, row_total: rt, discount_amount: item.discount ?? 0, tax_amount: item.tax ?? 0 }));
      subtotal += rt; discount += item.discount ?? 0; tax += item.tax ?? 0;
    } else if (item.kind === 'configurable') {
      const rt = money(item.price * item.qty);
      items.push(row({ item_id: id, sku: item.childSku, name: `Parent ${item.sku}`, product_type: 'configurable', qty_ordered: item.qty, price: item.price, original_price: item.price, row_total: rt, discount_amount: item.discount ?? 0, tax_amount: item.tax ?? 0 }));
      items.push(row({ item_id: nextId++, parent_item_id: id, sku: item.childSku, name: `Child ${item.childSku}`, product_type: 'simple', qty_ordered: item.qty, price: 0, original_price: 0, row_total: 0, discount_amount: 0, tax_amount: 0 }));
      subtotal += rt; discount += item.discount ?? 0; tax += item.tax ?? 0;
    } else if (item.dynamic) {
      const kids = item.parts.map((p) => ({ ...p, rt: money(p.price * p.qtyPerBundle * item.qty) }));
      const sum = money(kids.reduce((t, k) => t + k.rt, 0));
      items.push(row({ item_id: id, sku: item.sku, name: `Bundle ${item.sku}`, product_type: 'bundle', qty_ordered: item.qty, price: money(sum / item.qty), row_total: sum, discount_amount: 0, tax_amount: 0 }));
      kids.forEach((k, i) => {
        const d = i === 0 ? item.discount ?? 0 : 0;
        const t = i === 0 ? item.tax ?? 0 : 0;
        items.push(row({ item_id: nextId++, parent_item_id: id, sku: k.sku, name: `Part ${k.sku}`, product_type: 'simple', qty_ordered: k.qtyPerBundle * item.qty, price: k.price, original_price: k.price, row_total: k.rt, discount_amount: d, tax_amount: t }));
      });
      subtotal += sum; discount += item.discount ?? 0; tax += item.tax ?? 0;
    } else {
      const price = item.price ?? 0;
      const rt = money(price * item.qty);
      items.push(row({ item_id: id, sku: item.sku, name: `Bundle ${item.sku}`, product_type: 'bundle', qty_ordered: item.qty, price, row_total: rt, discount_amount: item.discount ?? 0, tax_amount: item.tax ?? 0 }));
      for (const p of item.parts) {
        items.push(row({ item_id: nextId++, parent_item_id: id, sku: p.sku, name: `Part ${p.sku}`, product_type: 'simple', qty_ordered: p.qtyPerBundle * item.qty, price: 0, original_price: p.price, row_total: 0, discount_amount: 0, tax_amount: 0 }));
      }
      subtotal += rt; discount += item.discount ?? 0; tax += item.tax ?? 0;
    }
  }
  const shipping = spec.shipping ?? 0;
  const shippingTax = spec.shippingTax ?? 0;
  tax += shippingTax;
  const sale = money(subtotal - discount + shipping + tax);
  const giftCards = Math.min(spec.giftCards ?? 0, sale);
  const grand = money(sale - giftCards);
  const address = (type: string) => ({
    address_type: type, firstname: spec.firstName ?? 'Jane', lastname: spec.lastName ?? 'Doe',
    street: spec.street ?? ['123 Oak Ave'], city: 'Purchase', region: spec.region === undefined ? 'New York' : spec.region,
    region_code: spec.regionCode === undefined ? 'NY' : spec.regionCode, postcode: '10577', country_id: spec.country ?? 'US', telephone: '(512) 555-1111',
  });
  return {
    entity_id: 9, increment_id: spec.incrementId ?? '000000009', state: spec.state ?? 'processing', status: spec.status ?? 'processing',
    created_at: '2026-01-05 09:59:58', updated_at: '2026-01-05 10:00:00',
    customer_id: spec.guest ? null : 5, customer_is_guest: spec.guest ? 1 : 0, customer_email: 'jdoe@example.com',
    customer_firstname: spec.guest ? null : spec.firstName ?? 'Jane', customer_lastname: spec.guest ? null : spec.lastName ?? 'Doe', customer_group_id: spec.guest ? 0 : 1,
    order_currency_code: 'USD', base_currency_code: 'USD', store_id: 1,
    subtotal: money(subtotal), discount_amount: -money(discount), shipping_amount: shipping, shipping_tax_amount: shippingTax, tax_amount: money(tax), grand_total: grand, base_grand_total: grand,
    shipping_description: spec.noShipping ? null : 'Flat Rate - Fixed',
    items,
    billing_address: address('billing'),
    payment: { method: spec.paymentMethod ?? 'checkmo', amount_ordered: grand, last_trans_id: null, additional_information: [], cc_last4: null, account_status: null },
    extension_attributes: spec.noShipping
      ? { gift_cards_amount: giftCards }
      : { gift_cards_amount: giftCards, shipping_assignments: [{ shipping: { address: address('shipping'), method: 'flatrate_flatrate', total: { shipping_amount: shipping, shipping_tax_amount: shippingTax } } }] },
  };
}

/** The same order as an observer event would carry it: DB strings, `addresses[]`, newline-joined street, CloudEvent envelope. */
export function asEvent(order: Record<string, unknown>): Record<string, unknown> {
  const dbString = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
    if (v === null) return null;
    if (Array.isArray(v)) return v.map(dbString);
    if (typeof v === 'object') return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, dbString(x)]));
    return v;
  };
  const { billing_address, extension_attributes, ...rest } = order as Record<string, any>;
  const shipping = extension_attributes?.shipping_assignments?.[0]?.shipping;
  const addresses = [billing_address, shipping?.address].filter(Boolean).map((a: any) => ({ ...a, street: a.street.join('\n') }));
  // Observer payloads carry the order columns, gift_cards_amount among them, at the top level.
  const value = dbString({ ...rest, addresses, shipping_method: shipping?.method ?? null, gift_cards_amount: extension_attributes?.gift_cards_amount ?? 0 }) as Record<string, unknown>;
  return {
    specversion: '1.0', id: 'evt-1', type: 'com.adobe.commerce.observer.sales_order_save_commit_after', eventid: 'evt-1',
    data: { key: 'k', value, source: 'acme.production', _metadata: { storeId: '1' } },
  };
}

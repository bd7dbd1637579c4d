/**
 * Deterministic, realistic seed data: a catalog for the given SKUs (so they match a Heartland-style
 * catalog), MSI sources and stock, customers with addresses, and placed orders. The same `seed`
 * always yields the same data.
 */
import { createCustomer } from './customers';
import { createProduct } from './catalog';
import type { RequestContext, SimCore } from './context';
import { inputError, MagentoError } from './errors';
import { saveOrder } from './sales';
import { money, type Rec } from './state';

export interface SeedInput {
  seed?: number;
  /** SKUs to create products for; otherwise `products` generated SKUs. */
  skus?: string[];
  products?: number;
  /** MSI sources to create (and stock); `default` always exists. */
  sources?: (string | { source_code: string; name?: string })[];
  /** Quantity range per source item. */
  quantity?: { min: number; max: number };
  customers?: number;
  orders?: number;
}

/** mulberry32: small, fast, good enough for reproducible demo data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Jane', 'John', 'Maria', 'Liam', 'Olivia', 'Noah', 'Emma', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Sofia', 'Mason', 'Chloe', 'Aiden', 'Grace'];
const LAST = ['Doe', 'Smith', 'Garcia', 'Johnson', 'Brown', 'Miller', 'Davis', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Moore', 'Martin', 'Lee', 'Clark', 'Hall'];
const CITIES = [
  { city: 'Purchase', region: 'New York', region_code: 'NY', region_id: 43, postcode: '10577' },
  { city: 'Austin', region: 'Texas', region_code: 'TX', region_id: 57, postcode: '78701' },
  { city: 'Portland', region: 'Oregon', region_code: 'OR', region_id: 49, postcode: '97205' },
  { city: 'Denver', region: 'Colorado', region_code: 'CO', region_id: 13, postcode: '80202' },
  { city: 'Madison', region: 'Wisconsin', region_code: 'WI', region_id: 64, postcode: '53703' },
];
const STREETS = ['Oak Ave', 'Main St', 'Maple Dr', 'Cedar Ln', 'Pine St', 'Elm St'];
const ADJECTIVES = ['Classic', 'Radiant', 'Everyday', 'Trail', 'Heritage', 'Urban', 'Coastal', 'Summit'];
const NOUNS = ['Tee', 'Hoodie', 'Jacket', 'Tote', 'Cap', 'Mug', 'Candle', 'Notebook', 'Scarf', 'Water Bottle'];

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function ctx(body: unknown): RequestContext {
  return { method: 'POST', params: {}, query: new URLSearchParams(), body, storeCode: 'default' };
}

export function validateSeed(raw: unknown): SeedInput {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw inputError('The seed request must be a JSON object.');
  const r = raw as Rec;
  const count = (k: string, max: number) => {
    if (r[k] === undefined) return undefined;
    if (!Number.isInteger(r[k]) || r[k] < 0 || r[k] > max) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: k, value: String(r[k]) });
    return r[k] as number;
  };
  if (r.skus !== undefined && (!Array.isArray(r.skus) || r.skus.some((s: unknown) => typeof s !== 'string' || !s.trim()))) {
    throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'skus', value: JSON.stringify(r.skus).slice(0, 100) });
  }
  if (r.sources !== undefined && !Array.isArray(r.sources)) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'sources', value: String(r.sources) });
  const q = r.quantity;
  if (q !== undefined && (typeof q !== 'object' || !(q.min >= 0) || !(q.max >= q.min))) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'quantity', value: JSON.stringify(q) });
  return { seed: count('seed', 2 ** 31) ?? 42, skus: r.skus, products: count('products', 200_000), sources: r.sources, quantity: q, customers: count('customers', 10_000), orders: count('orders', 10_000) };
}

export function seed(sim: SimCore, input: SeedInput): Rec {
  const r = prng(input.seed ?? 42);
  const store = sim.store;
  const sources: string[] = ['default'];
  for (const s of input.sources ?? []) {
    const code = typeof s === 'string' ? s : s.source_code;
    if (!code || /\s/.test(code)) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'sources', value: String(code) });
    if (!store.state.sources[code]) {
      store.state.sources[code] = { source_code: code, name: (typeof s === 'object' && s.name) || `Source ${code}`, enabled: true, country_id: 'US', postcode: '10577', use_default_carrier_config: true, carrier_links: [] };
    }
    if (!sources.includes(code)) sources.push(code);
  }
  const skus = input.skus ?? Array.from({ length: input.products ?? 0 }, (_, i) => `SKU-${String(i + 1).padStart(5, '0')}`);
  const range = input.quantity ?? { min: 0, max: 50 };
  for (const sku of skus) {
    const pr = prng(hashString(sku) ^ (input.seed ?? 42));
    const name = `${pick(pr, ADJECTIVES)} ${pick(pr, NOUNS)} ${sku}`;
    const price = money(5 + Math.floor(pr() * 9500) / 100);
    if (!store.state.products[sku]) {
      createProduct(ctx({ product: { sku, name, price, type_id: 'simple', attribute_set_id: 4, status: 1, visibility: 4, weight: 1, custom_attributes: [{ attribute_code: 'description', value: `${name}, seeded for the sandbox.` }, { attribute_code: 'url_key', value: sku.toLowerCase() }] } }), sim);
    }
    const seededSources = sources.length > 1 ? sources.slice(1) : sources;
    for (const code of seededSources) {
      const quantity = Math.floor(range.min + pr() * (range.max - range.min + 1));
      store.putSourceItem({ sku, source_code: code, quantity, status: quantity > 0 ? 1 : 0 });
    }
  }
  const customers: Rec[] = [];
  for (let i = 0; i < (input.customers ?? 0); i++) {
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    const place = pick(r, CITIES);
    const email = `${first}.${last}.${(input.seed ?? 42) % 1000}-${i + 1}@example.com`.toLowerCase();
    try {
      customers.push(
        createCustomer(
          ctx({
            customer: {
              email,
              firstname: first,
              lastname: last,
              website_id: 1,
              group_id: 1,
              addresses: [{ firstname: first, lastname: last, street: [`${100 + Math.floor(r() * 900)} ${pick(r, STREETS)}`], city: place.city, region: { region_code: place.region_code, region: place.region, region_id: place.region_id }, region_id: place.region_id, postcode: place.postcode, country_id: 'US', telephone: `512-555-${String(1000 + Math.floor(r() * 9000))}`, default_billing: true, default_shipping: true }],
            },
          }),
          sim,
        ),
      );
    } catch (err) {
      if (!(err instanceof MagentoError)) throw err; // a re-seed meets existing emails: keep the existing customer
    }
  }
  const orders: Rec[] = [];
  const allSkus = Object.keys(store.state.products);
  for (let i = 0; i < (input.orders ?? 0) && allSkus.length; i++) {
    const customer = customers.length && r() < 0.7 ? pick(r, customers) : undefined;
    const first = customer?.firstname ?? pick(r, FIRST);
    const last = customer?.lastname ?? pick(r, LAST);
    const place = pick(r, CITIES);
    const lines = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r, allSkus));
    const items = [...new Set(lines)].map((sku) => {
      const p = store.state.products[sku]!;
      const qty = 1 + Math.floor(r() * 2);
      return { sku, name: p.name, product_type: 'simple', qty_ordered: qty, price: p.price, row_total: money(p.price * qty), tax_amount: money(p.price * qty * 0.0825), tax_percent: 8.25 };
    });
    const subtotal = money(items.reduce((s, it) => s + it.row_total, 0));
    const tax = money(items.reduce((s, it) => s + it.tax_amount, 0));
    const shipping = 5;
    const address = { firstname: first, lastname: last, street: [`${100 + Math.floor(r() * 900)} ${pick(r, STREETS)}`], city: place.city, region: place.region, region_code: place.region_code, region_id: place.region_id, postcode: place.postcode, country_id: 'US', telephone: '512-555-1111', email: customer?.email ?? `${first}.${last}.guest${i + 1}@example.com`.toLowerCase() };
    const order = saveOrder(
      ctx({
        entity: {
          customer_email: address.email,
          customer_firstname: first,
          customer_lastname: last,
          customer_id: customer?.id,
          subtotal,
          tax_amount: tax,
          shipping_amount: shipping,
          shipping_description: 'Flat Rate - Fixed',
          grand_total: money(subtotal + tax + shipping),
          items,
          billing_address: address,
          payment: { method: pick(r, ['checkmo', 'banktransfer', 'cashondelivery']) },
          extension_attributes: { shipping_assignments: [{ shipping: { address, method: 'flatrate_flatrate', total: { shipping_amount: shipping } } }] },
        },
      }),
      sim,
    );
    orders.push({ entity_id: order.entity_id, increment_id: order.increment_id });
  }
  store.changed();
  return { products: skus.length, sources, source_items: skus.length * Math.max(1, sources.length - 1), customers: customers.map((c) => ({ id: c.id, email: c.email })), orders };
}

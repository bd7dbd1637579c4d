/**
 * Deterministic demo data: a catalog of N items × M locations with realistic names, SKUs
 * (`public_id`), prices, custom fields (style_name, color, size, upc — §3.3) and stock; customers;
 * and the reference data every flow needs (payment types, shipping methods, reason codes, custom
 * field definitions, a station per location). Same seed → same data.
 *
 * Writes the store directly (no HTTP, no ledger rows): seeded stock is an opening balance, so the
 * inventory-transaction cursor starts after the seed, like a freshly imported account.
 */
import type { Store, Rec } from './store';

/** mulberry32: tiny, fast, good enough for demo data. */
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

const STYLES = ['Derek Shoe', 'Harbor Tee', 'Summit Jacket', 'Canyon Jeans', 'Aspen Hoodie', 'Prairie Dress', 'Lakeside Polo', 'Ridge Boot', 'Meadow Skirt', 'Granite Backpack', 'Cedar Cap', 'Willow Scarf', 'Birch Sweater', 'Coastal Sandal', 'Timber Belt', 'Orchard Socks'];
const COLORS = ['Black', 'White', 'Navy', 'Olive', 'Red', 'Grey', 'Tan', 'Blue', 'Green', 'Orange'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL'];
const CITIES = [['Main Street', 'Boston', 'MA'], ['Harbor Mall', 'Portland', 'ME'], ['Uptown', 'Chicago', 'IL'], ['Riverside', 'Austin', 'TX'], ['Pearl District', 'Portland', 'OR'], ['Old Town', 'Denver', 'CO'], ['Midtown', 'Atlanta', 'GA'], ['Lakefront', 'Madison', 'WI']];
const FIRST = ['Jane', 'John', 'Maria', 'Wei', 'Aisha', 'Carlos', 'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Mateo', 'Sofia', 'Ethan', 'Mia', 'Lucas'];
const LAST = ['Doe', 'Smith', 'Garcia', 'Chen', 'Khan', 'Rossi', 'Brown', 'Nguyen', 'Johnson', 'Lopez', 'Müller', 'Kim', 'Patel', 'Silva', 'Novak', 'Okafor'];

export interface SeedCatalogOptions {
  items: number;
  locations: number;
  seed?: number;
  /** Stock on hand per item × location is drawn uniformly from [min, max]. */
  stock?: { min: number; max: number };
  /** Also create this many customers. */
  customers?: number;
}

export interface SeedResult {
  locations: number[];
  stations: number[];
  items: { count: number; firstId: number | null; lastId: number | null; firstSku: string | null };
  customers: number[];
  paymentTypes: Record<string, number>;
  shippingMethods: Record<string, number>;
  reasonCodes: Record<string, number>;
}

function upc(rand: () => number): string {
  const digits = Array.from({ length: 11 }, () => Math.floor(rand() * 10));
  const sum = digits.reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return digits.join('') + String((10 - (sum % 10)) % 10);
}

function insert(store: Store, table: Parameters<Store['nextId']>[0] & keyof Store['tables'], data: Record<string, unknown>, ts: string): Rec {
  const rec = { id: store.nextId(table), created_at: ts, updated_at: ts, ...data } as Rec;
  store.tables[table].put(rec);
  return rec;
}

/** Reference data is created once per store; calling again returns the existing ids. */
export function seedReference(store: Store, ts = new Date().toISOString()): Pick<SeedResult, 'paymentTypes' | 'shippingMethods' | 'reasonCodes'> {
  const byName = (table: 'payment_types' | 'shipping_methods' | 'reason_codes', name: string, extra: Record<string, unknown> = {}) =>
    (store.tables[table].all().find((r) => r.name === name && Object.entries(extra).every(([k, v]) => r[k] === v)) ?? insert(store, table, { name, active: true, ...extra }, ts)).id;
  const paymentTypes = Object.fromEntries(['Web', 'External', 'Gift Card', 'PayPal', 'Check'].map((n) => [n, byName('payment_types', n)]));
  const shippingMethods = Object.fromEntries(['Ground', 'Express', 'Store Pickup'].map((n) => [n, byName('shipping_methods', n)]));
  const reasonCodes = {
    'Physical count': byName('reason_codes', 'Physical count', { kind: 'inventory_adjustment_reasons' }),
    Damaged: byName('reason_codes', 'Damaged', { kind: 'inventory_adjustment_reasons' }),
    'Ecommerce sync': byName('reason_codes', 'Ecommerce sync', { kind: 'inventory_adjustment_reasons' }),
    Import: byName('reason_codes', 'Import', { kind: 'gift_card_adjustment_reasons' }),
    'Web redemption': byName('reason_codes', 'Web redemption', { kind: 'gift_card_adjustment_reasons' }),
  };
  const fields: Array<[string, string, boolean]> = [
    ['style_name', 'item', false], ['color', 'item', false], ['size', 'item', false], ['upc', 'item', true],
    ['magento_customer_id', 'customer', true], ['ecommerce_number', 'sales.transaction', false],
    ['tracking_number', 'sales.transaction', false], ['shipping_carrier', 'sales.transaction', false],
    ['gateway_transaction_id', 'sales.transaction', false],
  ];
  for (const [key, group, unique] of fields) {
    if (!store.tables.custom_fields.all().some((f) => f.key === key && f.group_id === group)) {
      insert(store, 'custom_fields', { key, group_id: group, name: key.replace(/_/g, ' '), type: 'text', required: false, unique }, ts);
    }
  }
  if (!store.tables.users.all().length) insert(store, 'users', { login: 'api', first_name: 'API', last_name: 'User', active: true }, ts);
  return { paymentTypes, shippingMethods, reasonCodes };
}

export function seedCustomers(store: Store, count: number, seed = 1, ts = new Date().toISOString()): number[] {
  const rand = prng(seed * 7919 + 17);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const first = FIRST[Math.floor(rand() * FIRST.length)];
    const last = LAST[Math.floor(rand() * LAST.length)];
    const n = store.tables.customers.rows.size + 1;
    const c = insert(store, 'customers', { public_id: null, first_name: first, last_name: last, email: `${first}.${last}.${n}@example.com`.toLowerCase().replace('ü', 'ue'), active: true, custom: {} }, ts);
    c.public_id = String(c.id);
    const [, city, state] = CITIES[Math.floor(rand() * CITIES.length)];
    insert(store, 'addresses', { customer_id: c.id, first_name: first, last_name: last, company: null, line_1: `${100 + Math.floor(rand() * 9000)} Elm St`, line_2: null, city, state, postal_code: String(10000 + Math.floor(rand() * 89999)), country: 'US', phone: `555-01${String(Math.floor(rand() * 100)).padStart(2, '0')}` }, ts);
    ids.push(c.id);
  }
  store.changed();
  return ids;
}

export function seedCatalog(store: Store, opts: SeedCatalogOptions): SeedResult {
  const seed = opts.seed ?? 1;
  const rand = prng(seed);
  const ts = new Date().toISOString();
  const ref = seedReference(store, ts);
  const stock = opts.stock ?? { min: 0, max: 40 };

  const locations: number[] = [];
  const stations: number[] = [];
  for (let i = 0; i < opts.locations; i++) {
    const n = store.tables.locations.rows.size;
    const [name, city] = CITIES[n % CITIES.length];
    const loc = insert(store, 'locations', { public_id: String(n + 1), name: n < CITIES.length ? name : `${name} ${Math.floor(n / CITIES.length) + 1}`, city, active: true, custom: {} }, ts);
    locations.push(loc.id);
    stations.push(insert(store, 'stations', { location_id: loc.id, name: 'Station 1', active: true }, ts).id);
  }
  const allLocations = store.tables.locations.all().map((l) => l.id);

  let firstId: number | null = null;
  let lastId: number | null = null;
  let firstSku: string | null = null;
  // Items come in style × color × size families sharing a grid, like an apparel catalog.
  let grid: Rec | undefined;
  let style = '';
  let color = '';
  let basePrice = 0;
  for (let i = 0; i < opts.items; i++) {
    const sizeIdx = i % SIZES.length;
    if (sizeIdx === 0) {
      style = STYLES[Math.floor(rand() * STYLES.length)];
      color = COLORS[Math.floor(rand() * COLORS.length)];
      basePrice = Math.round((15 + rand() * 185) * 100) / 100 - 0.01 + 0.01;
      basePrice = Math.floor(basePrice) + 0.99;
      grid = insert(store, 'item_grids', { item_description: `${style} - ${color}`, long_description: null, item_price: basePrice, item_cost: Math.round(basePrice * 45) / 100, item_primary_vendor_id: null, custom: { style_name: style } }, ts);
    }
    const size = SIZES[sizeIdx];
    const seq = store.tables.items.rows.size + 1;
    const sku = `${style.split(' ').map((w) => w.slice(0, 3).toUpperCase()).join('')}-${color.slice(0, 3).toUpperCase()}-${size}-${String(seq).padStart(6, '0')}`;
    const onSale = rand() < 0.15;
    const item = insert(store, 'items', {
      public_id: sku, description: `${style} - ${color} - ${size}`, long_description: `<p>${style} in ${color.toLowerCase()}, size ${size}.</p>`,
      cost: Math.round(basePrice * 45) / 100, price: onSale ? Math.round(basePrice * 80) / 100 : basePrice, original_price: onSale ? basePrice : null,
      active: true, grid_id: grid!.id, primary_vendor_id: null, default_lookup_id: null,
      weight: Math.round((0.2 + rand() * 2) * 100) / 100, width: null, height: null, depth: null, prompt_for_price: false,
      custom: { style_name: style, color, size, upc: upc(rand) },
    }, ts);
    firstId ??= item.id;
    firstSku ??= sku;
    lastId = item.id;
    for (const loc of allLocations) {
      const qty = stock.min + Math.floor(rand() * (stock.max - stock.min + 1));
      const row = store.stockRow(item.id, loc);
      row.qty_on_hand = qty;
      row.qty = qty;
      row.qty_committed = 0;
      row.qty_available = qty;
      row.unit_cost = item.cost as number;
    }
  }
  const customers = opts.customers ? seedCustomers(store, opts.customers, seed, ts) : [];
  store.changed();
  return { locations, stations, items: { count: opts.items, firstId, lastId, firstSku }, customers, ...ref };
}

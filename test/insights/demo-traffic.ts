/**
 * Seeded "ordinary" demo traffic for the insights tests: ten minutes of web orders from a pool
 * of returning and new customers, per-minute stock batches with sales and restocks, error
 * counts and latencies. Deterministic (mulberry32), so a quiet run stays quiet.
 */
import { Order, type OrderInput } from '../../lib/model/order';
import { money } from '../../lib/model/money';
import { stockKey } from '../../lib/insights/anomaly';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ann', 'Bob', 'Chloe', 'Dev', 'Eva', 'Finn', 'Gia', 'Hal', 'Ines', 'Jon', 'Kai', 'Lea'];
const LAST = ['Lee', 'Marsh', 'Nguyen', 'Patel', 'Schulz', 'Ortiz', 'Rossi', 'Khan', 'Berg', 'Silva'];
const CITIES = [
  { city: 'Boston', regionCode: 'MA', postalCode: '02127', country: 'US' },
  { city: 'Chicago', regionCode: 'IL', postalCode: '60611', country: 'US' },
  { city: 'Austin', regionCode: 'TX', postalCode: '73301', country: 'US' },
  { city: 'Portland', regionCode: 'OR', postalCode: '97205', country: 'US' },
  { city: 'Toronto', regionCode: 'ON', postalCode: 'M5K 1A2', country: 'CA' },
];

export interface Catalog {
  skus: Array<{ sku: string; price: number }>;
  sources: string[];
}

export function demoCatalog(random: () => number, size = 40): Catalog {
  const skus = Array.from({ length: size }, (_, i) => ({ sku: `SKU-${String(i + 1).padStart(3, '0')}`, price: money(12 + random() * 108) }));
  return { skus, sources: ['main-street', 'warehouse'] };
}

interface Customer {
  email: string;
  firstName: string;
  lastName: string;
  sourceId: string | null;
  home: (typeof CITIES)[number];
  street: string;
}

function makeCustomer(random: () => number, n: number): Customer {
  const firstName = FIRST[Math.floor(random() * FIRST.length)];
  const lastName = LAST[Math.floor(random() * LAST.length)];
  return {
    email: `${firstName}.${lastName}.${n}@example.com`.toLowerCase(),
    firstName,
    lastName,
    sourceId: random() < 0.6 ? String(1000 + n) : null,
    home: CITIES[Math.floor(random() * CITIES.length)],
    street: `${1 + Math.floor(random() * 900)} Main St`,
  };
}

export function makeOrder(input: { n: number; placedAtMs: number; customer: Customer; lines: Array<{ sku: string; price: number; qty: number }>; shipTo?: (typeof CITIES)[number] }): Order {
  const { customer } = input;
  const address = (place: (typeof CITIES)[number]) => ({
    firstName: customer.firstName,
    lastName: customer.lastName,
    company: null,
    line1: customer.street,
    line2: null,
    city: place.city,
    region: null,
    regionCode: place.regionCode,
    postalCode: place.postalCode,
    country: place.country,
    phone: '555-0100',
  });
  const lines = input.lines.map((l) => ({ sku: l.sku, name: l.sku, qty: l.qty, unitPrice: l.price, discount: 0, tax: money(l.price * l.qty * 0.08), rowTotal: money(l.price * l.qty), sourceLineId: null, productType: 'simple', bundleLineId: null }));
  const subtotal = money(lines.reduce((s, l) => s + l.rowTotal, 0));
  const tax = money(lines.reduce((s, l) => s + l.tax, 0));
  const shipping = subtotal > 100 ? 0 : 7.95;
  const order: OrderInput = {
    externalId: String(100000000 + input.n),
    sourceId: String(input.n),
    status: 'processing',
    currency: 'USD',
    placedAt: new Date(input.placedAtMs).toISOString(),
    customer: { email: customer.email, firstName: customer.firstName, lastName: customer.lastName, isGuest: customer.sourceId === null, sourceId: customer.sourceId, groupId: null },
    billingAddress: address(customer.home),
    shippingAddress: address(input.shipTo ?? customer.home),
    lines,
    shipping: { method: 'flatrate_flatrate', description: 'Flat Rate', amount: shipping, tax: 0 },
    totals: { subtotal, discount: 0, tax, shipping, grand: money(subtotal + tax + shipping) },
    payment: { method: 'checkmo', amount: money(subtotal + tax + shipping), transactionId: null },
  };
  return Order.parse(order);
}

export interface DemoRun {
  orders: Order[];
  /** One per minute: the quantities pushed per stockKey(sku, source) after that minute. */
  stockSnapshots: Array<Map<string, number>>;
  /** Per 15-second bucket: share of failed units. */
  errorRates: number[];
  /** Per upstream call, milliseconds. */
  latencies: number[];
  prices: Array<Map<string, number>>;
  customers: Customer[];
  catalog: Catalog;
}

/** Ten minutes (by default) of ordinary traffic starting at `startMs`. */
export function ordinaryTraffic(seed: number, startMs: number, minutes = 10): DemoRun {
  const random = mulberry32(seed);
  const catalog = demoCatalog(random);
  // A demo store's customer base: a repeat order within ten minutes is rare, as in real shops.
  const customers = Array.from({ length: 2000 }, (_, i) => makeCustomer(random, i));
  const orders: Order[] = [];
  let t = startMs;
  const end = startMs + minutes * 60_000;
  let n = 1;
  // About one order every 4 seconds, exponential gaps.
  for (;;) {
    t += Math.round(-Math.log(1 - random()) * 4000);
    if (t >= end) break;
    const customer = customers[Math.floor(random() * customers.length)];
    const lineCount = 1 + Math.floor(random() * random() * 4);
    const lines = Array.from({ length: lineCount }, () => {
      const item = catalog.skus[Math.floor(random() * catalog.skus.length)];
      return { sku: item.sku, price: item.price, qty: random() < 0.8 ? 1 : 2 };
    });
    // A few gifts go to a friend in another country.
    const shipTo = random() < 0.04 ? CITIES[Math.floor(random() * CITIES.length)] : undefined;
    orders.push(makeOrder({ n: n++, placedAtMs: t, customer, lines, shipTo }));
  }

  const stock = new Map<string, number>();
  for (const { sku } of catalog.skus) for (const source of catalog.sources) stock.set(stockKey(sku, source), 20 + Math.floor(random() * 80));
  const stockSnapshots: Array<Map<string, number>> = [new Map(stock)];
  for (let minute = 0; minute < minutes; minute++) {
    const from = startMs + minute * 60_000;
    for (const order of orders.filter((o) => Date.parse(o.placedAt) >= from && Date.parse(o.placedAt) < from + 60_000)) {
      for (const line of order.lines) {
        const key = stockKey(line.sku, catalog.sources[random() < 0.7 ? 0 : 1]);
        stock.set(key, Math.max(0, (stock.get(key) ?? 0) - line.qty));
      }
    }
    // POS sales and an occasional restock.
    for (let k = 0; k < 5; k++) {
      const key = stockKey(catalog.skus[Math.floor(random() * catalog.skus.length)].sku, catalog.sources[0]);
      stock.set(key, Math.max(0, (stock.get(key) ?? 0) - 1));
    }
    if (random() < 0.2) {
      const key = stockKey(catalog.skus[Math.floor(random() * catalog.skus.length)].sku, catalog.sources[1]);
      stock.set(key, (stock.get(key) ?? 0) + 24);
    }
    stockSnapshots.push(new Map(stock));
  }

  const errorRates = Array.from({ length: minutes * 4 }, () => (random() < 0.15 ? Math.floor(random() * 2) / 20 : 0));
  const latencies = Array.from({ length: minutes * 60 }, () => Math.round(180 * Math.exp(0.35 * gaussian(random))));
  const prices = [new Map(catalog.skus.map((s) => [s.sku, s.price])), new Map(catalog.skus.map((s) => [s.sku, random() < 0.1 ? money(s.price * 0.9) : s.price]))];
  return { orders, stockSnapshots, errorRates, latencies, prices, customers, catalog };
}

function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

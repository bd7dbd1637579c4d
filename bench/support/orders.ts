/**
 * Web orders the way a storefront saves them (POST /V1/orders in the Commerce simulator): 1–4 lines
 * of catalog SKUs, tax, flat shipping, a guest or a returning shopper, a payment method from the
 * demo's map. Seeded, so every strategy and every run sees the same orders.
 */
import { seededRandom, type Random } from '../../sandbox/demo/random';
import type { SimApi } from '../../sandbox/demo/sim-http';

const PAYMENT_METHODS = ['checkmo', 'banktransfer', 'paypal_express', 'braintree'];
const SHIPPING = [
  { method: 'flatrate_flatrate', description: 'Flat Rate - Fixed', amount: 5 },
  { method: 'ups_GND', description: 'UPS Ground', amount: 8.5 },
  { method: 'instore_pickup', description: 'In-Store Pickup', amount: 0 },
];
const STREETS = ['123 Oak Ave', '9 Elm St', '400 Market Street', '77 Harbor Rd'];

function address(type: 'billing' | 'shipping', who: { first: string; last: string; email: string }, rng: Random) {
  return { address_type: type, firstname: who.first, lastname: who.last, street: [rng.pick(STREETS)], city: 'Purchase', region: 'New York', region_code: 'NY', postcode: '10577', country_id: 'US', telephone: '512-555-1111', email: who.email };
}

export interface OrderFactory {
  /** The `entity` body of POST /V1/orders for the n-th order. */
  entity(n: number): Record<string, unknown>;
}

/**
 * `returningShare` of the orders come from a small set of returning shoppers (their Heartland
 * customer is found, not created); the rest are first-time guests with their own email.
 */
export function orderFactory(skus: Array<{ sku: string; price: number }>, options: { seed?: number; runId?: string; returningShare?: number } = {}): OrderFactory {
  const runId = options.runId ?? 'bench';
  // Enough returning shoppers that none places five orders in an hour: the fraud check holds such
  // bursts for review (lib/insights), which is right for a store and wrong for a latency benchmark.
  const returning = Array.from({ length: 1000 }, (_, i) => ({ first: 'Pat', last: `Regular${i}`, email: `regular${i}.${runId}@example.com` }));
  return {
    entity(n) {
      const rng = seededRandom((options.seed ?? 7) * 1_000_003 + n);
      const who = rng.chance(options.returningShare ?? 0.3) ? rng.pick(returning) : { first: 'Sam', last: `Shopper${n}`, email: `shopper${n}.${runId}@example.com` };
      const count = rng.int(1, 4);
      const chosen = new Set<number>();
      while (chosen.size < Math.min(count, skus.length)) chosen.add(rng.int(0, skus.length - 1));
      const lines = [...chosen].map((i) => {
        const qty = rng.int(1, 3);
        const price = skus[i]!.price;
        return { sku: skus[i]!.sku, qty, price, tax: Math.round(qty * price * 0.0825 * 100) / 100 };
      });
      const ship = rng.pick(SHIPPING);
      const subtotal = lines.reduce((s, l) => s + l.qty * l.price, 0);
      const tax = lines.reduce((s, l) => s + l.tax, 0);
      const grand = Math.round((subtotal + tax + ship.amount) * 100) / 100;
      return {
        state: 'processing',
        status: 'processing',
        customer_email: who.email,
        customer_firstname: who.first,
        customer_lastname: who.last,
        customer_is_guest: 1,
        items: lines.map((l) => ({ sku: l.sku, qty_ordered: l.qty, price: l.price, row_total: Math.round(l.qty * l.price * 100) / 100, tax_amount: l.tax, product_type: 'simple' })),
        subtotal: Math.round(subtotal * 100) / 100,
        tax_amount: Math.round(tax * 100) / 100,
        shipping_amount: ship.amount,
        grand_total: grand,
        base_grand_total: grand,
        shipping_description: ship.description,
        billing_address: address('billing', who, rng),
        payment: { method: rng.pick(PAYMENT_METHODS), amount_ordered: grand },
        extension_attributes: { shipping_assignments: [{ shipping: { address: address('shipping', who, rng), method: ship.method, total: { shipping_amount: ship.amount } } }] },
      };
    },
  };
}

export async function placeOrder(mc: SimApi, entity: Record<string, unknown>): Promise<{ entity_id: number; increment_id: string }> {
  return mc.request('POST', 'orders', { entity });
}

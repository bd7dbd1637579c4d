import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderFromMagento } from '../../lib/commerce/mappers/order';
import { lookupFrom } from '../../lib/commerce/mappers/lookup';
import type { Order } from '../../lib/model/order';
import { DEFAULT_VALUE_MAPS, VALUE_MAP_NAMES } from '../../lib/mapping/defaults/value-maps';
import { asEvent, buildMagentoOrder, type ItemSpec, type OrderSpec } from './magento-order-builder';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/commerce/${name}`, import.meta.url), 'utf8'));
const statusMap = lookupFrom(DEFAULT_VALUE_MAPS[VALUE_MAP_NAMES.orderStatusFromCommerce].entries as Record<string, string>);

function ok(input: unknown): { order: Order; warnings: string[] } {
  const r = orderFromMagento(input, { statusMap });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { order: r.value, warnings: r.warnings };
}

describe('Magento order → canonical', () => {
  describe('given the REST example from commerce.md §2.2', () => {
    const { order, warnings } = ok(fixture('order-rest.json'));
    it('maps identity, status, currency and time', () => {
      expect(order).toMatchObject({ externalId: '000000003', sourceId: '3', status: 'new', sourceStatus: 'pending', currency: 'USD', placedAt: '2017-08-21T22:22:19.000Z' });
      expect(warnings).toEqual([]);
    });
    it('maps the customer and both addresses (shipping from shipping_assignments)', () => {
      expect(order.customer).toEqual({ email: 'jdoe@example.com', firstName: 'Jane', lastName: 'Doe', isGuest: false, sourceId: '3', groupId: '1' });
      expect(order.billingAddress).toMatchObject({ line1: '123 Oak Ave', line2: null, city: 'Purchase', region: 'New York', regionCode: 'NY', postalCode: '10577', country: 'US', phone: '512-555-1111' });
      expect(order.shippingAddress).toEqual(order.billingAddress);
    });
    it('maps lines, shipping, totals and payment', () => {
      expect(order.lines.map((l) => [l.sku, l.qty, l.unitPrice, l.rowTotal, l.sourceLineId])).toEqual([
        ['WS12-M-Orange', 1, 22, 22, '3'],
        ['WJ01-S-Red', 3, 46, 138, '4'],
      ]);
      expect(order.shipping).toEqual({ method: 'tablerate_bestway', description: 'Best Way - Table Rate', amount: 5, tax: 0 });
      expect(order.totals).toEqual({ subtotal: 160, discount: 0, tax: 0, shipping: 5, grand: 165, giftCards: 0 });
      expect(order.payment).toEqual({ method: 'banktransfer', amount: 165, transactionId: null });
    });
  });

  describe('given the event example from commerce.md §3.6 (DB strings, partial fields)', () => {
    const { order, warnings } = ok(fixture('order-event.json'));
    it('coerces the DB strings and keeps what the event has', () => {
      expect(order).toMatchObject({ externalId: '000000042', sourceId: '42', status: 'processing', currency: 'USD' });
      expect(order.lines).toEqual([expect.objectContaining({ sku: 'WS12-M-Orange', qty: 1, sourceLineId: '77' })]);
      expect(order.totals.grand).toBe(165);
    });
    it('says what the event lacked instead of inventing it', () => {
      expect(warnings.join('\n')).toMatch(/items\[0\]: no price/);
      expect(warnings.join('\n')).toMatch(/order_currency_code: missing; assumed USD/);
      expect(order.billingAddress).toBeNull();
    });
  });

  it('maps an event-shaped full order exactly like its REST twin', () => {
    const rest = buildMagentoOrder({ items: [{ kind: 'simple', sku: 'A', qty: 2, price: 9.99, discount: 1, tax: 1.5 }, { kind: 'configurable', sku: 'TEE', childSku: 'TEE-M', qty: 1, price: 20 }], shipping: 5, shippingTax: 0.4, street: ['1 Main St', 'Apt 2'] });
    const a = ok(rest).order;
    const b = ok(asEvent(rest)).order;
    expect(b).toEqual(a);
  });

  it.each([
    ['a guest order', { guest: true }, (o: Order) => expect(o.customer).toMatchObject({ isGuest: true, sourceId: null, firstName: 'Jane', lastName: 'Doe' })],
    ['three street lines', { street: ['1 Main St', 'Building B', 'Floor 3'] }, (o: Order) => expect(o.billingAddress).toMatchObject({ line1: '1 Main St', line2: 'Building B, Floor 3' })],
    ['a non-US address', { country: 'DE', region: 'Berlin', regionCode: 'BE', street: ['Unter den Linden 77'] }, (o: Order) => expect(o.shippingAddress).toMatchObject({ country: 'DE', region: 'Berlin', regionCode: 'BE', line1: 'Unter den Linden 77' })],
    ['Unicode names', { firstName: 'Zoë', lastName: 'Ñúñez-Łukasz 山田' }, (o: Order) => expect(o.customer).toMatchObject({ firstName: 'Zoë', lastName: 'Ñúñez-Łukasz 山田' })],
    ['free shipping', { shipping: 0 }, (o: Order) => expect(o.shipping).toMatchObject({ amount: 0, tax: 0, method: 'flatrate_flatrate' })],
    ['a virtual order without shipping', { noShipping: true }, (o: Order) => expect(o.shippingAddress).toBeNull()],
    ['a custom status falling back to the state', { status: 'awaiting_pickup', state: 'processing' }, (o: Order) => expect(o.status).toBe('processing')],
    ['a held order', { status: 'holded', state: 'holded' }, (o: Order) => expect(o.status).toBe('on_hold')],
  ] as Array<[string, Partial<OrderSpec>, (o: Order) => void]>)('handles %s', (_, spec, check) => {
    const { order } = ok(buildMagentoOrder({ items: [{ kind: 'simple', sku: 'A', qty: 1, price: 10 }], ...spec }));
    check(order);
  });

  it('handles a zero-total order', () => {
    const { order } = ok(buildMagentoOrder({ items: [{ kind: 'simple', sku: 'FREEBIE', qty: 1, price: 0 }], paymentMethod: 'free' }));
    expect(order.totals.grand).toBe(0);
    expect(order.lines[0]).toMatchObject({ unitPrice: 0, rowTotal: 0 });
    expect(order.payment).toEqual({ method: 'free', amount: 0, transactionId: null });
  });

  it('collapses a configurable into one line with the child SKU and the parent price', () => {
    const { order } = ok(buildMagentoOrder({ items: [{ kind: 'configurable', sku: 'WS12', childSku: 'WS12-M-Orange', qty: 2, price: 22, discount: 4, tax: 3 }] }));
    expect(order.lines).toEqual([expect.objectContaining({ sku: 'WS12-M-Orange', name: 'Child WS12-M-Orange', qty: 2, unitPrice: 22, rowTotal: 44, discount: 4, tax: 3, sourceLineId: '100' })]);
  });

  it('splits a dynamic bundle into its priced parts without counting the parent', () => {
    const { order } = ok(buildMagentoOrder({ items: [{ kind: 'bundle', sku: 'KIT', qty: 2, dynamic: true, parts: [{ sku: 'P1', qtyPerBundle: 1, price: 10 }, { sku: 'P2', qtyPerBundle: 3, price: 2.5 }] }] }));
    expect(order.lines.map((l) => [l.sku, l.qty, l.rowTotal, l.bundleLineId])).toEqual([['P1', 2, 20, '100'], ['P2', 6, 15, '100']]);
    expect(order.totals.subtotal).toBe(35);
  });

  it('splits a fixed-price bundle by part value, cent-exact', () => {
    const { order } = ok(buildMagentoOrder({ items: [{ kind: 'bundle', sku: 'KIT', qty: 1, dynamic: false, price: 100, discount: 10, tax: 7.77, parts: [{ sku: 'P1', qtyPerBundle: 1, price: 30 }, { sku: 'P2', qtyPerBundle: 2, price: 10 }, { sku: 'P3', qtyPerBundle: 1, price: 20 }] }] }));
    expect(order.lines.map((l) => l.sku)).toEqual(['P1', 'P2', 'P3']);
    expect(order.lines.map((l) => l.rowTotal)).toEqual([42.86, 28.57, 28.57]);
    expect(order.lines.reduce((t, l) => t + l.rowTotal, 0)).toBeCloseTo(100, 10);
    expect(order.lines.reduce((t, l) => t + l.discount, 0)).toBeCloseTo(10, 10);
    expect(order.lines.reduce((t, l) => t + l.tax, 0)).toBeCloseTo(7.77, 10);
  });

  it('keeps the sale total when gift cards paid part of it', () => {
    const raw = buildMagentoOrder({ items: [{ kind: 'simple', sku: 'A', qty: 1, price: 50 }], shipping: 5, giftCards: 20 });
    expect(raw.grand_total).toBe(35);
    for (const input of [raw, asEvent(raw)]) {
      const { order } = ok(input);
      expect(order.totals).toMatchObject({ grand: 55, giftCards: 20 });
      expect(order.payment?.amount).toBe(35);
    }
  });

  it('maps a 100-line order', () => {
    const items: ItemSpec[] = Array.from({ length: 100 }, (_, i) => ({ kind: 'simple', sku: `SKU-${i}`, qty: (i % 3) + 1, price: 1.1 * (i + 1) }));
    const { order } = ok(buildMagentoOrder({ items, shipping: 12.5 }));
    expect(order.lines).toHaveLength(100);
    expect(order.totals.grand).toBeCloseTo(order.lines.reduce((t, l) => t + l.rowTotal, 0) + 12.5, 2);
  });

  describe('rejects bad input naming the field', () => {
    it.each([
      [{ ...fixture('order-rest.json'), items: [{ sku: 'A', qty_ordered: 'abc' }] }, 'items[0].qty_ordered', 'expected a number, got "abc"'],
      [{ ...fixture('order-rest.json'), customer_email: undefined }, 'customer_email', 'required'],
      [{ ...fixture('order-rest.json'), items: [] }, 'items', 'an order needs at least one item'],
      [{ ...fixture('order-rest.json'), billing_address: { ...fixture('order-rest.json').billing_address, country_id: null } }, 'billing_address.country_id', 'required'],
      [{ ...fixture('order-rest.json'), status: 'mystery', state: null }, 'status', 'unknown status "mystery"; add it to the order status map'],
      ['not an order', '', 'expected an object, got "not an order"'],
    ])('%#', (input, path, message) => {
      const r = orderFromMagento(input, { statusMap });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues).toContainEqual({ path, message });
    });
  });
});

describe('property: any valid Magento order', () => {
  const cents = fc.integer({ min: 0, max: 50_000 }).map((c) => c / 100);
  const sku = fc.stringMatching(/^[A-Z]{2,4}-\d{1,3}$/);
  const item: fc.Arbitrary<ItemSpec> = fc.oneof(
    fc.record({ kind: fc.constant('simple' as const), sku, qty: fc.integer({ min: 1, max: 9 }), price: cents, tax: cents }),
    fc.record({ kind: fc.constant('configurable' as const), sku, childSku: sku, qty: fc.integer({ min: 1, max: 9 }), price: cents, tax: cents }),
    fc.record({
      kind: fc.constant('bundle' as const), sku, qty: fc.integer({ min: 1, max: 4 }), dynamic: fc.boolean(), price: cents, tax: cents,
      parts: fc.array(fc.record({ sku, qtyPerBundle: fc.integer({ min: 1, max: 3 }), price: cents }), { minLength: 1, maxLength: 4 }),
    }),
  );
  const orderSpec = fc.record({ items: fc.array(item, { minLength: 1, maxLength: 12 }), shipping: cents, shippingTax: cents, guest: fc.boolean(), asEvent: fc.boolean(), giftCards: fc.oneof(fc.constant(0), cents) });

  it('keeps grand = lines − discount + shipping + tax and the purchased quantities', () => {
    fc.assert(
      fc.property(orderSpec, (spec) => {
        // A discount no larger than its line, as Magento guarantees.
        const items = spec.items.map((i) => ({ ...i, discount: Math.min(i.kind === 'bundle' && i.dynamic ? 0 : (i.price ?? 0) * i.qty, 1.23) }));
        const raw = buildMagentoOrder({ ...spec, items });
        const r = orderFromMagento(spec.asEvent ? asEvent(raw) : raw, { statusMap });
        if (!r.ok) throw new Error(JSON.stringify(r.issues));
        const o = r.value;
        const lines = o.lines.reduce((t, l) => t + l.rowTotal, 0);
        expect(Math.abs(o.totals.grand - (lines - o.totals.discount + o.totals.shipping + o.totals.tax))).toBeLessThanOrEqual(0.01);
        const purchased = items.reduce((t, i) => t + (i.kind === 'bundle' ? i.parts.reduce((s, p) => s + p.qtyPerBundle * i.qty, 0) : i.qty), 0);
        expect(o.lines.reduce((t, l) => t + l.qty, 0)).toBe(purchased);
        expect(Math.abs(lines - o.totals.subtotal)).toBeLessThanOrEqual(0.01);
        // What the gateway charged plus the gift cards tendered is the sale.
        expect(Math.abs(o.payment!.amount + o.totals.giftCards - o.totals.grand)).toBeLessThanOrEqual(0.01);
      }),
      { numRuns: 200 },
    );
  });
});

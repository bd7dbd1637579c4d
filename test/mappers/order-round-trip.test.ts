/**
 * Round trip: Magento order → canonical → the Heartland requests → the Heartland order those
 * requests create → canonical again. Money must survive to the cent at order level.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupFrom } from '../../lib/commerce/mappers/lookup';
import { orderFromMagento } from '../../lib/commerce/mappers/order';
import { orderFromHeartland, orderToHeartlandRequests } from '../../lib/heartland/mappers/order';
import { DEFAULT_VALUE_MAPS, VALUE_MAP_NAMES } from '../../lib/mapping/defaults/value-maps';
import type { Order } from '../../lib/model/order';
import { type PlannedRequest, placeholdersIn, resolvePlaceholders } from '../../lib/model/planned-request';
import { buildMagentoOrder, type ItemSpec } from './magento-order-builder';

const map = (name: string) => lookupFrom(DEFAULT_VALUE_MAPS[name].entries, DEFAULT_VALUE_MAPS[name].default);

/** What a Heartland order looks like after the plan ran (the simulator's job, in miniature). */
function heartlandOrderFrom(plan: PlannedRequest[], order: Order): Record<string, unknown> {
  // Ids the Heartland side assigns when the plan runs.
  plan = resolvePlaceholders(plan, (name) => ({ 'heartland.customer_id': 100123, 'heartland.address_id': 100456, 'heartland.sales_order_id': 100900 } as Record<string, number>)[name]);
  assertResolved(plan);
  const header = plan.find((r) => r.path === '/sales/orders')!.body as Record<string, unknown>;
  const status = (plan.find((r) => r.method === 'PUT')?.body as { status?: string } | undefined)?.status ?? 'pending';
  const bodies = (suffix: string) => plan.filter((r) => r.path.endsWith(suffix)).map((r) => r.body as Record<string, unknown>);
  return {
    ...header,
    id: 100900,
    status,
    customer: { id: 100123, email: order.customer.email, first_name: order.customer.firstName, last_name: order.customer.lastName },
    customer_id: 100123,
    shipping_method_id: null,
    lines: bodies('/lines').map((l, i) => ({ ...l, id: 200000 + i })),
    taxes: bodies('/taxes'),
    discounts: bodies('/discounts'),
    payments: bodies('/payments').map((p, i) => ({ ...p, id: 300000 + i })),
  };
}

function assertResolved(plan: PlannedRequest[]) {
  expect(placeholdersIn(plan)).toEqual([]);
}

function roundTrip(raw: unknown) {
  const first = orderFromMagento(raw, { statusMap: map(VALUE_MAP_NAMES.orderStatusFromCommerce) });
  if (!first.ok) throw new Error(JSON.stringify(first.issues));
  const skus = new Map<number, string>();
  const ids = new Map<string, number>();
  for (const line of first.value.lines) if (!ids.has(line.sku)) { ids.set(line.sku, 100000 + ids.size); skus.set(ids.get(line.sku)!, line.sku); }
  const plan = orderToHeartlandRequests(first.value, {
    stationId: 1, sourceLocationId: 2, itemIdFor: (sku) => ids.get(sku),
    paymentTypeFor: () => 100010, shippingMethodFor: () => undefined, statusFor: map(VALUE_MAP_NAMES.orderStatusToHeartland),
  });
  const back = orderFromHeartland(heartlandOrderFrom(plan, first.value), { statusMap: map(VALUE_MAP_NAMES.orderStatusFromHeartland), skuForItem: (id) => skus.get(id), currency: 'USD' });
  if (!back.ok) throw new Error(JSON.stringify(back.issues));
  return { before: first.value, after: back.value };
}

describe('order round trip through Heartland', () => {
  it('keeps identity, status, lines and totals for a typical order', () => {
    const { before, after } = roundTrip(buildMagentoOrder({ items: [{ kind: 'simple', sku: 'A', qty: 3, price: 9.99, discount: 2, tax: 2.31 }, { kind: 'configurable', sku: 'T', childSku: 'T-M', qty: 1, price: 20, tax: 1.65 }], shipping: 7.95, shippingTax: 0.66 }));
    expect(after).toMatchObject({ externalId: before.externalId, status: before.status, customer: { email: before.customer.email } });
    expect(after.lines.map((l) => [l.sku, l.qty, l.unitPrice, l.tax])).toEqual(before.lines.map((l) => [l.sku, l.qty, l.unitPrice, l.tax]));
    expect(after.totals).toEqual({ ...before.totals, giftCards: 0 });
  });

  it('property: grand total, tax, shipping, discount and quantities survive to the cent', () => {
    const cents = fc.integer({ min: 0, max: 20_000 }).map((c) => c / 100);
    const sku = fc.stringMatching(/^[A-Z]{2}-\d{1,3}$/);
    const item: fc.Arbitrary<ItemSpec> = fc.oneof(
      fc.record({ kind: fc.constant('simple' as const), sku, qty: fc.integer({ min: 1, max: 7 }), price: cents, tax: cents, discount: cents }),
      fc.record({ kind: fc.constant('configurable' as const), sku, childSku: sku, qty: fc.integer({ min: 1, max: 7 }), price: cents, tax: cents, discount: cents }),
      fc.record({ kind: fc.constant('bundle' as const), sku, qty: fc.integer({ min: 1, max: 3 }), dynamic: fc.constant(false), price: cents, tax: cents, discount: cents,
        parts: fc.array(fc.record({ sku, qtyPerBundle: fc.integer({ min: 1, max: 3 }), price: cents }), { minLength: 1, maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 8 }), cents, (items, shipping) => {
        const capped = items.map((i) => ({ ...i, discount: Math.min(i.discount ?? 0, (i.price ?? 0) * i.qty) }));
        const { before, after } = roundTrip(buildMagentoOrder({ items: capped, shipping }));
        expect(Math.abs(after.totals.grand - before.totals.grand)).toBeLessThan(0.005);
        expect(Math.abs(after.totals.tax - before.totals.tax)).toBeLessThan(0.005);
        expect(after.totals.shipping).toBe(before.totals.shipping);
        expect(Math.abs((after.totals.subtotal - after.totals.discount) - (before.totals.subtotal - before.totals.discount))).toBeLessThan(0.005);
        expect(after.lines.map((l) => [l.sku, l.qty])).toEqual(before.lines.map((l) => [l.sku, l.qty]));
      }),
      { numRuns: 150 },
    );
  });

  it('rejects a Heartland order that is not a web order', () => {
    expect(orderFromHeartland({ id: 1, status: 'open', custom: {}, lines: [{ id: 1, item_id: 1, qty: 1 }], customer: { id: 1, email: 'a@b.c' } }, { statusMap: map(VALUE_MAP_NAMES.orderStatusFromHeartland), currency: 'USD' })).toEqual({
      ok: false, issues: [{ path: 'custom.ecommerce_number', message: 'required (not a web order)' }],
    });
  });
});

describe('order round trip: rows that do not divide into cents', () => {
  it('a fixed-price bundle split 85.15 over 3 units keeps the total', () => {
    const { before, after } = roundTrip(buildMagentoOrder({ items: [{ kind: 'bundle', sku: 'KIT', qty: 1, dynamic: false, price: 85.15, parts: [{ sku: 'P1', qtyPerBundle: 3, price: 0.01 }, { sku: 'P2', qtyPerBundle: 1, price: 0 }] }] }));
    expect(after.totals.grand).toBe(before.totals.grand);
    expect(after.totals.subtotal - after.totals.discount).toBeCloseTo(before.totals.subtotal - before.totals.discount, 10);
  });
});

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { orderFromMagento } from '../../lib/commerce/mappers/order';
import { lookupFrom } from '../../lib/commerce/mappers/lookup';
import { orderStatusChangeToHeartland, orderStatusFromHeartland, orderToHeartlandRequests, type OrderToHeartlandContext } from '../../lib/heartland/mappers/order';
import { DEFAULT_VALUE_MAPS, VALUE_MAP_NAMES } from '../../lib/mapping/defaults/value-maps';
import { SalesOrderCreate, SalesOrderLineCreate, PaymentCreate, AddressCreate, CustomerCreate } from '../../lib/heartland/payloads';
import type { Order } from '../../lib/model/order';
import { placeholdersIn } from '../../lib/model/planned-request';
import { buildMagentoOrder } from './magento-order-builder';

const map = (name: string) => {
  const m = DEFAULT_VALUE_MAPS[name];
  return lookupFrom(m.entries, m.default);
};
const ctx = (over: Partial<OrderToHeartlandContext> = {}): OrderToHeartlandContext => ({
  paymentTypeFor: map(VALUE_MAP_NAMES.paymentTypeForMethod),
  shippingMethodFor: map(VALUE_MAP_NAMES.shippingMethodForCarrier),
  statusFor: map(VALUE_MAP_NAMES.orderStatusToHeartland),
  ...over,
});
const canonical = (raw: unknown): Order => {
  const r = orderFromMagento(raw, { statusMap: map(VALUE_MAP_NAMES.orderStatusFromCommerce) });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const restOrder = canonical({ ...JSON.parse(readFileSync(new URL('../fixtures/commerce/order-rest.json', import.meta.url), 'utf8')), status: 'processing', state: 'processing' });

describe('canonical order → Heartland requests', () => {
  describe('given nothing resolved yet', () => {
    const plan = orderToHeartlandRequests(restOrder, ctx());
    it('plans customer, address, order, lines, payment and open, in that order', () => {
      expect(plan.map((r) => `${r.method} ${r.path}`)).toEqual([
        'POST /customers',
        'POST /customers/{{heartland.customer_id email=jdoe@example.com}}/addresses',
        'POST /sales/orders',
        'POST /sales/orders/{{heartland.sales_order_id ecommerce_number=000000003}}/lines',
        'POST /sales/orders/{{heartland.sales_order_id ecommerce_number=000000003}}/lines',
        'POST /sales/orders/{{heartland.sales_order_id ecommerce_number=000000003}}/payments',
        'PUT /sales/orders/{{heartland.sales_order_id ecommerce_number=000000003}}',
      ]);
      expect(plan[6].body).toEqual({ status: 'open' });
    });
    it('tags the order with the increment id and source system and reuses the billing address for shipping', () => {
      expect(plan[2].body).toMatchObject({
        status: 'pending',
        shipping_charge: 5,
        custom: { ecommerce_number: '000000003', source_system: 'magento' },
        billing_address_id: '{{heartland.address_id email=jdoe@example.com type=billing}}',
        shipping_address_id: '{{heartland.address_id email=jdoe@example.com type=billing}}',
        shipping_method_id: '{{heartland.shipping_method_id name="Best Way"}}',
        station_id: '{{settings.station_id}}',
      });
    });
    it('names every unresolved lookup as a placeholder', () => {
      expect(placeholdersIn(plan)).toEqual(expect.arrayContaining(['{{heartland.item_id sku=WS12-M-Orange}}', '{{heartland.item_id sku=WJ01-S-Red}}', '{{heartland.payment_type_id name="Bank Transfer"}}']));
    });
  });

  describe('given resolved ids', () => {
    const ids: Record<string, number> = { 'WS12-M-Orange': 100777, 'WJ01-S-Red': 100778 };
    const plan = orderToHeartlandRequests(restOrder, ctx({
      stationId: 100070, sourceLocationId: 100005, customerId: 100123, billingAddressId: 100456, shippingAddressId: 100457,
      itemIdFor: (sku) => ids[sku], paymentTypeFor: lookupFrom({ banktransfer: 100010 }), shippingMethodFor: lookupFrom({ tablerate_bestway: 100002 }),
    }));
    it('sends bodies the Heartland payload schemas accept', () => {
      expect(plan.map((r) => r.path)).toEqual(['/sales/orders', '/sales/orders/{{heartland.sales_order_id ecommerce_number=000000003}}/lines', '/sales/orders/{{heartland.sales_order_id ecommerce_number=000000003}}/lines', '/sales/orders/{{heartland.sales_order_id ecommerce_number=000000003}}/payments', '/sales/orders/{{heartland.sales_order_id ecommerce_number=000000003}}']);
      expect(SalesOrderCreate.parse(plan[0].body)).toMatchObject({ customer_id: 100123, shipping_method_id: 100002, station_id: 100070, source_location_id: 100005 });
      expect(SalesOrderLineCreate.safeParse(plan[1].body).success).toBe(true);
      expect(PaymentCreate.safeParse(plan[3].body).success).toBe(true);
      expect(plan[3].body).toEqual({ type: 'CustomPayment', payment_type_id: 100010, amount: 165, deposit: true, description: 'Magento banktransfer', custom: {} });
    });
  });

  it('carries line discounts in the adjusted price and posts only leftover tax and discount at order level', () => {
    const order = canonical(buildMagentoOrder({ items: [{ kind: 'simple', sku: 'A', qty: 2, price: 10, discount: 3, tax: 1.36 }], shipping: 5, shippingTax: 0.41 }));
    const withCoupon = { ...order, couponCode: 'SAVE5', totals: { ...order.totals, discount: order.totals.discount + 5, grand: order.totals.grand - 5 } };
    const plan = orderToHeartlandRequests(withCoupon, ctx({ customerId: 1, billingAddressId: 2, shippingAddressId: 2, orderId: 900 }));
    expect(plan.find((r) => r.path === '/sales/orders/900/lines')?.body).toMatchObject({ original_unit_price: 10, adjusted_unit_price: 8.5, total_tax: 1.36, qty: 2 });
    expect(plan.find((r) => r.path === '/sales/orders/900/taxes')?.body).toEqual({ description: 'Shipping tax', value: 0.41 });
    expect(plan.find((r) => r.path === '/sales/orders/900/discounts')?.body).toEqual({ description: 'Coupon SAVE5', amount: -5 });
    expect(plan.some((r) => r.path === '/sales/orders')).toBe(false);
  });

  it('creates a guest customer with the order name and separate addresses, joining a third street line', () => {
    const order = canonical(buildMagentoOrder({ guest: true, items: [{ kind: 'simple', sku: 'A', qty: 1, price: 10 }], street: ['1 Main St', 'Unit 4', 'Rear door'] }));
    const shipping = { ...order.shippingAddress!, line1: '9 Other Rd' };
    const plan = orderToHeartlandRequests({ ...order, shippingAddress: shipping }, ctx());
    expect(CustomerCreate.parse(plan[0].body)).toEqual({ first_name: 'Jane', last_name: 'Doe', email: 'jdoe@example.com' });
    const addresses = plan.filter((r) => r.path.endsWith('/addresses')).map((r) => AddressCreate.parse(r.body));
    expect(addresses.map((a) => [a.line_1, a.line_2])).toEqual([['1 Main St', 'Unit 4, Rear door'], ['9 Other Rd', 'Unit 4, Rear door']]);
    expect(plan.find((r) => r.path === '/sales/orders')?.body).toMatchObject({ shipping_address_id: '{{heartland.address_id email=jdoe@example.com type=shipping}}' });
  });

  it('abbreviates streets only when asked', () => {
    const order = canonical(buildMagentoOrder({ items: [{ kind: 'simple', sku: 'A', qty: 1, price: 10 }], street: ['123 North Main Street', 'Apartment 4'] }));
    const line = (abbreviateStreets: boolean) => (orderToHeartlandRequests(order, ctx({ abbreviateStreets }))[1].body as { line_1: string; line_2: string });
    expect(line(false)).toMatchObject({ line_1: '123 North Main Street', line_2: 'Apartment 4' });
    expect(line(true)).toMatchObject({ line_1: '123 N Main St', line_2: 'Apt 4' });
  });

  it('records gift card money as its own payment and skips payments of zero', () => {
    const order = canonical(buildMagentoOrder({ items: [{ kind: 'simple', sku: 'A', qty: 1, price: 0 }], paymentMethod: 'free' }));
    const plan = orderToHeartlandRequests({ ...order, totals: { ...order.totals, giftCards: 25 } }, ctx({ orderId: 5, customerId: 1, billingAddressId: 1, shippingAddressId: 1 }));
    const payments = plan.filter((r) => r.path.endsWith('/payments')).map((r) => r.body);
    expect(payments).toEqual([{ type: 'CustomPayment', payment_type_id: '{{heartland.payment_type_id name="Gift Card"}}', amount: 25, deposit: true, description: 'Magento gift card / store credit', custom: {} }]);
  });

  it('maps statuses both ways through the value maps', () => {
    const from = map(VALUE_MAP_NAMES.orderStatusFromHeartland);
    expect(['pending', 'open', 'closed', 'cancelled', 'CANCELED', 'weird'].map((s) => orderStatusFromHeartland(s, from))).toEqual(['new', 'processing', 'complete', 'canceled', 'canceled', undefined]);
    expect(orderStatusChangeToHeartland(100900, 'canceled', map(VALUE_MAP_NAMES.orderStatusToHeartland))).toEqual({ method: 'PUT', path: '/sales/orders/100900', body: { status: 'canceled' } });
  });
});

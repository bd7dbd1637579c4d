/**
 * How outside signals become units (Commerce events, Heartland notifications), the polling feeds
 * that back them up, and the settings layered over the mapping document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommerceEvent } from '../../../lib/commerce/events';
import { DEFAULT_CONNECTOR_SETTINGS, loadConnectorSettings, parseConnectorSettings } from '../../../lib/config/connector-settings';
import { defaultMappingDocument, valueLookup, VALUE_MAP_NAMES } from '../../../lib/mapping';
import { layerSettings, ordersArea } from '../../../lib/flows/orders';
import { orderUnitsForCommerceEvent, orderUnitsForHeartlandNotification } from '../../../lib/flows/orders/signals';
import { magentoTime } from '../../../lib/flows/orders/feeds';
import { pollFeed, readCursor } from '../../../lib/sync';
import { startOrdersHarness, type OrdersHarness } from './harness';

let h: OrdersHarness;
beforeAll(async () => {
  h = await startOrdersHarness();
}, 20_000);
afterAll(async () => h?.close());

const cloudEvent = (name: string, value: Record<string, unknown>, id = 'evt-1') =>
  parseCommerceEvent({ id, type: `com.adobe.commerce.observer.${name}`, time: '2026-01-05T10:00:01.123Z', data: { value } });

describe('Commerce events → units', () => {
  it('an order save of a trigger status becomes an order unit keyed by entity id with the CloudEvent id; other statuses of unsent orders none', async () => {
    const ctx = { deps: h.deps, settings: DEFAULT_CONNECTOR_SETTINGS };
    const units = await orderUnitsForCommerceEvent(cloudEvent('sales_order_save_commit_after', { entity_id: '4242', increment_id: '000004242', status: 'processing', updated_at: '2026-01-05 10:00:00' }), ctx);
    expect(units).toEqual([{ trigger: 'event', eventId: 'evt-1', eventAt: Date.parse('2026-01-05T10:00:01.123Z'), flow: 'order', key: '4242', version: '2026-01-05 10:00:00' }]);
    expect(await orderUnitsForCommerceEvent(cloudEvent('sales_order_save_commit_after', { entity_id: '4242', status: 'pending' }), ctx)).toEqual([]);
    // The same save also fires sales_order_save_after: one of the two is enough.
    expect(await orderUnitsForCommerceEvent(cloudEvent('sales_order_save_after', { entity_id: '4242', status: 'processing' }), ctx)).toEqual([]);
  });

  it('a linked order also gets a status unit; invoices and credit memos get payment and refund units', async () => {
    await h.platform.state.put('link.order.commerce.77', { system: 'heartland', id: '100077', at: 1 }, { ttlSeconds: 60 });
    const ctx = { deps: h.deps, settings: DEFAULT_CONNECTOR_SETTINGS };
    const order = await orderUnitsForCommerceEvent(cloudEvent('sales_order_save_commit_after', { entity_id: '77', status: 'holded' }), ctx);
    expect(order.map((u) => u.flow).sort()).toEqual(['order', 'order-status']);
    expect(await orderUnitsForCommerceEvent(cloudEvent('sales_order_invoice_save_after', { entity_id: '5', order_id: '77' }), ctx)).toMatchObject([{ flow: 'payment', key: '5' }]);
    expect(await orderUnitsForCommerceEvent(cloudEvent('sales_order_creditmemo_save_after', { entity_id: '6', order_id: '77' }), ctx)).toMatchObject([{ flow: 'refund', key: '6' }]);
    expect(await orderUnitsForCommerceEvent(cloudEvent('customer_save_commit_after', { entity_id: '6' }), ctx)).toEqual([]);
  });

  it('Heartland notifications (ASSUMED format) hint shipments and returns; others are not this area\'s', () => {
    const at = '2026-01-05T10:00:00Z';
    expect(orderUnitsForHeartlandNotification({ event: 'invoice.completed', resource_type: 'invoice', resource_id: 100123, occurred_at: at })).toMatchObject([{ flow: 'shipment', key: '100123', eventId: `invoice.completed.100123.${at}` }]);
    expect(orderUnitsForHeartlandNotification({ event: 'return.completed', resource_type: 'ticket', resource_id: 100124, occurred_at: at })).toMatchObject([{ flow: 'heartland-return', key: '100124' }]);
    expect(orderUnitsForHeartlandNotification({ event: 'item.updated', resource_type: 'item', resource_id: 1, occurred_at: at })).toEqual([]);
  });
});

describe('polling feeds', () => {
  const feed = (name: string) => ordersArea.feeds!.find((f) => f.name === name)!;

  it('commerce-orders sends orders that no event announced, and moves its cursor', async () => {
    const order = await h.placeOrder([{ sku: h.items[0].sku, qty: 1, price: 10 }]);
    const summary = await pollFeed(feed('commerce-orders'), h.deps, Date.now() + 20_000);
    expect(summary.error).toBeUndefined();
    expect(await h.heartlandOrders(order.increment_id)).toHaveLength(1);
    expect(await readCursor(h.platform.state, 'commerce-orders')).toBe(`${(await h.magentoApi('GET', `orders/${order.entity_id}`)).body.updated_at}|${order.entity_id}`);
    // Polling again finds nothing new: no units, no Activity noise, no second order.
    const again = await pollFeed(feed('commerce-orders'), h.deps, Date.now() + 20_000);
    expect(again.units).toBe(0);
    expect(await h.heartlandOrders(order.increment_id)).toHaveLength(1);
  });

  it('heartland-orders brings a Heartland cancel of a web order to Magento', async () => {
    const order = await h.placeOrder([{ sku: h.items[2].sku, qty: 1, price: 10 }]);
    await h.run({ flow: 'order', key: String(order.entity_id) });
    const [found] = await h.heartlandOrders(order.increment_id);
    await h.heartlandApi('PUT', `sales/orders/${found.id}`, { status: 'canceled' });
    const summary = await pollFeed(feed('heartland-orders'), h.deps, Date.now() + 20_000);
    expect(summary.error).toBeUndefined();
    expect((await h.magentoApi('GET', `orders/${order.entity_id}`)).body.state).toBe('canceled');
  });

  it('heartland-invoices and heartland-returns bring completed invoices and returns without webhooks', async () => {
    const order = await h.placeOrder([{ sku: h.items[1].sku, qty: 2, price: 10 }]);
    await h.run({ flow: 'order', key: String(order.entity_id) });
    const [found] = await h.heartlandOrders(order.increment_id);
    const created = await h.heartlandApi('POST', 'sales/invoices', { order_id: found.id, source_location_id: h.seeded.locations[0], station_id: h.seeded.stations[0] });
    const invoiceId = Number(created.location!.split('/').pop());
    await h.heartlandApi('POST', `sales/invoices/${invoiceId}/lines`, { item_id: h.items[1].id, qty: 2 });
    await h.heartlandApi('PUT', `sales/invoices/${invoiceId}`, { status: 'complete', custom: { tracking_number: 'TRK-1' } });
    await pollFeed(feed('heartland-invoices'), h.deps, Date.now() + 20_000);
    const shipments = (await h.magentoApi('GET', `shipments?searchCriteria[filter_groups][0][filters][0][field]=order_id&searchCriteria[filter_groups][0][filters][0][value]=${order.entity_id}`)).body.items;
    expect(shipments).toHaveLength(1);
    expect(shipments[0].tracks[0]).toMatchObject({ track_number: 'TRK-1', carrier_code: 'custom' });

    await h.magentoApi('POST', `order/${order.entity_id}/invoice`, { capture: true });
    await h.heartlandApi('POST', 'sales/tickets', {
      type: 'Return', status: 'complete', station_id: h.seeded.stations[0], parent_transaction_id: invoiceId,
      item_lines: [{ type: 'ItemLine', item_id: h.items[1].id, qty: -1, unit_price: 10 }],
    });
    await pollFeed(feed('heartland-returns'), h.deps, Date.now() + 20_000);
    const memos = (await h.magentoApi('GET', `creditmemos?searchCriteria[filter_groups][0][filters][0][field]=order_id&searchCriteria[filter_groups][0][filters][0][value]=${order.entity_id}`)).body.items;
    expect(memos).toHaveLength(1);
    // The credit memo feed then sees that memo and recognises it as the mirror of the return.
    const memoFeed = await pollFeed(feed('commerce-creditmemos'), h.deps, Date.now() + 20_000);
    expect(memoFeed.outcomes.done ?? 0).toBe(0);
    expect(await h.list(`sales/tickets?_filter=${encodeURIComponent(JSON.stringify({ type: 'Return' }))}`)).toHaveLength(1);
  });
});

describe('settings over the mapping document', () => {
  it('payment, shipping and location maps from the settings win; the document fills the rest', async () => {
    const settings = parseConnectorSettings({
      paymentMethodMap: [{ magentoCode: 'checkmo', paymentTypeId: '7' }, { magentoCode: '*', paymentTypeId: '9' }],
      shippingMethodMap: [{ magentoCode: 'flatrate_flatrate', heartlandShippingMethodId: '3' }],
      locationToSource: [{ locationId: '100001', sourceCode: 'ny' }],
      shipments: { trackingNumberField: 'tracking', carrierField: 'carrier' },
    });
    const doc = layerSettings(defaultMappingDocument(), settings);
    const pay = valueLookup(doc, VALUE_MAP_NAMES.paymentTypeForMethod);
    expect(pay('checkmo')).toBe(7);
    expect(pay('banktransfer')).toBe('Bank Transfer');
    expect(pay('somethingelse')).toBe(9);
    expect(valueLookup(doc, VALUE_MAP_NAMES.shippingMethodForCarrier)('flatrate_flatrate')).toBe(3);
    expect(valueLookup(doc, VALUE_MAP_NAMES.sourceForLocation)('100001')).toBe('ny');
    expect(doc.options).toMatchObject({ trackingNumberField: 'tracking', shippingCarrierField: 'carrier' });
    // Default coverage of the payment map (issue 7).
    const defaults = valueLookup(layerSettings(defaultMappingDocument(), await loadConnectorSettings(h.platform.state)), VALUE_MAP_NAMES.paymentTypeForMethod);
    for (const code of ['checkmo', 'banktransfer', 'cashondelivery', 'purchaseorder', 'free', 'paypal_express', 'braintree', 'unknown_method']) expect(defaults(code)).toBeDefined();
    expect(magentoTime(Date.UTC(2026, 0, 5, 10, 0, 1))).toBe('2026-01-05 10:00:01');
  });
});

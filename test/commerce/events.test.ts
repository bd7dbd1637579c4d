/** CloudEvent parsing: envelope, namespaced types, DB-typed strings coerced to numbers, bad input named. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CommerceEventError, commerceEventName, dbNumber, parseCommerceEvent } from '../../lib/commerce/events';

const orderEvent = {
  specversion: '1.0',
  id: '6b0d2c1e-0000-4000-8000-000000000001',
  source: 'urn:uuid:provider',
  type: 'com.adobe.commerce.observer.sales_order_save_commit_after',
  datacontenttype: 'application/json',
  time: '2026-01-05T10:00:01.123Z',
  eventid: 'e1c00000-0000-4000-8000-000000000002',
  event_id: 'e1c00000-0000-4000-8000-000000000002',
  recipientclientid: 'client',
  recipient_client_id: 'client',
  data: {
    key: 'k',
    value: {
      entity_id: '42',
      increment_id: '000000042',
      real_order_id: '000000042',
      state: 'processing',
      status: 'processing',
      customer_email: 'jdoe@example.com',
      customer_is_guest: '0',
      grand_total: '165.0000',
      created_at: '2026-01-05 09:59:58',
      updated_at: '2026-01-05 10:00:00',
      items: [{ item_id: '77', sku: 'WS12-M-Orange', qty_ordered: '1.0000', parent_item_id: null }],
    },
    source: 'acme.production',
    _metadata: { commerceEdition: 'Adobe Commerce', commerceVersion: '2.4.8', eventsClientVersion: '1.12.1', storeId: '1', websiteId: '1', storeGroupId: '1' },
  },
  // Runtime merges default inputs into params; they must not get in the way.
  LOG_LEVEL: 'info',
};

describe('parseCommerceEvent', () => {
  it('parses an order event and coerces DB-typed strings', () => {
    const parsed = parseCommerceEvent(orderEvent);
    expect(parsed.kind).toBe('order');
    if (parsed.kind !== 'order') throw new Error('kind');
    expect(parsed.value.entity_id).toBe(42);
    expect(parsed.value.grand_total).toBe(165);
    expect(parsed.value.customer_is_guest).toBe(0);
    expect(parsed.value.items?.[0]).toMatchObject({ item_id: 77, qty_ordered: 1, sku: 'WS12-M-Orange' });
    expect(parsed.value.items?.[0]?.parent_item_id).toBeUndefined();
    expect(parsed.event.eventid).toBe('e1c00000-0000-4000-8000-000000000002');
    expect(parsed.event.data._metadata?.storeId).toBe('1');
  });

  it('falls back to event_id, then id, for the event id', () => {
    const { eventid: _a, ...noNew } = orderEvent;
    expect(parseCommerceEvent(noNew).event.eventid).toBe(orderEvent.event_id);
    const { event_id: _b, ...noIds } = noNew;
    expect(parseCommerceEvent(noIds).event.eventid).toBe(orderEvent.id);
  });

  it('recognises namespaced types (App Management, EVENT_PREFIX) and other kinds', () => {
    expect(commerceEventName('com.adobe.commerce.my_app.observer.customer_save_commit_after')).toBe('observer.customer_save_commit_after');
    expect(commerceEventName('com.adobe.commerce.plugin.magento.sales.api.order_management.place')).toBe('plugin.magento.sales.api.order_management.place');
    expect(commerceEventName('com.adobe.other.observer.x')).toBeUndefined();
    const customer = parseCommerceEvent({ ...orderEvent, type: 'com.adobe.commerce.hcc.observer.customer_save_commit_after', data: { value: { entity_id: '7', email: 'a@b.co', website_id: '1' } } });
    expect(customer).toMatchObject({ kind: 'customer', value: { entity_id: 7, website_id: 1 } });
    const memo = parseCommerceEvent({ ...orderEvent, type: 'com.adobe.commerce.observer.sales_order_creditmemo_save_after', data: { value: { entity_id: '3', order_id: '42', grand_total: '22.5000', items: [{ order_item_id: '77', qty: '1.0000' }] } } });
    expect(memo).toMatchObject({ kind: 'creditmemo', value: { order_id: 42, grand_total: 22.5, items: [{ order_item_id: 77, qty: 1 }] } });
    const gc = parseCommerceEvent({ ...orderEvent, type: 'com.adobe.commerce.observer.magento_giftcardaccount_save_commit_after', data: { value: { giftcardaccount_id: '5', code: 'GC', balance: '12.3400' } } });
    expect(gc).toMatchObject({ kind: 'giftcardaccount', value: { giftcardaccount_id: 5, balance: 12.34 } });
    expect(parseCommerceEvent({ ...orderEvent, type: 'com.adobe.commerce.observer.customer_login' }).kind).toBe('other');
  });

  it('names the bad field', () => {
    expect(() => parseCommerceEvent({ ...orderEvent, data: { value: { entity_id: 'forty-two' } } })).toThrow(/data\.value\.entity_id/);
    expect(() => parseCommerceEvent({ type: 'x' })).toThrow(CommerceEventError);
    expect(() => parseCommerceEvent({ ...orderEvent, type: 'com.example.something' })).toThrow(/not a Commerce event type/);
    expect(() => parseCommerceEvent(null)).toThrow(CommerceEventError);
  });

  it('dbNumber round-trips any decimal Magento writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }), (cents, digits) => {
        const n = cents / 100;
        expect(dbNumber.parse(n.toFixed(digits))).toBeCloseTo(Number(n.toFixed(digits)), 6);
      }),
    );
    expect(dbNumber.safeParse('1e5').success).toBe(false);
    expect(dbNumber.safeParse('').success).toBe(false);
  });
});

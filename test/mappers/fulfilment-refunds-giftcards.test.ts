import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lookupFrom } from '../../lib/commerce/mappers/lookup';
import { orderFromMagento } from '../../lib/commerce/mappers/order';
import { refundFromMagento, refundToMagentoRequest } from '../../lib/commerce/mappers/refund';
import { shipmentToMagento } from '../../lib/commerce/mappers/shipment';
import { giftCardFromMagento, giftCardToMagento, giftCardToMagentoRequest, ledgerEntryToMagentoRequest } from '../../lib/commerce/mappers/gift-card';
import { orderStatusChangeToMagento } from '../../lib/commerce/mappers/order-status';
import { shipmentFromHeartlandInvoice } from '../../lib/heartland/mappers/shipment';
import { refundFromHeartlandReturn, refundToHeartlandReturnRequest } from '../../lib/heartland/mappers/refund';
import { giftCardFromHeartland, giftCardToHeartlandRequest, heartlandGiftCardNumber, ledgerEntryFromHeartlandAdjustment, ledgerEntryToHeartlandRequest } from '../../lib/heartland/mappers/gift-card';
import { DEFAULT_VALUE_MAPS, VALUE_MAP_NAMES } from '../../lib/mapping/defaults/value-maps';
import { RefundInput, ShipOrderInput, GiftCardAccountInput } from '../../lib/commerce/payloads';
import { GiftCardCreate, TicketCreate } from '../../lib/heartland/payloads';
import { buildMagentoOrder } from './magento-order-builder';

const fixture = (system: string, name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${system}/${name}`, import.meta.url), 'utf8'));
const must = <T,>(r: { ok: true; value: T } | { ok: false; issues: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const map = (name: string) => lookupFrom(DEFAULT_VALUE_MAPS[name].entries, DEFAULT_VALUE_MAPS[name].default);

describe('shipments: Heartland invoice → canonical → Magento ship', () => {
  const shipment = must(shipmentFromHeartlandInvoice(fixture('heartland', 'invoice.json'), {
    carrierCodeFor: map(VALUE_MAP_NAMES.carrierCode), carrierTitleFor: map(VALUE_MAP_NAMES.carrierTitle), skuForItem: () => 'WS12-M-Orange', orderExternalId: '000000003',
  }));
  it('reads tracking from the invoice custom fields', () => {
    expect(shipment).toEqual({
      sourceId: '100950', orderSourceId: '100900', orderExternalId: '000000003', locationId: '100005',
      lines: [{ sku: 'WS12-M-Orange', itemId: '100777', qty: 2 }],
      tracks: [{ number: '1Z999AA10123456784', carrier: 'ups', title: 'United Parcel Service' }],
      shippedAt: '2025-03-03T16:00:00+00:00',
    });
  });
  it('builds the commerce.md §2.4 body with the MSI source in arguments', () => {
    const { path, body } = shipmentToMagento(shipment, { orderId: 3, orderItemIdFor: () => 3, sourceForLocation: lookupFrom({ '100005': 'ne_wh' }), notify: true });
    expect(path).toBe('/V1/order/3/ship');
    expect(ShipOrderInput.parse(body)).toEqual({
      items: [{ order_item_id: 3, qty: 2 }], notify: true, appendComment: true,
      comment: { comment: 'Heartland invoice #100950', is_visible_on_front: 0 },
      tracks: [{ track_number: '1Z999AA10123456784', title: 'United Parcel Service', carrier_code: 'ups' }],
      arguments: { extension_attributes: { source_code: 'ne_wh' } },
    });
    expect(Object.keys(body).sort()).toEqual(Object.keys(fixture('commerce', 'ship-order-body.json')).sort());
  });
  it('splits several tracking numbers, uses custom carriers and warns on incomplete invoices', () => {
    const r = shipmentFromHeartlandInvoice({ id: 1, status: 'pending', custom: { tracking_number: '111, 222', shipping_carrier: 'Bob’s Couriers' }, lines: [] }, { carrierCodeFor: map(VALUE_MAP_NAMES.carrierCode) });
    expect(r.ok && r.value.tracks).toEqual([{ number: '111', carrier: 'custom', title: 'Bob’s Couriers' }, { number: '222', carrier: 'custom', title: 'Bob’s Couriers' }]);
    expect(r.ok && r.warnings[0]).toMatch(/not complete/);
    const unknown = shipmentToMagento({ ...shipment, lines: [{ sku: 'X', itemId: '9', qty: 1 }] }, { sourceForLocation: () => undefined });
    expect(unknown.path).toBe('/V1/order/{{commerce.order_id increment_id=000000003}}/ship');
    expect(unknown.body.items).toEqual([{ order_item_id: '{{commerce.order_item_id sku=X}}', qty: 1 }]);
    expect(unknown.body.arguments).toBeUndefined();
  });
});

describe('refunds', () => {
  const order = must(orderFromMagento(fixture('commerce', 'order-rest.json'), { statusMap: map(VALUE_MAP_NAMES.orderStatusFromCommerce) }));
  it('Magento credit memo → canonical → Heartland Return ticket', () => {
    const refund = must(refundFromMagento(fixture('commerce', 'creditmemo.json'), { order }));
    expect(refund).toEqual({
      sourceSystem: 'commerce', sourceId: '7', orderExternalId: '000000003', orderSourceId: '3',
      lines: [{ sku: 'WS12-M-Orange', itemId: null, sourceLineId: '3', qty: 1, unitPrice: 22, tax: 0 }],
      shipping: 5, adjustment: 0, tax: 0, total: 27, returnToStock: true, createdAt: '2017-08-25T10:00:00.000Z',
    });
    const request = refundToHeartlandReturnRequest(refund, { stationId: 100070, sourceLocationId: 100005, parentInvoiceId: 100950, itemIdFor: () => 100777, paymentTypeFor: lookupFrom({ banktransfer: 100010 }), paymentMethod: 'banktransfer' });
    expect(request).toMatchObject({ method: 'POST', path: '/sales/tickets' });
    expect(TicketCreate.parse(request.body)).toMatchObject({
      type: 'Return', station_id: 100070, parent_transaction_id: 100950, affect_inventory: true,
      item_lines: [{ type: 'ItemLine', item_id: 100777, qty: -1, unit_price: 22 }], tax_lines: [],
      payments: [{ type: 'CustomPayment', payment_type_id: 100010, amount: -27 }],
      custom: { magento_creditmemo_id: '7', refunded_shipping: 5 },
    });
  });
  it('round-trips a credit memo through the Return ticket it becomes', () => {
    const refund = must(refundFromMagento({ ...fixture('commerce', 'creditmemo.json'), tax_amount: 1.76, grand_total: 28.76, items: [{ order_item_id: 3, sku: 'WS12-M-Orange', qty: 1, price: 22, tax_amount: 1.76 }] }, { order }));
    const request = refundToHeartlandReturnRequest(refund, { stationId: 1, sourceLocationId: 2, parentInvoiceId: 100950, itemIdFor: () => 100777, paymentTypeFor: () => 100010 });
    const body = TicketCreate.parse(request.body);
    const ticket = { ...body, id: 101400, payments: body.payments?.map((p, i) => ({ ...p, id: 9 + i })), lines: [...(body.item_lines ?? []), ...(body.tax_lines ?? [])].map((l, i) => ({ ...l, id: 1 + i })) };
    const back = must(refundFromHeartlandReturn(ticket, { skuForItem: () => 'WS12-M-Orange', orderExternalId: '000000003' }));
    expect(back).toMatchObject({ lines: [{ sku: 'WS12-M-Orange', qty: 1, unitPrice: 22 }], tax: 1.76, shipping: 5, total: 28.76, adjustment: 0, returnToStock: true, orderSourceId: '100950' });
  });

  it('folds a configurable credit memo (parent and child both listed) onto one line', () => {
    const cfg = must(orderFromMagento(buildMagentoOrder({ items: [{ kind: 'configurable', sku: 'TEE', childSku: 'TEE-M', qty: 2, price: 20 }] }), { statusMap: map(VALUE_MAP_NAMES.orderStatusFromCommerce) }));
    const memo = { entity_id: 8, order_id: 9, grand_total: 20, items: [{ order_item_id: 100, sku: 'TEE-M', qty: 1, price: 20 }, { order_item_id: 101, sku: 'TEE-M', qty: 1, price: 0 }] };
    expect(must(refundFromMagento(memo, { order: cfg })).lines).toEqual([{ sku: 'TEE-M', itemId: null, sourceLineId: '100', qty: 1, unitPrice: 20, tax: 0 }]);
    expect(must(refundFromMagento(memo)).lines).toEqual([{ sku: 'TEE-M', itemId: null, sourceLineId: '100', qty: 1, unitPrice: 20, tax: 0 }]);
  });
  it('Heartland Return ticket → canonical → Magento offline credit memo (commerce.md §2.6 shape)', () => {
    const refund = must(refundFromHeartlandReturn(fixture('heartland', 'return-ticket.json'), { skuForItem: () => 'WS12-M-Orange', orderExternalId: '000000003' }));
    expect(refund).toMatchObject({ sourceSystem: 'heartland', sourceId: '101300', orderSourceId: '100950', lines: [{ sku: 'WS12-M-Orange', itemId: '100777', qty: 1, unitPrice: 50 }], tax: 3.72, total: 53.72, adjustment: 0, shipping: 0 });
    const request = refundToMagentoRequest(refund, { orderId: 3, orderItemIdFor: () => 3 });
    expect(request.path).toBe('/V1/order/3/refund');
    const body = RefundInput.parse(request.body);
    expect(body).toEqual({
      items: [{ order_item_id: 3, qty: 1 }], notify: false, appendComment: true, comment: { comment: 'Heartland return #101300', is_visible_on_front: 0 },
      arguments: { shipping_amount: 0, adjustment_positive: 0, adjustment_negative: 0, extension_attributes: { return_to_stock_items: [3] } },
    });
    expect(Object.keys(body.arguments!).sort()).toEqual(Object.keys(fixture('commerce', 'refund-order-body.json').arguments).sort());
  });
  it('rejects a ticket that is not a Return', () => {
    expect(refundFromHeartlandReturn({ id: 1, type: 'Ticket', status: 'complete' })).toEqual({ ok: false, issues: [{ path: 'type', message: 'expected a "Return" ticket, got "Ticket"' }] });
  });
});

describe('gift cards', () => {
  it('Magento account (commerce.md §2.12) → canonical → Heartland card with an alphanumeric number', () => {
    const card = must(giftCardFromMagento(fixture('commerce', 'giftcard-account.json')));
    expect(card).toEqual({ code: 'GIFT-1234-ABCD', balance: 100, state: 'active', expiresAt: '2027-12-31', sourceSystem: 'commerce', sourceId: '42' });
    const request = giftCardToHeartlandRequest(card);
    expect(GiftCardCreate.parse(request.body)).toEqual({ number: 'GIFT1234ABCD', balance: 100 });
    expect(heartlandGiftCardNumber('ab-12 cd')).toBe('AB12CD');
  });
  it('Heartland card (heartland.md §3.8) → canonical → Magento account, round trip', () => {
    const card = must(giftCardFromHeartland(fixture('heartland', 'gift-card.json')));
    expect(card).toMatchObject({ code: 'GC12345328598', balance: 150.25, state: 'active', sourceSystem: 'heartland' });
    const body = giftCardToMagento(card);
    expect(GiftCardAccountInput.parse(body.giftcardAccount)).toEqual({ code: 'GC12345328598', balance: 150.25, status: 1, state: 0, is_redeemable: 1, date_expires: null });
    const back = must(giftCardFromMagento({ ...body.giftcardAccount, account_id: 5 }));
    expect({ ...back, sourceSystem: 'heartland', sourceId: card.sourceId }).toEqual(card);
    expect(giftCardToMagentoRequest(card, { accountId: 5 })).toMatchObject({ method: 'PUT', path: '/V1/giftcardaccounts/5' });
  });
  it('moves balances as ledger deltas', () => {
    const entry = must(ledgerEntryFromHeartlandAdjustment({ id: 77, gift_card_id: 100300, delta_balance: -10.5, created_at: '2025-03-01T00:00:00Z' }, 'GC1'));
    expect(entry).toEqual({ code: 'GC1', delta: -10.5, sourceSystem: 'heartland', sourceTransactionId: 'heartland-adjustment-77', occurredAt: '2025-03-01T00:00:00Z', reason: null });
    expect(ledgerEntryToMagentoRequest(entry, { accountId: 5, currentBalance: 20 })).toEqual({ method: 'PUT', path: '/V1/giftcardaccounts/5', body: { giftcardAccount: { balance: 9.5 } } });
    expect(() => ledgerEntryToMagentoRequest(entry, { accountId: 5, currentBalance: 3 })).toThrow(/below 0/);
    expect(ledgerEntryToHeartlandRequest({ ...entry, delta: 4 }, { giftCardId: 100300, reasonId: 3 })).toEqual({ method: 'POST', path: '/gift_card/adjustments', body: { gift_card_id: 100300, delta_balance: 4, reason_id: 3 } });
  });
});

describe('order status back to Magento', () => {
  it('cancels and holds through their endpoints, records other statuses as a comment', () => {
    const opts = { comment: 'Heartland order #100900 closed', statusMap: map(VALUE_MAP_NAMES.orderStatusToCommerce) };
    expect(orderStatusChangeToMagento(3, 'canceled', opts).map((r) => r.path)).toEqual(['/V1/orders/3/cancel', '/V1/orders/3/comments']);
    expect(orderStatusChangeToMagento(3, 'on_hold', opts).map((r) => r.path)).toEqual(['/V1/orders/3/hold', '/V1/orders/3/comments']);
    expect(orderStatusChangeToMagento(3, 'complete', opts)).toEqual([
      { method: 'POST', path: '/V1/orders/3/comments', body: { statusHistory: { comment: 'Heartland order #100900 closed', is_customer_notified: 0, is_visible_on_front: 0, status: 'complete' } } },
    ]);
  });
});

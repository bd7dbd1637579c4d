import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnit } from '../../../lib/sync';
import { DEFAULT_CONNECTOR_SETTINGS, parseConnectorSettings } from '../../../lib/config/connector-settings';
import { parseCommerceEvent } from '../../../lib/commerce/events';
import { createLedger, giftCardFlow, giftCardOrderFlow, GIFT_CARD_ORDER_FLOW, giftCardsArea } from '../../../lib/flows/gift-cards';
import { heartlandGiftCardsFeed } from '../../../lib/flows/gift-cards/feeds';
import { pollFeed } from '../../../lib/sync';
import { startHarness, type Harness } from '../customers/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ flows: [giftCardFlow, giftCardOrderFlow], feeds: [heartlandGiftCardsFeed] });
});
afterAll(async () => h?.close());

const cloudEvent = (name: string, value: Record<string, unknown>, id = `ev-${Math.random()}`) =>
  parseCommerceEvent({ id, type: `com.adobe.commerce.${name}`, data: { value } });
const ctx = () => ({ deps: h.deps, settings: DEFAULT_CONNECTOR_SETTINGS });

describe('gift cards area', () => {
  it('turns account saves, gift-card orders and Heartland hints into units; ignores the rest', async () => {
    expect(await giftCardsArea.unitsForCommerceEvent!(cloudEvent('observer.magento_giftcardaccount_save_commit_after', { code: 'GIFT-1', balance: '5.0000' }, 'e1'), ctx())).toEqual([
      { flow: 'gift-card', key: 'GIFT-1', trigger: 'event', eventId: 'e1' },
    ]);
    expect(await giftCardsArea.unitsForCommerceEvent!(cloudEvent('observer.sales_order_save_commit_after', { entity_id: '42', gift_cards_amount: '10.0000' }, 'e2'), ctx())).toEqual([
      { flow: GIFT_CARD_ORDER_FLOW, key: '42', trigger: 'event', eventId: 'e2' },
    ]);
    expect(await giftCardsArea.unitsForCommerceEvent!(cloudEvent('observer.sales_order_save_commit_after', { entity_id: '43', gift_cards_amount: '0.0000' }), ctx())).toEqual([]);
    const off = { deps: h.deps, settings: parseConnectorSettings({ giftCards: { enabled: false } }) };
    expect(await giftCardsArea.unitsForCommerceEvent!(cloudEvent('observer.magento_giftcardaccount_save_commit_after', { code: 'GIFT-1' }), off)).toEqual([]);
    expect(
      await giftCardsArea.unitsForHeartlandNotification!({ event: 'gift_card.updated', resource_type: 'gift_card', resource_id: 100300, occurred_at: '2026-01-01T00:00:00Z', number: 'GC9' }, ctx()),
    ).toEqual([{ flow: 'gift-card', key: 'GC9', trigger: 'event', eventId: 'gift_card.updated:100300:2026-01-01T00:00:00Z' }]);
    expect(await giftCardsArea.handleHeartlandWebhook!('notification', {}, ctx())).toBeUndefined();
  });

  it('answers payment webhooks through the area hook with the pipeline clients', async () => {
    await h.commerce.giftCards.create({ code: 'AREA-GIFT-1', balance: 12 });
    expect(await giftCardsArea.handleHeartlandWebhook!('payment/check-balance', { number: 'AREA-GIFT-1' }, ctx())).toEqual({ status: 200, body: { balance: 12 } });
  });

  it('a Magento order paid partly by gift card becomes one ledger entry and one Heartland adjustment, however often it is delivered', async () => {
    await h.commerce.giftCards.create({ code: 'ORDER-GIFT-1', balance: 30 });
    await runUnit(giftCardFlow, { flow: 'gift-card', key: 'ORDER-GIFT-1', trigger: 'manual' }, h.deps); // mirrored into Heartland
    expect((await h.hl.giftCards.get('ORDERGIFT1'))?.balance).toBe(30);
    const placed = await h.magentoApi('POST', 'orders', {
      entity: {
        state: 'processing', status: 'processing', customer_email: 'g@example.com', customer_is_guest: 1, grand_total: 5, base_grand_total: 5,
        items: [{ sku: 'GIFTED-1', qty_ordered: 1, price: 17, row_total: 17, product_type: 'simple' }],
        billing_address: { address_type: 'billing', firstname: 'G', lastname: 'C', street: ['1 A St'], city: 'Austin', region_code: 'TX', postcode: '73301', country_id: 'US', telephone: '5125550100', email: 'g@example.com' },
        payment: { method: 'checkmo', amount_ordered: 5 },
        extension_attributes: { gift_cards: [{ id: 1, code: 'ORDER-GIFT-1', amount: 12 }], gift_cards_amount: 12 },
      },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(200);
    const orderId = String(placed.body.entity_id);
    for (let i = 0; i < 3; i++) {
      const outcome = await runUnit(giftCardOrderFlow, { flow: GIFT_CARD_ORDER_FLOW, key: orderId, trigger: 'event', eventId: `order-ev-${i}` }, h.deps);
      expect(['done', 'skipped']).toContain(outcome.outcome);
    }
    const view = await createLedger(h.platform.state).read('ORDERGIFT1');
    expect(view.entries.map((e) => [e.txId, e.delta])).toEqual([[`commerce-order-${placed.body.increment_id}`, -12]]);
    expect((await h.hl.giftCards.get('ORDERGIFT1'))?.balance).toBe(18);
    expect((await h.commerce.giftCards.findByCode('ORDER-GIFT-1'))?.balance).toBe(18);
  });

  it('an order on a card the connector never saw: Magento already spent it, Heartland gets it once', async () => {
    // Magento's checkout lowered the account from 50 to 40; the same card sits in Heartland at 50.
    await h.commerce.giftCards.create({ code: 'FRESH-GIFT-1', balance: 40 });
    expect((await h.heartlandApi('POST', 'gift_cards', { number: 'FRESHGIFT1', balance: 50 })).status).toBe(201);
    const placed = await h.magentoApi('POST', 'orders', {
      entity: {
        state: 'processing', status: 'processing', customer_email: 'f@example.com', customer_is_guest: 1, grand_total: 0, base_grand_total: 0,
        items: [{ sku: 'GIFTED-2', qty_ordered: 1, price: 10, row_total: 10, product_type: 'simple' }],
        billing_address: { address_type: 'billing', firstname: 'F', lastname: 'G', street: ['1 A St'], city: 'Austin', region_code: 'TX', postcode: '73301', country_id: 'US', telephone: '5125550100', email: 'f@example.com' },
        payment: { method: 'free', amount_ordered: 0 },
        extension_attributes: { gift_cards: [{ id: 2, code: 'FRESH-GIFT-1', amount: 10 }], gift_cards_amount: 10 },
      },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(200);
    expect(await runUnit(giftCardOrderFlow, { flow: GIFT_CARD_ORDER_FLOW, key: String(placed.body.entity_id), trigger: 'poll' }, h.deps)).toMatchObject({ outcome: 'done' });
    expect((await h.hl.giftCards.get('FRESHGIFT1'))?.balance).toBe(40);
    expect((await h.commerce.giftCards.findByCode('FRESH-GIFT-1'))?.balance).toBe(40);
  });

  it('the Heartland gift cards feed picks up POS redemptions after its first poll', async () => {
    const first = await pollFeed(heartlandGiftCardsFeed, h.deps, Date.now() + 10_000);
    expect(first.units).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    const created = await h.heartlandApi('POST', 'gift_cards', { number: 'FEEDGC1', balance: 25 });
    expect(created.status).toBe(201);
    const second = await pollFeed(heartlandGiftCardsFeed, h.deps, Date.now() + 10_000);
    expect(second.outcomes.done).toBeGreaterThanOrEqual(1);
    expect((await h.commerce.giftCards.findByCode('FEEDGC1'))?.balance).toBe(25);
  });
});

/**
 * The gift cards area (issue 9): Heartland gift cards ↔ Magento gift card accounts as a ledger of
 * deltas, and Heartland's custom payment webhooks for a "Magento gift card" payment type.
 * Registered in lib/connector/areas.ts.
 */
import { defineArea } from '../area';
import { createLedger } from './ledger';
import { heartlandGiftCardsFeed } from './feeds';
import { GIFT_CARD_FLOW, GIFT_CARD_ORDER_FLOW, giftCardFlow, giftCardOrderFlow } from './flows';
import { commerceSide, heartlandSide } from './sides';
import { handleGiftCardWebhook } from './webhook';
import { createClientAccessor } from '../../sync/clients';
import { breakersOf } from '../../sync/task-context';

export { reconcileGiftCard, cardKey, commerceProjection, type ReconcileResult } from './reconcile';
export { handleGiftCardWebhook, giftCardWebhookKind, GIFT_CARD_WEBHOOK_KINDS } from './webhook';
export { createLedger, type LedgerEntry, type LedgerView } from './ledger';
export { giftCardFlow, giftCardOrderFlow, GIFT_CARD_FLOW, GIFT_CARD_ORDER_FLOW } from './flows';
export { HEARTLAND_GIFT_CARDS_FEED } from './feeds';
export { NOT_SUPPORTED_MESSAGE, GiftCardsUnsupportedError } from './sides';

function positive(value: unknown): boolean {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0;
}

export const giftCardsArea = defineArea({
  name: 'gift-cards',
  flows: [giftCardFlow, giftCardOrderFlow],
  feeds: [heartlandGiftCardsFeed],
  unitsForCommerceEvent(event, { settings }) {
    if (!settings.giftCards.enabled) return [];
    if (event.kind === 'giftcardaccount' && event.value.code) {
      return [{ flow: GIFT_CARD_FLOW, key: event.value.code, trigger: 'event', eventId: event.event.id }];
    }
    if (event.kind === 'order') {
      // ASSUMED: the order subscription includes `gift_cards_amount` (Adobe Commerce order column);
      // without it an order paid by gift card is still caught when its card's account is saved.
      const value = event.value as Record<string, unknown>;
      const id = value.entity_id;
      if (id !== undefined && id !== null && (positive(value.gift_cards_amount) || positive(value.base_gift_cards_amount))) {
        return [{ flow: GIFT_CARD_ORDER_FLOW, key: String(id), trigger: 'event', eventId: event.event.id }];
      }
    }
    return [];
  },
  unitsForHeartlandNotification(notification, { settings }) {
    if (!settings.giftCards.enabled || notification.event !== 'gift_card.updated') return [];
    // Heartland addresses gift cards by number (§3.8); the notification's `number` is ASSUMED context.
    const number = typeof notification.number === 'string' && notification.number ? notification.number : String(notification.resource_id);
    return [{ flow: GIFT_CARD_FLOW, key: number, trigger: 'event', eventId: `${notification.event}:${notification.resource_id}:${notification.occurred_at}` }];
  },
  async handleHeartlandWebhook(kind, body, { deps, settings }) {
    const correlationId = `gift-card-webhook-${deps.platform.clock.now()}`;
    const client = createClientAccessor({
      factories: deps.clients,
      breakers: breakersOf(deps),
      correlationId,
      logger: deps.platform.logger.child({ correlationId, area: 'gift-cards' }),
      declared: ['heartland', 'commerce'],
      owner: 'gift card payment webhook',
    });
    return handleGiftCardWebhook(kind, body, {
      sides: { heartland: heartlandSide(client('heartland')), commerce: commerceSide(client('commerce')) },
      ledger: createLedger(deps.platform.state),
      clock: deps.platform.clock,
      enabled: settings.giftCards.enabled,
    });
  },
});

/**
 * Gift-card units of work:
 * - `gift-card` (key: card code): reconcile one card on both sides from its ledger. Triggered by
 *   Magento gift card account saves, Heartland `gift_card.updated` hints and the Heartland gift
 *   cards feed. Direction is nominal (the card moves both ways); the unit lease serialises passes.
 * - `gift-card-order` (key: Magento order id): a Magento order paid partly with gift cards becomes
 *   one ledger entry per card (`commerce-order-<increment_id>`), then each card is reconciled.
 */
import { loadConnectorSettings } from '../../config/connector-settings';
import type { Order } from '../../commerce/payloads';
import { defineFlow, type FlowContext } from '../../sync';
import { createLedger } from './ledger';
import { cardKey, reconcileGiftCard, type ReconcileResult } from './reconcile';
import { commerceSide, GiftCardsUnsupportedError, heartlandSide, NOT_SUPPORTED_MESSAGE, type GiftCardSides } from './sides';

export const GIFT_CARD_FLOW = 'gift-card';
export const GIFT_CARD_ORDER_FLOW = 'gift-card-order';
export const GIFT_CARD_ENTITY = 'gift-card';

export function sidesFor(ctx: Pick<FlowContext, 'client'>): GiftCardSides {
  return { heartland: heartlandSide(ctx.client('heartland')), commerce: commerceSide(ctx.client('commerce')) };
}

/** Filter shared by both flows: off in settings, or a store without gift card accounts (reported, not failed). */
async function giftCardsUnavailable(ctx: FlowContext, code: string | undefined): Promise<string | undefined> {
  const settings = await loadConnectorSettings(ctx.state);
  if (!settings.giftCards.enabled) return 'gift card sync is switched off (settings.giftCards.enabled)';
  try {
    await sidesFor(ctx).commerce.get(code ?? 'connector-support-probe');
  } catch (err) {
    if (err instanceof GiftCardsUnsupportedError) return NOT_SUPPORTED_MESSAGE;
    throw err;
  }
  return undefined;
}

function outcomeTarget(result: ReconcileResult): string {
  return result.commerce ? String(result.commerce.accountId) : result.heartland ? `heartland:${result.heartland.cardId}` : result.card;
}

export const giftCardFlow = defineFlow<{ code: string }, { code: string; card: string }>({
  name: GIFT_CARD_FLOW,
  entity: GIFT_CARD_ENTITY,
  direction: 'heartland-to-commerce',
  upstreams: ['heartland', 'commerce'],
  load: async (unit) => ({ code: unit.key }),
  version: () => undefined,
  filter: (source, ctx) => giftCardsUnavailable(ctx, source.code),
  map: (source) => {
    const card = cardKey(source.code);
    if (!card) throw new GiftCardKeyError(source.code);
    return { code: source.code, card };
  },
  async write(mapped, ctx) {
    const result = await reconcileGiftCard({ code: mapped.code, sides: sidesFor(ctx), ledger: createLedger(ctx.state), clock: ctx.clock, files: ctx.files, state: ctx.state });
    ctx.logger.info('gift card reconciled', { card: result.card, recorded: result.recorded, posted: result.postedToHeartland, commerceWritten: result.commerceWritten, created: result.created });
    const changed = result.created || result.commerceWritten || result.postedToHeartland.length || result.recorded.length;
    return { targetId: outcomeTarget(result), action: result.created ? 'created' : changed ? 'updated' : 'unchanged' };
  },
});

class GiftCardKeyError extends Error {
  constructor(code: string) {
    super(`gift card code ${JSON.stringify(code)} has no letters or digits`);
    this.name = 'GiftCardKeyError';
  }
}

interface OrderGiftCards {
  order: Order;
  cards: Array<{ code: string; amount: number }>;
}

export const giftCardOrderFlow = defineFlow<OrderGiftCards, OrderGiftCards>({
  name: GIFT_CARD_ORDER_FLOW,
  entity: 'gift-card-order',
  direction: 'commerce-to-heartland',
  upstreams: ['commerce', 'heartland'],
  async load(unit, ctx) {
    const id = Number(unit.key);
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const order = await ctx.client('commerce').orders.find(id);
    if (!order) return undefined;
    const cards = (order.extension_attributes?.gift_cards ?? []).map((g) => ({ code: g.code, amount: g.amount })).filter((g) => g.amount > 0);
    return { order, cards };
  },
  version: () => undefined,
  filter: async (source, ctx) => (source.cards.length === 0 ? 'the order used no gift card' : giftCardsUnavailable(ctx, source.cards[0].code)),
  map: (source) => source,
  async write(mapped, ctx) {
    const ledger = createLedger(ctx.state);
    const sides = sidesFor(ctx);
    const reference = mapped.order.increment_id ?? String(mapped.order.entity_id);
    for (const { code, amount } of mapped.cards) {
      const card = cardKey(code);
      await ledger.record({ card, txId: `commerce-order-${reference}`, delta: -amount, origin: 'commerce', reason: `Magento order ${reference}`, recordedAt: new Date(ctx.clock.now()).toISOString() });
      await reconcileGiftCard({ code, sides, ledger, clock: ctx.clock, files: ctx.files, state: ctx.state });
    }
    return { targetId: mapped.cards.map((c) => cardKey(c.code)).join(','), action: 'updated' };
  },
});

/**
 * Heartland gift cards changed since the cursor (`updated_at` moves with every adjustment, POS
 * redemptions included): the safety net under the ASSUMED `gift_card.updated` notification.
 * Magento gift card accounts carry no `updated_at`, so the Magento side arrives by account-save
 * and order events; each pass over a card reconciles both sides anyway.
 */
import { defineFeed, type FeedPage } from '../../sync';
import { GIFT_CARD_FLOW } from './flows';

export const HEARTLAND_GIFT_CARDS_FEED = 'gift-cards-heartland';
const PAGE_SIZE = 100;
/** Heartland stamps whole seconds: overlap the window so a same-second change is not missed. */
const OVERLAP_MS = 1000;

interface Cursor {
  since: string;
  afterId?: number;
  max?: string;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

export const heartlandGiftCardsFeed = defineFeed({
  name: HEARTLAND_GIFT_CARDS_FEED,
  async poll(cursor, ctx): Promise<FeedPage> {
    let at: Cursor | undefined;
    try {
      at = cursor ? (JSON.parse(cursor) as Cursor) : undefined;
    } catch {
      at = undefined;
    }
    if (!at) return { units: [], nextCursor: JSON.stringify({ since: new Date(ctx.clock.now() - OVERLAP_MS).toISOString() }) };
    const units: FeedPage['units'] = [];
    let lastId = at.afterId;
    let max = at.max;
    const updatedAfter = new Date(Date.parse(at.since) - OVERLAP_MS).toISOString();
    for await (const card of ctx.client('heartland').giftCards.iterate({ updatedAfter, afterId: at.afterId, perPage: PAGE_SIZE })) {
      units.push({ flow: GIFT_CARD_FLOW, key: card.number });
      lastId = card.id;
      max = later(max, card.updated_at ?? undefined);
      if (units.length >= PAGE_SIZE) break;
    }
    const full = units.length >= PAGE_SIZE;
    const next: Cursor = full ? { since: at.since, afterId: lastId, max } : { since: later(at.since, max) ?? at.since };
    return { units, nextCursor: JSON.stringify(next), more: full };
  },
});

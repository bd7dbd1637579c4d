/**
 * The products area: Heartland items → Magento simple products (issue 8). Triggers: the
 * `products` feed (items by `updated_at`, the safety net) and `item.created|updated` hints
 * (ASSUMED notification format, sandbox/heartland/README.md). The `held-price-changes` feed writes
 * price changes a person approved on the Anomalies page (price-hold.ts).
 */
import { defineArea } from '../area';
import { defineFeed, type UnitInput } from '../../sync';
import type { EventNotification } from '../../heartland/payloads';
import { Item } from '../../heartland/payloads';
import { PRODUCT_FLOW, productFlow } from './product-flow';
import { heldPriceChangesFeed } from './price-hold';

export { productFlow, PRODUCT_FLOW, productUnchanged } from './product-flow';
export {
  releaseHeldPriceChange,
  heldPriceChangesFeed,
  proposedPriceChanges,
  priceDecisionKey,
  PRICE_HOLDS_KEY,
  HELD_PRICE_CHANGES_FEED,
  type PriceDecision,
  type PriceReleaseResult,
} from './price-hold';

const PAGE = 100;

/** Cursor `<updated_at>|<id>`: items ordered by (updated_at, id), so equal timestamps are never skipped. */
export function parseProductCursor(cursor: string | undefined): { updatedAt: string; id: number } | undefined {
  if (!cursor) return undefined;
  const at = cursor.lastIndexOf('|');
  return at > 0 ? { updatedAt: cursor.slice(0, at), id: Number(cursor.slice(at + 1)) || 0 } : undefined;
}

export const productsFeed = defineFeed({
  name: 'products',
  async poll(cursor, ctx) {
    const from = parseProductCursor(cursor);
    const filter = from
      ? { $or: [{ updated_at: { $gt: from.updatedAt } }, { $and: [{ updated_at: from.updatedAt }, { id: { $gt: from.id } }] }] }
      : undefined;
    const page = await ctx.client('heartland').page('items', Item, { filter, sort: ['updated_at', 'id'], perPage: PAGE, page: 1 });
    const items = page.results;
    const last = items[items.length - 1];
    return {
      units: items.map((item) => ({ flow: PRODUCT_FLOW, key: String(item.id), version: item.updated_at ?? undefined })),
      nextCursor: last ? `${last.updated_at}|${last.id}` : (cursor ?? ''),
      more: items.length === PAGE,
    };
  },
});

export function unitsForItemHint(notification: EventNotification): UnitInput[] {
  if (notification.event !== 'item.created' && notification.event !== 'item.updated') return [];
  const id = Number(notification.resource_id);
  if (!Number.isInteger(id) || id <= 0) return [];
  return [{ flow: PRODUCT_FLOW, key: String(id), trigger: 'event', eventId: `${notification.event}-${id}-${notification.occurred_at}` }];
}

export const productsArea = defineArea({
  name: 'products',
  flows: [productFlow],
  feeds: [productsFeed, heldPriceChangesFeed],
  unitsForHeartlandNotification: (notification) => unitsForItemHint(notification),
});

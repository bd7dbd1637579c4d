/**
 * Polling feeds for customers, the safety net under Commerce events and the ASSUMED Heartland
 * notifications (DESIGN.md §1.1): changes by `updated_at`. The first poll starts at "now" rather
 * than replaying every customer ever created; an initial backfill is a separate, deliberate act.
 * Windows overlap by a second because both systems stamp whole seconds; the pipeline's stale and
 * identical-redelivery guards make the overlap free.
 */
import { searchCriteria } from '../../commerce/client';
import { defineFeed, type FeedPage } from '../../sync';
import { CUSTOMER_TO_COMMERCE } from './to-commerce';
import { CUSTOMER_TO_HEARTLAND } from './to-heartland';

export const COMMERCE_CUSTOMERS_FEED = 'customers-commerce';
export const HEARTLAND_CUSTOMERS_FEED = 'customers-heartland';

const PAGE_SIZE = 100;
const OVERLAP_MS = 1000;

interface CommerceCursor {
  /** Magento time (`YYYY-MM-DD HH:MM:SS`, UTC). */
  since: string;
  page: number;
}

interface HeartlandCursor {
  /** ISO time of the newest change handled. */
  since: string;
  /** Keyset position inside the current window when it spans several pages. */
  afterId?: number;
  max?: string;
}

function parseCursor<T>(cursor: string | undefined): T | undefined {
  if (!cursor) return undefined;
  try {
    return JSON.parse(cursor) as T;
  } catch {
    return undefined;
  }
}

export function magentoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b.includes('T') ? b : `${b.replace(' ', 'T')}Z`) > Date.parse(a.includes('T') ? a : `${a.replace(' ', 'T')}Z`) ? b : a;
}

export const commerceCustomersFeed = defineFeed({
  name: COMMERCE_CUSTOMERS_FEED,
  async poll(cursor, ctx): Promise<FeedPage> {
    const now = ctx.clock.now();
    const at = parseCursor<CommerceCursor>(cursor);
    if (!at) return { units: [], nextCursor: JSON.stringify({ since: magentoTime(now - OVERLAP_MS), page: 1 } satisfies CommerceCursor) };
    const sinceMs = Date.parse(`${at.since.replace(' ', 'T')}Z`) - OVERLAP_MS;
    const result = await ctx
      .client('commerce')
      .customers.search(searchCriteria().where('updated_at', magentoTime(sinceMs), 'gteq').sortBy('updated_at', 'ASC').page(PAGE_SIZE, at.page));
    const units = result.items.map((c) => ({ flow: CUSTOMER_TO_HEARTLAND, key: String(c.id), version: c.updated_at ?? undefined }));
    const full = result.items.length === PAGE_SIZE;
    const newest = result.items.reduce<string | undefined>((max, c) => laterOf(max, c.updated_at ?? undefined), undefined);
    const next: CommerceCursor = full ? { since: at.since, page: at.page + 1 } : { since: laterOf(at.since, newest) ?? at.since, page: 1 };
    return { units, nextCursor: JSON.stringify(next), more: full };
  },
});

export const heartlandCustomersFeed = defineFeed({
  name: HEARTLAND_CUSTOMERS_FEED,
  async poll(cursor, ctx): Promise<FeedPage> {
    const now = ctx.clock.now();
    const at = parseCursor<HeartlandCursor>(cursor);
    if (!at) return { units: [], nextCursor: JSON.stringify({ since: new Date(now - OVERLAP_MS).toISOString() } satisfies HeartlandCursor) };
    const updatedAfter = new Date(Date.parse(at.since) - OVERLAP_MS).toISOString();
    const units: FeedPage['units'] = [];
    let lastId = at.afterId;
    let max = at.max;
    for await (const c of ctx.client('heartland').customers.iterate({ updatedAfter, afterId: at.afterId, perPage: PAGE_SIZE })) {
      units.push({ flow: CUSTOMER_TO_COMMERCE, key: String(c.id), version: c.updated_at ?? undefined });
      lastId = c.id;
      max = laterOf(max, c.updated_at ?? undefined);
      if (units.length >= PAGE_SIZE) break;
    }
    const full = units.length >= PAGE_SIZE;
    const next: HeartlandCursor = full ? { since: at.since, afterId: lastId, max } : { since: laterOf(at.since, max) ?? at.since };
    return { units, nextCursor: JSON.stringify(next), more: full };
  },
});

/**
 * Polling feeds: the safety net under events and Heartland notifications (DESIGN.md §3), one per
 * source collection the order-to-cash flows read. Each keeps an `updated_at` high-water mark; the
 * units re-read their entity (a Magento page's row is passed along as the poll's payload hint).
 *
 * A first poll starts an hour back rather than at the beginning of time: history is the job of
 * reconciliation, not of a once-a-minute feed.
 */
import { searchCriteria } from '../../commerce/search-criteria';
import { allOf } from '../../heartland/filter';
import * as HP from '../../heartland/payloads';
import { defineFeed, type FeedPage, type TaskContext } from '../../sync';
import { ORDER_FLOW } from './order-flow';
import { HEARTLAND_ORDER_STATUS_FLOW, ORDER_STATUS_FLOW } from './order-status-flows';
import { PAYMENT_FLOW } from './payment-flow';
import { HEARTLAND_RETURN_FLOW, REFUND_FLOW } from './refund-flows';
import { SHIPMENT_FLOW } from './shipment-flow';

const FIRST_LOOK_BACK_MS = 3600_000;
const MAGENTO_PAGE = 50;

/** Magento writes `YYYY-MM-DD HH:MM:SS` in UTC. */
export function magentoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

const later = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : Date.parse(b) > Date.parse(a) ? b : a);

/**
 * Magento collections by `updated_at`, oldest first, then by id. Magento times have one-second
 * granularity, so the cursor is `<updated_at>|<entity id>`: the page is read from the cursor's
 * second (`gteq`, a second change within it must not be missed) and the rows of that second up to
 * the cursor's id are the ones already handled. Nothing changed → no units at all.
 */
export function parseMagentoCursor(cursor: string | undefined): { at: string; id: number } | undefined {
  if (!cursor) return undefined;
  const [at, id] = cursor.split('|');
  return { at, id: Number(id) || 0 };
}

async function magentoPage<T extends { updated_at?: string | null; entity_id: number }>(
  cursor: string | undefined,
  ctx: TaskContext,
  search: (c: ReturnType<typeof searchCriteria>) => Promise<{ items: T[] }>,
  units: (row: T) => FeedPage['units'],
): Promise<FeedPage> {
  const from = parseMagentoCursor(cursor) ?? { at: magentoTime(ctx.clock.now() - FIRST_LOOK_BACK_MS), id: 0 };
  const { items } = await search(searchCriteria().where('updated_at', from.at, 'gteq').sortBy('updated_at', 'ASC').sortBy('entity_id', 'ASC').page(MAGENTO_PAGE, 1));
  const fresh = items.filter((row) => !(row.updated_at === from.at && row.entity_id <= from.id));
  const last = fresh.at(-1);
  const nextCursor = last ? `${last.updated_at ?? from.at}|${last.entity_id}` : `${from.at}|${from.id}`;
  // A full page that ends in the cursor's own second cannot move on: stop instead of looping.
  return { units: fresh.flatMap(units), nextCursor, more: items.length === MAGENTO_PAGE && (last?.updated_at ?? from.at) !== from.at };
}

export const commerceOrdersFeed = defineFeed({
  name: 'commerce-orders',
  poll: (cursor, ctx) =>
    magentoPage(cursor, ctx, (c) => ctx.client('commerce').orders.search(c), (order) => [
      { flow: ORDER_FLOW, key: String(order.entity_id), version: order.updated_at ?? undefined, payloadHint: order },
      { flow: ORDER_STATUS_FLOW, key: String(order.entity_id), version: order.updated_at ?? undefined, payloadHint: order },
    ]),
});

export const commerceInvoicesFeed = defineFeed({
  name: 'commerce-invoices',
  poll: (cursor, ctx) =>
    magentoPage(cursor, ctx, (c) => ctx.client('commerce').invoices.search(c), (invoice) => [{ flow: PAYMENT_FLOW, key: String(invoice.entity_id), version: invoice.updated_at ?? undefined }]),
});

export const commerceCreditMemosFeed = defineFeed({
  name: 'commerce-creditmemos',
  poll: (cursor, ctx) =>
    magentoPage(cursor, ctx, (c) => ctx.client('commerce').creditMemos.search(c), (memo) => [{ flow: REFUND_FLOW, key: String(memo.entity_id), version: memo.updated_at ?? undefined }]),
});

/** Heartland collections changed after the cursor (ISO `updated_at`), read whole: these feeds see few rows a minute. */
async function heartlandChanges<T extends { id: number; updated_at?: string }>(
  cursor: string | undefined,
  ctx: TaskContext,
  path: string,
  schema: import('zod').ZodType<T>,
  filter: Record<string, unknown>,
  unit: (row: T) => FeedPage['units'][number],
): Promise<FeedPage> {
  const from = cursor ?? new Date(ctx.clock.now() - FIRST_LOOK_BACK_MS).toISOString();
  const units: FeedPage['units'] = [];
  let next = from;
  for await (const row of ctx.client('heartland').iterateById(path, schema, { filter: allOf({ updated_at: { $gt: from } }, filter as never) })) {
    units.push(unit(row));
    next = later(next, row.updated_at) ?? next;
  }
  return { units, nextCursor: next };
}

export const heartlandOrdersFeed = defineFeed({
  name: 'heartland-orders',
  // ASSUMED cancel spellings as in the default status map (heartland.md §4 leaves cancel open).
  poll: (cursor, ctx) =>
    heartlandChanges(cursor, ctx, 'sales/orders', HP.SalesOrder, { status: { $in: ['closed', 'canceled', 'cancelled', 'void'] } }, (order) => ({
      flow: HEARTLAND_ORDER_STATUS_FLOW,
      key: String(order.id),
      version: order.updated_at,
      payloadHint: order,
    })),
});

export const heartlandInvoicesFeed = defineFeed({
  name: 'heartland-invoices',
  poll: (cursor, ctx) =>
    heartlandChanges(cursor, ctx, 'sales/invoices', HP.Invoice, { status: 'complete' }, (invoice) => ({ flow: SHIPMENT_FLOW, key: String(invoice.id), version: invoice.updated_at })),
});

export const heartlandReturnsFeed = defineFeed({
  name: 'heartland-returns',
  poll: (cursor, ctx) =>
    heartlandChanges(cursor, ctx, 'sales/tickets', HP.Ticket, { type: 'Return', status: 'complete' }, (ticket) => ({ flow: HEARTLAND_RETURN_FLOW, key: String(ticket.id), version: ticket.updated_at })),
});

export const ORDER_FEEDS = [commerceOrdersFeed, commerceInvoicesFeed, commerceCreditMemosFeed, heartlandOrdersFeed, heartlandInvoicesFeed, heartlandReturnsFeed];

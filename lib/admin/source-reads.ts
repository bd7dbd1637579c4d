/**
 * Bounded reads of sales records from both systems for a date range, shared by the reconciliation
 * report and the channel insights. Every list stops at MAX_RECORDS: a range with more records is
 * a 400 asking for a shorter range, never a silently truncated report.
 */
import type * as CommercePayloads from '../commerce/payloads';
import { magentoTimestamp, searchCriteria, type SearchCriteriaBuilder } from '../commerce/search-criteria';
import type * as HeartlandPayloads from '../heartland/payloads';
import { HttpError } from '../runtime/http-error';
import type { AdminContext } from './context';

export const MAX_RECORDS = 5000;
const PAGE = 100;

async function bounded<T>(rows: AsyncIterable<T>, what: string): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) {
    if (out.length >= MAX_RECORDS) {
      throw new HttpError(400, 'invalid_request', `from: the range holds more than ${MAX_RECORDS} ${what}; choose a shorter range`, 'from');
    }
    out.push(row);
  }
  return out;
}

async function* pages<T>(search: (c: SearchCriteriaBuilder) => Promise<{ items: T[]; total_count: number }>, criteria: () => SearchCriteriaBuilder): AsyncGenerator<T> {
  let seen = 0;
  for (let page = 1; ; page++) {
    const result = await search(criteria().page(PAGE, page));
    yield* result.items;
    seen += result.items.length;
    if (result.items.length < PAGE || seen >= result.total_count) return;
  }
}

export interface MagentoSales {
  orders: CommercePayloads.Order[];
  invoices: CommercePayloads.Invoice[];
  creditMemos: CommercePayloads.CreditMemo[];
}

/** Orders, invoices and credit memos created in [fromMs, toMs). */
export async function readMagentoSales(range: { fromMs: number; toMs: number }, ctx: AdminContext): Promise<MagentoSales> {
  const commerce = ctx.deps.clients!.commerce!({ correlationId: ctx.correlationId, logger: ctx.logger });
  const created = () =>
    searchCriteria().where('created_at', magentoTimestamp(range.fromMs), 'gteq').where('created_at', magentoTimestamp(range.toMs), 'lt').sortBy('entity_id', 'ASC');
  const [orders, invoices, creditMemos] = await Promise.all([
    bounded(pages((c) => commerce.orders.search(c), created), 'Magento orders'),
    bounded(pages((c) => commerce.invoices.search(c), created), 'Magento invoices'),
    bounded(pages((c) => commerce.creditMemos.search(c), created), 'Magento credit memos'),
  ]);
  return { orders, invoices, creditMemos };
}

const iso = (ms: number) => new Date(ms).toISOString();

export interface HeartlandSales {
  orders: HeartlandPayloads.SalesOrder[];
  payments: HeartlandPayloads.Payment[];
  tickets: HeartlandPayloads.Ticket[];
  returns: HeartlandPayloads.Ticket[];
}

/**
 * Heartland sales orders created in the range, the payments on them, and completed tickets and
 * returns. `created_at`/`completed_at` filters use Heartland's `$gte`/`$lt` (heartland.md §2.2).
 */
export async function readHeartlandSales(range: { fromMs: number; toMs: number }, ctx: AdminContext, want: { orders: boolean; tickets: boolean }): Promise<HeartlandSales> {
  const heartland = ctx.deps.clients!.heartland!({ correlationId: ctx.correlationId, logger: ctx.logger });
  const window = { $gte: iso(range.fromMs), $lt: iso(range.toMs) };
  const orders = want.orders ? await bounded(heartland.orders.iterate({ filter: { created_at: window }, perPage: 200 }), 'Heartland orders') : [];
  const payments: HeartlandPayloads.Payment[] = [];
  for (let i = 0; i < orders.length; i += PAGE) {
    const ids = orders.slice(i, i + PAGE).map((o) => o.id);
    payments.push(...(await bounded(heartland.payments.iterate({ filter: { order_id: { $in: ids } }, perPage: 200 }), 'Heartland payments')));
  }
  const tickets = want.tickets ? await bounded(heartland.tickets.iterate({ type: 'Ticket', status: 'complete', includeLines: true, filter: { completed_at: window }, perPage: 200 }), 'Heartland tickets') : [];
  const returns = await bounded(heartland.tickets.iterate({ type: 'Return', includeLines: want.tickets, filter: { created_at: window }, perPage: 200 }), 'Heartland returns');
  return { orders, payments, tickets, returns };
}

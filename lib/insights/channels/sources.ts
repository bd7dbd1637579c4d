/**
 * Reads of the records that make one day's aggregate, and of the records changed since a cursor
 * (what the scheduler feed uses to find the days to recompute). Both systems are read in pages;
 * a day holding more than MAX_DAY_RECORDS of one kind is refused loudly rather than truncated.
 */
import type { CommerceClient } from '../../commerce/client';
import type * as CommercePayloads from '../../commerce/payloads';
import pLimit from 'p-limit';
import { magentoTimestamp, SearchCriteriaBuilder } from '../../commerce/search-criteria';
import type { HeartlandClient } from '../../heartland/client';
import type * as HeartlandPayloads from '../../heartland/payloads';
import type { DaySources } from './day-aggregate';

export const MAX_DAY_RECORDS = 200_000;
const MAGENTO_PAGE = 500;
/**
 * ASSUMED: Heartland serves large pages of tickets (heartland.md §3.6 polls returns with
 * `per_page=all`); big pages keep a busy day to a handful of requests under the 5 requests/s limit.
 */
const HEARTLAND_PAGE = 2500;

export interface InsightClients {
  heartland: HeartlandClient;
  commerce: CommerceClient;
}

export class DayTooLargeError extends Error {
  constructor(what: string, max = MAX_DAY_RECORDS) {
    super(`a day holds more than ${max} ${what}; the insights cannot aggregate it`);
    this.name = 'DayTooLargeError';
  }
}

export const DAY_MS = 86_400_000;
export const dayStart = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** The UTC day of a Magento (`YYYY-MM-DD HH:MM:SS`, UTC) or ISO timestamp. */
export function dayOf(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
}

/** The day a store ticket or return counts on. */
export const ticketDay = (t: HeartlandPayloads.Ticket): string | undefined => dayOf(t.completed_at ?? (t as { created_at?: string }).created_at);

/**
 * Search criteria that also ask Magento for only the fields the aggregation reads (`fields=`,
 * commerce.md §1.6): a day of 10,000 orders is then a few MB instead of every address and
 * payment. `total_count` is named because a projection drops every field it does not name.
 */
class ProjectedCriteria extends SearchCriteriaBuilder {
  constructor(private readonly fields: string) {
    super();
  }
  override toSearchParams(): URLSearchParams {
    const params = super.toSearchParams();
    params.set('fields', `items[${this.fields}],total_count`);
    return params;
  }
}

/** What each kind of record contributes, plus what the client's schemas require. */
const FIELDS = {
  order: 'entity_id,increment_id,customer_email,grand_total,customer_id,state,status,created_at,updated_at,items[item_id,sku,qty_ordered,row_total,discount_amount,parent_item_id]',
  invoice: 'entity_id,order_id,grand_total,state,created_at,updated_at',
  creditMemo: 'entity_id,order_id,grand_total,created_at,updated_at',
};

/**
 * Every page of a search: the first page tells the total, the rest are fetched a few at a time.
 * Stops at total_count because Magento answers a page past the end with the last page again.
 */
async function magentoAll<T>(search: (c: SearchCriteriaBuilder) => Promise<{ items: T[]; total_count: number }>, criteria: () => SearchCriteriaBuilder, what: string, max = MAX_DAY_RECORDS): Promise<T[]> {
  const first = await search(criteria().page(MAGENTO_PAGE, 1));
  if (first.total_count > max) throw new DayTooLargeError(what, max);
  const pages = Math.ceil(first.total_count / MAGENTO_PAGE);
  const limit = pLimit(3);
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => limit(async () => (await search(criteria().page(MAGENTO_PAGE, i + 2))).items)));
  return [first.items, ...rest].flat();
}

async function collect<T>(rows: AsyncIterable<T>, what: string, max = MAX_DAY_RECORDS): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) {
    if (out.length >= max) throw new DayTooLargeError(what, max);
    out.push(row);
  }
  return out;
}

/** Every record that counts on `date` (UTC), from both systems at once. */
export async function readDaySources(date: string, clients: InsightClients): Promise<DaySources> {
  return readWindowSources(dayStart(date), dayStart(date) + DAY_MS, clients, MAX_DAY_RECORDS);
}

/**
 * Every record of the days `from`..`to` (inclusive) in one read per kind, split by the day each
 * counts on: what a span of days nobody has computed yet costs together, instead of five reads a
 * day. Throws DayTooLargeError when one kind holds more than `maxRecords` (read the days one by one).
 */
export async function readSpanSources(from: string, to: string, clients: InsightClients, maxRecords: number): Promise<Map<string, DaySources>> {
  const all = await readWindowSources(dayStart(from), dayStart(to) + DAY_MS, clients, maxRecords);
  const byDay = new Map<string, { orders: CommercePayloads.Order[]; invoices: CommercePayloads.Invoice[]; creditMemos: CommercePayloads.CreditMemo[]; tickets: HeartlandPayloads.Ticket[]; returns: HeartlandPayloads.Ticket[] }>();
  const bucket = (day: string | undefined) => {
    if (!day) return undefined;
    let b = byDay.get(day);
    if (!b) byDay.set(day, (b = { orders: [], invoices: [], creditMemos: [], tickets: [], returns: [] }));
    return b;
  };
  for (const o of all.orders) bucket(dayOf(o.created_at))?.orders.push(o);
  for (const i of all.invoices) bucket(dayOf(i.created_at))?.invoices.push(i);
  for (const m of all.creditMemos) bucket(dayOf(m.created_at))?.creditMemos.push(m);
  for (const t of all.tickets) bucket(ticketDay(t))?.tickets.push(t);
  for (const r of all.returns) bucket(ticketDay(r))?.returns.push(r);
  return byDay;
}

async function readWindowSources(fromMs: number, toMs: number, clients: InsightClients, max: number): Promise<{ orders: CommercePayloads.Order[]; invoices: CommercePayloads.Invoice[]; creditMemos: CommercePayloads.CreditMemo[]; tickets: HeartlandPayloads.Ticket[]; returns: HeartlandPayloads.Ticket[] }> {
  const created = (fields: string) => () =>
    new ProjectedCriteria(fields).where('created_at', magentoTimestamp(fromMs), 'gteq').where('created_at', magentoTimestamp(toMs), 'lt').sortBy('entity_id', 'ASC');
  const window = { completed_at: { $gte: new Date(fromMs).toISOString(), $lt: new Date(toMs).toISOString() } };
  const { commerce, heartland } = clients;
  const [orders, invoices, creditMemos, tickets, returns] = await Promise.all([
    magentoAll<CommercePayloads.Order>((c) => commerce.orders.search(c), created(FIELDS.order), 'Magento orders', max),
    magentoAll<CommercePayloads.Invoice>((c) => commerce.invoices.search(c), created(FIELDS.invoice), 'Magento invoices', max),
    magentoAll<CommercePayloads.CreditMemo>((c) => commerce.creditMemos.search(c), created(FIELDS.creditMemo), 'Magento credit memos', max),
    collect(heartland.tickets.iterate({ type: 'Ticket', status: 'complete', includeLines: true, filter: window, perPage: HEARTLAND_PAGE }), 'Heartland tickets', max),
    collect(heartland.tickets.iterate({ type: 'Return', status: 'complete', includeLines: true, filter: window, perPage: HEARTLAND_PAGE }), 'Heartland returns', max),
  ]);
  return { orders, invoices, creditMemos, tickets, returns };
}

export interface ChangeCursor {
  /** Magento `updated_at` high-water mark (`YYYY-MM-DD HH:MM:SS`, UTC). */
  magento: string;
  /** Heartland `updated_at` high-water mark (ISO). */
  heartland: string;
}

export interface ChangedDays {
  days: Set<string>;
  next: ChangeCursor;
  records: number;
}

const later = (a: string, b: string | null | undefined): string => (b && b > a ? b : a);

/**
 * The days whose aggregates records changed since the cursor touch. Records at the cursor's exact
 * timestamp are read again (`gteq`): re-marking a day is harmless because a day is recomputed from
 * scratch, whereas a strict `gt` could miss a record written in the same second as the cursor.
 */
export async function readChangedDays(cursor: ChangeCursor, clients: InsightClients): Promise<ChangedDays> {
  const days = new Set<string>();
  let records = 0;
  let { magento, heartland } = cursor;
  const changed = (fields: string) => () => new ProjectedCriteria(fields).where('updated_at', cursor.magento, 'gteq').sortBy('updated_at', 'ASC').sortBy('entity_id', 'ASC');
  type Dated = { created_at?: string | null; updated_at?: string | null };
  const magentoSources: Array<[(c: SearchCriteriaBuilder) => Promise<{ items: Dated[]; total_count: number }>, string, string]> = [
    [(c) => clients.commerce.orders.search(c), FIELDS.order, 'changed Magento orders'],
    [(c) => clients.commerce.invoices.search(c), FIELDS.invoice, 'changed Magento invoices'],
    [(c) => clients.commerce.creditMemos.search(c), FIELDS.creditMemo, 'changed Magento credit memos'],
  ];
  for (const [search, fields, what] of magentoSources) {
    for (const row of await magentoAll(search, changed(fields), what)) {
      records++;
      const day = dayOf(row.created_at);
      if (day) days.add(day);
      magento = later(magento, row.updated_at);
    }
  }
  for await (const ticket of clients.heartland.tickets.iterate({ filter: { updated_at: { $gte: cursor.heartland } }, perPage: HEARTLAND_PAGE })) {
    records++;
    const day = ticketDay(ticket);
    if (day) days.add(day);
    heartland = later(heartland, (ticket as { updated_at?: string }).updated_at);
  }
  return { days, next: { magento, heartland }, records };
}

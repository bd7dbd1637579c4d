/**
 * Reads of the records that make one day's aggregate, and of the records changed since a cursor
 * (what the scheduler feed uses to find the days to recompute). Both systems are read in pages;
 * a day holding more than MAX_DAY_RECORDS of one kind is refused loudly rather than truncated.
 */
import type { CommerceClient } from '../../commerce/client';
import type * as CommercePayloads from '../../commerce/payloads';
import { magentoTimestamp, searchCriteria, type SearchCriteriaBuilder } from '../../commerce/search-criteria';
import type { HeartlandClient } from '../../heartland/client';
import type * as HeartlandPayloads from '../../heartland/payloads';
import type { DaySources } from './day-aggregate';

export const MAX_DAY_RECORDS = 200_000;
const MAGENTO_PAGE = 500;
const HEARTLAND_PAGE = 1000;

export interface InsightClients {
  heartland: HeartlandClient;
  commerce: CommerceClient;
}

export class DayTooLargeError extends Error {
  constructor(what: string) {
    super(`a day holds more than ${MAX_DAY_RECORDS} ${what}; the insights cannot aggregate it`);
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

async function* magentoPages<T>(search: (c: SearchCriteriaBuilder) => Promise<{ items: T[]; total_count: number }>, criteria: () => SearchCriteriaBuilder): AsyncGenerator<T> {
  let seen = 0;
  for (let page = 1; ; page++) {
    const result = await search(criteria().page(MAGENTO_PAGE, page));
    yield* result.items;
    seen += result.items.length;
    if (result.items.length < MAGENTO_PAGE || seen >= result.total_count) return;
  }
}

async function collect<T>(rows: AsyncIterable<T>, what: string): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) {
    if (out.length >= MAX_DAY_RECORDS) throw new DayTooLargeError(what);
    out.push(row);
  }
  return out;
}

/** Every record that counts on `date` (UTC), from both systems at once. */
export async function readDaySources(date: string, clients: InsightClients): Promise<DaySources> {
  const fromMs = dayStart(date);
  const toMs = fromMs + DAY_MS;
  const created = () =>
    searchCriteria().where('created_at', magentoTimestamp(fromMs), 'gteq').where('created_at', magentoTimestamp(toMs), 'lt').sortBy('entity_id', 'ASC');
  const window = { completed_at: { $gte: new Date(fromMs).toISOString(), $lt: new Date(toMs).toISOString() } };
  const { commerce, heartland } = clients;
  const [orders, invoices, creditMemos, tickets, returns] = await Promise.all([
    collect(magentoPages<CommercePayloads.Order>((c) => commerce.orders.search(c), created), 'Magento orders'),
    collect(magentoPages<CommercePayloads.Invoice>((c) => commerce.invoices.search(c), created), 'Magento invoices'),
    collect(magentoPages<CommercePayloads.CreditMemo>((c) => commerce.creditMemos.search(c), created), 'Magento credit memos'),
    collect(heartland.tickets.iterate({ type: 'Ticket', status: 'complete', includeLines: true, filter: window, perPage: HEARTLAND_PAGE }), 'Heartland tickets'),
    collect(heartland.tickets.iterate({ type: 'Return', status: 'complete', includeLines: true, filter: window, perPage: HEARTLAND_PAGE }), 'Heartland returns'),
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
  const changed = () => searchCriteria().where('updated_at', cursor.magento, 'gteq').sortBy('updated_at', 'ASC').sortBy('entity_id', 'ASC');
  const magentoSources: Array<(c: SearchCriteriaBuilder) => Promise<{ items: Array<{ created_at?: string | null; updated_at?: string | null }>; total_count: number }>> = [
    (c) => clients.commerce.orders.search(c),
    (c) => clients.commerce.invoices.search(c),
    (c) => clients.commerce.creditMemos.search(c),
  ];
  for (const search of magentoSources) {
    for await (const row of magentoPages(search, changed)) {
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

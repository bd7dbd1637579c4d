/**
 * Omnichannel insight (issue 15): web (Magento) and store (Heartland) sales, stock and customers
 * per day, from compact daily aggregates in the FileStore that the scheduler keeps current
 * (lib/flows/channel-insights). Readers call `channelInsightsFromAggregates`, which recomputes
 * at most a bounded number of stale days before answering.
 */
import type { InsightsResponse } from '../../admin/contract';
import type { Platform } from '../../platform/ports';
import { HttpError } from '../../runtime/http-error';
import { buildInsights } from './report';
import { aggregatesFor, todayOf, type InsightDeps } from './refresh';
import { DAY_MS, dayStart, type InsightClients } from './sources';
import { snapshotForRange, takeStockSnapshot } from './stock';
import { STOCK_MAX_AGE_MS } from './refresh';

export { aggregateDay, toCents, type DayAggregate, type DaySources, type ChannelDayTally } from './day-aggregate';
export { readDayAggregate, markDayDirty, listDirtyDays, DAYS_FOLDER } from './day-store';
export { readDaySources, readChangedDays, dayOf, type InsightClients, type ChangeCursor } from './sources';
export { refreshDay, refreshDirtyDays, aggregatesFor, isStale, type InsightDeps } from './refresh';
export { takeStockSnapshot, snapshotForRange, type StockSnapshot } from './stock';
export { buildInsights, stockoutsBetween } from './report';

export const MAX_INSIGHT_DAYS = 31;
/** An open day (today) is recomputed on read when its aggregate is older than this. */
export const OPEN_DAY_MAX_AGE_MS = 60_000;

/** The days of a request: `to` defaults to today, `from` to six days before `to`. */
export function insightDays(query: { from?: string; to?: string }, now: number): { from: string; to: string; days: string[] } {
  const to = query.to ?? todayOf(now);
  const from = query.from ?? new Date(dayStart(to) - 6 * DAY_MS).toISOString().slice(0, 10);
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(dayStart(value))) throw new HttpError(400, 'invalid_request', `${field}: must be a date as YYYY-MM-DD, got "${value}"`, field);
  }
  const days: string[] = [];
  for (let ms = dayStart(from); ms <= dayStart(to); ms += DAY_MS) days.push(new Date(ms).toISOString().slice(0, 10));
  if (days.length === 0) throw new HttpError(400, 'invalid_request', 'from: must not be after to', 'from');
  if (days.length > MAX_INSIGHT_DAYS) throw new HttpError(400, 'invalid_request', `from: insights cover at most ${MAX_INSIGHT_DAYS} days per request; choose a shorter range`, 'from');
  return { from, to, days };
}

export interface ChannelInsightsOptions {
  /** Open days older than this are recomputed (default OPEN_DAY_MAX_AGE_MS). */
  maxAgeMs?: number;
  /** Days recomputed per request at most (default: all requested days, which MAX_INSIGHT_DAYS bounds). */
  maxRefreshDays?: number;
}

/**
 * The Insights document for a range, read from the daily aggregates; stale days (missing, marked
 * dirty by the feed, or an open day older than `maxAgeMs`) are recomputed first, at most
 * `maxRefreshDays` of them. A day left without any aggregate is a 503 asking to retry, never a
 * silently zero day.
 */
export async function channelInsightsFromAggregates(
  query: { from?: string; to?: string },
  platform: Platform,
  clients: InsightClients,
  options: ChannelInsightsOptions = {},
): Promise<InsightsResponse> {
  const now = platform.clock.now();
  const range = insightDays(query, now);
  const deps: InsightDeps = { clients, files: platform.files, state: platform.state, clock: platform.clock, logger: platform.logger };
  const { aggregates, missing } = await aggregatesFor(range.days, deps, {
    maxAgeMs: options.maxAgeMs ?? OPEN_DAY_MAX_AGE_MS,
    maxDays: options.maxRefreshDays ?? MAX_INSIGHT_DAYS,
    // Days are independent reads of both systems; a few at once keeps a fortnight's first read short.
    concurrency: 4,
  });
  if (missing.length > 0) {
    throw new HttpError(503, 'insights_collecting', `the sales of ${missing.length} day(s) from ${missing[0]} are still being collected; try again shortly`);
  }
  let stock = await snapshotForRange(platform.files, range.to);
  const today = todayOf(now);
  if (!stock || (range.to >= today && stock.date === today && now - stock.takenAt > STOCK_MAX_AGE_MS) || (range.to >= today && stock.date < today)) {
    stock = await takeStockSnapshot(clients.heartland, platform.files, today, now);
  }
  return buildInsights(range, aggregates, stock, { heartland: clients.heartland, platform });
}

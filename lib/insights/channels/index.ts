/**
 * Omnichannel insight (issue 15): web (Magento) and store (Heartland) sales, stock and customers
 * per day, from compact daily aggregates in the FileStore that the scheduler keeps current
 * (lib/flows/channel-insights keeps the last KEPT_DAYS computed). Readers call
 * `channelInsightsFromAggregates`, which reads stored aggregates only; a day with none at all is
 * computed on read within a small bound.
 */
import type { InsightsResponse } from '../../admin/contract';
import type { Platform } from '../../platform/ports';
import { HttpError } from '../../runtime/http-error';
import { buildInsights } from './report';
import { readAggregates, todayOf, type InsightDeps } from './refresh';
import { DAY_MS, dayStart, type InsightClients } from './sources';
import { snapshotForRange, takeStockSnapshot } from './stock';

export { aggregateDay, toCents, type DayAggregate, type DaySources, type ChannelDayTally } from './day-aggregate';
export { readDayAggregate, markDayDirty, listDirtyDays, DAYS_FOLDER } from './day-store';
export { readDaySources, readChangedDays, dayOf, type InsightClients, type ChangeCursor } from './sources';
export { refreshDay, refreshKeptDays, readAggregates, missingKeptDays, keptDays, isStale, KEPT_DAYS, SPAN_MAX_RECORDS, type InsightDeps } from './refresh';
export { takeStockSnapshot, snapshotForRange, type StockSnapshot } from './stock';
export { buildInsights, stockoutsBetween } from './report';

export const MAX_INSIGHT_DAYS = 31;

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
  /**
   * Days with no aggregate computed on read at most (default READ_COMPUTE_DAYS). The CLI, run by
   * an operator for any period, passes MAX_INSIGHT_DAYS; a page view keeps the default.
   */
  maxComputeDays?: number;
  /** Records of one kind read at once for many uncomputed days (default SPAN_MAX_RECORDS). */
  maxSpanRecords?: number;
}

/**
 * Days a page view computes itself when they have no aggregate (a range older than the kept
 * window, or the minutes before the scheduler's first pass): about ten requests, a few seconds.
 */
export const READ_COMPUTE_DAYS = 2;

/**
 * The Insights document for a range, read from the stored daily aggregates (never recomputed
 * here: the scheduler feed does that as changes arrive). Days with no aggregate are computed
 * (together when they hold few records, else at most `maxComputeDays`); any left are queued for
 * the scheduler and the answer is a 503 asking to retry shortly, never a silently zero day.
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
  const { aggregates, missing } = await readAggregates(range.days, deps, { maxComputeDays: options.maxComputeDays ?? READ_COMPUTE_DAYS, maxSpanRecords: options.maxSpanRecords, concurrency: 2 });
  if (missing.length > 0) {
    throw new HttpError(503, 'insights_collecting', `the sales of ${missing.length} day(s) from ${missing[0]} are still being collected by the scheduler; try again in a minute`);
  }
  // The feed keeps today's stock snapshot at most STOCK_MAX_AGE_MS old; a reader takes one only
  // when there is none at all (before the scheduler's first pass).
  const stock = (await snapshotForRange(platform.files, range.to)) ?? (await takeStockSnapshot(clients.heartland, platform.files, todayOf(now), now));
  return buildInsights(range, aggregates, stock, { heartland: clients.heartland, platform });
}

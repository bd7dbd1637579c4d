/**
 * Channel insights area (issue 15): a scheduler feed that keeps the daily sales aggregates of
 * lib/insights/channels current. Each pass reads the Magento orders, invoices and credit memos
 * and the Heartland tickets and returns changed since its cursor (by `updated_at`), marks the days
 * they count on dirty, and recomputes dirty days while its time budget lasts. It runs no units of
 * work: the aggregates are derived data, recomputed whole per day, so a redelivered or re-read
 * record can never be counted twice.
 */
import { magentoTimestamp } from '../../commerce/search-criteria';
import { aggregateDay, markDayDirty, readChangedDays, readDayAggregate, refreshDirtyDays, type ChangeCursor, type InsightDeps } from '../../insights/channels';
import { writeDayAggregate } from '../../insights/channels/day-store';
import { refreshStockIfOld, todayOf } from '../../insights/channels/refresh';
import { defineFeed, type TaskContext } from '../../sync';
import { defineArea } from '../area';

/** A first pass looks back this far, so a new install shows the last month. */
export const BACKFILL_DAYS = 31;
/** Dirty days recomputed per pass at most; the rest wait for the next pass (or a reader). */
export const DAYS_PER_PASS = 5;
/** Share of the pass's remaining time the recomputation may use, so other feeds still run. */
const BUDGET_SHARE = 0.5;
const MAX_BUDGET_MS = 20_000;

export function parseCursor(cursor: string | undefined, now: number): ChangeCursor {
  if (cursor) {
    try {
      const parsed = JSON.parse(cursor) as Partial<ChangeCursor>;
      if (typeof parsed.magento === 'string' && typeof parsed.heartland === 'string') return { magento: parsed.magento, heartland: parsed.heartland };
    } catch {
      // A cursor this feed did not write (hand edit, older layout): start over; recomputing is idempotent.
    }
  }
  const since = now - BACKFILL_DAYS * 86_400_000;
  return { magento: magentoTimestamp(since), heartland: new Date(since).toISOString() };
}

export async function pollChannelInsights(cursor: string | undefined, ctx: TaskContext) {
  const now = ctx.clock.now();
  const deps: InsightDeps = {
    clients: { heartland: ctx.client('heartland'), commerce: ctx.client('commerce') },
    files: ctx.files,
    state: ctx.state,
    clock: ctx.clock,
    logger: ctx.logger,
  };
  const from = parseCursor(cursor, now);
  const changed = await readChangedDays(from, deps.clients);
  for (const day of changed.days) await markDayDirty(ctx.state, day, now);
  if (cursor === undefined) await recordEmptyDays(from, changed.days, deps);
  const budget = Math.min(MAX_BUDGET_MS, Math.max(0, ctx.remainingMs() * BUDGET_SHARE));
  const refreshed = await refreshDirtyDays(deps, { maxDays: DAYS_PER_PASS, deadlineMs: now + budget });
  if (!refreshed.includes(todayOf(now))) await refreshStockIfOld(todayOf(now), deps);
  if (changed.records > 0 || refreshed.length > 0) ctx.logger.info('channel insights updated', { changedRecords: changed.records, dirtyDays: changed.days.size, refreshed });
  return { units: [], nextCursor: JSON.stringify(changed.next), more: false };
}

/**
 * After the first (backfill) pass, every record created in the window has been seen, so a day of
 * the window that no record counts on had no sales: its empty aggregate is stored now, sparing a
 * reader from asking both systems about each quiet day. An existing aggregate is never replaced.
 */
async function recordEmptyDays(from: ChangeCursor, busy: Set<string>, deps: InsightDeps): Promise<void> {
  const now = deps.clock.now();
  const today = todayOf(now);
  for (let ms = Date.parse(from.heartland) + 86_400_000; ; ms += 86_400_000) {
    const date = todayOf(ms);
    if (date > today) break;
    if (busy.has(date) || (await readDayAggregate(deps.files, date))) continue;
    await writeDayAggregate(deps.files, aggregateDay(date, { orders: [], invoices: [], creditMemos: [], tickets: [], returns: [] }, now));
  }
}

export const channelInsightsFeed = defineFeed({ name: 'channel-insights', poll: pollChannelInsights });

export const channelInsightsArea = defineArea({ name: 'channel-insights', flows: [], feeds: [channelInsightsFeed] });

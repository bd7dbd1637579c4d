/**
 * Channel insights area (issue 15): a scheduler feed that keeps the daily sales aggregates of
 * lib/insights/channels current, so a page view only reads them. Each pass reads the Magento
 * orders, invoices and credit memos and the Heartland tickets and returns changed since its cursor
 * (by `updated_at`), marks the days they count on dirty — an old day too, when a late refund,
 * return or cancelation touches one of its records — and recomputes, while its time budget lasts,
 * today and the other dirty days plus any day of the last KEPT_DAYS that has no aggregate yet
 * (a quiet day is stored as an empty aggregate). It runs no units of work: the aggregates are
 * derived data, recomputed whole per day, so a redelivered or re-read record is never counted twice.
 */
import { magentoTimestamp } from '../../commerce/search-criteria';
import { aggregateDay, keptDays, markDayDirty, readChangedDays, readDayAggregate, refreshKeptDays, type ChangeCursor, type InsightDeps } from '../../insights/channels';
import { writeDayAggregate } from '../../insights/channels/day-store';
import { refreshStockIfOld, todayOf } from '../../insights/channels/refresh';
import { defineFeed, type TaskContext } from '../../sync';
import { defineArea } from '../area';

/** A first pass looks back this far, so a new install shows the last month. */
export const BACKFILL_DAYS = 31;
/** Days recomputed per pass at most; the rest wait for the next pass. */
export const DAYS_PER_PASS = 6;
/** Share of the pass's remaining time the recomputation may use, so other feeds still run. */
const BUDGET_SHARE = 0.5;
const MAX_BUDGET_MS = 20_000;
/**
 * Each pass re-reads the last minute before its cursor: a record saved with an `updated_at` a
 * moment older than one already seen (a slow commit on either side) is still found. Re-marking a
 * day is harmless, because a day is recomputed from scratch.
 */
export const CURSOR_OVERLAP_MS = 60_000;

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

/** The cursor moved back by CURSOR_OVERLAP_MS (Magento's `YYYY-MM-DD HH:MM:SS` is UTC). */
function withOverlap(cursor: ChangeCursor): ChangeCursor {
  const magentoMs = Date.parse(`${cursor.magento.replace(' ', 'T')}Z`);
  const heartlandMs = Date.parse(cursor.heartland);
  return {
    magento: Number.isNaN(magentoMs) ? cursor.magento : magentoTimestamp(magentoMs - CURSOR_OVERLAP_MS),
    heartland: Number.isNaN(heartlandMs) ? cursor.heartland : new Date(heartlandMs - CURSOR_OVERLAP_MS).toISOString(),
  };
}

const later = (a: string, b: string) => (b > a ? b : a);

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
  const changed = await readChangedDays(cursor === undefined ? from : withOverlap(from), deps.clients);
  for (const day of changed.days) await markDayDirty(ctx.state, day, now);
  if (cursor === undefined) await recordEmptyDays(from, changed.days, deps);
  const budget = Math.min(MAX_BUDGET_MS, Math.max(0, ctx.remainingMs() * BUDGET_SHARE));
  const refreshed = await refreshKeptDays(deps, { maxDays: DAYS_PER_PASS, deadlineMs: now + budget });
  await refreshStockIfOld(todayOf(now), deps);
  if (changed.records > 0 || refreshed.length > 0) ctx.logger.info('channel insights updated', { changedRecords: changed.records, dirtyDays: changed.days.size, refreshed });
  // The overlap never moves the cursor back: the next pass starts from the newest change seen.
  const next = { magento: later(from.magento, changed.next.magento), heartland: later(from.heartland, changed.next.heartland) };
  return { units: [], nextCursor: JSON.stringify(next), more: false };
}

/**
 * After the first (backfill) pass, every record created in the window has been seen, so a kept day
 * that no record counts on had no sales: its empty aggregate is stored now instead of asking both
 * systems about each quiet day. An existing aggregate is never replaced.
 */
async function recordEmptyDays(from: ChangeCursor, busy: Set<string>, deps: InsightDeps): Promise<void> {
  const now = deps.clock.now();
  // The day the window starts in was only partly read: it is left to the normal recomputation.
  const firstFullDay = todayOf(Date.parse(from.heartland) + 86_400_000);
  for (const date of keptDays(now)) {
    if (date < firstFullDay || busy.has(date) || (await readDayAggregate(deps.files, date))) continue;
    await writeDayAggregate(deps.files, aggregateDay(date, { orders: [], invoices: [], creditMemos: [], tickets: [], returns: [] }, now));
  }
}

export const channelInsightsFeed = defineFeed({ name: 'channel-insights', poll: pollChannelInsights });

export const channelInsightsArea = defineArea({ name: 'channel-insights', flows: [], feeds: [channelInsightsFeed] });

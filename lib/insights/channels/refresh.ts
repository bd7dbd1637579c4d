/**
 * Keeping the daily aggregates current. The scheduler feed (lib/flows/channel-insights) keeps every
 * day of the last KEPT_DAYS computed: a day is recomputed from all of its source records when it has
 * no aggregate or when the feed saw one of its records change after it was computed (dirty marker).
 * Readers (the panel, admin-api, the CLI) only read the stored aggregates; a day with none (outside
 * the kept window, or before the first pass finished) is computed on read within a small bound.
 */
import pLimit from 'p-limit';
import { effectiveOptions } from '../../mapping/layering';
import { createMappingRepository } from '../../mapping/repository';
import type { Clock, FileStore, Logger, StateStore } from '../../platform/ports';
import { aggregateDay, type DayAggregate } from './day-aggregate';
import { clearDayDirty, DAYS_FOLDER, listDirtyDays, markDayDirty, readDayAggregate, writeDayAggregate, type DirtyMarker } from './day-store';
import { DAY_MS, DayTooLargeError, dayStart, readDaySources, readSpanSources, type InsightClients } from './sources';
import { readStockSnapshot, takeStockSnapshot } from './stock';

/** How old today's stock snapshot may get before a refresh takes a new one. */
export const STOCK_MAX_AGE_MS = 15 * 60_000;
/**
 * Days the feed keeps computed, today included: the longest range one request may ask for, so the
 * panel's default fortnight and any range of the last month are read from aggregates only.
 */
export const KEPT_DAYS = 31;

export interface InsightDeps {
  clients: InsightClients;
  files: FileStore;
  state: StateStore;
  clock: Clock;
  logger?: Logger;
}

export const todayOf = (now: number) => new Date(now).toISOString().slice(0, 10);

/** The days the feed keeps computed at `now`, oldest first, today last. */
export function keptDays(now: number): string[] {
  const today = dayStart(todayOf(now));
  return Array.from({ length: KEPT_DAYS }, (_, i) => todayOf(today - (KEPT_DAYS - 1 - i) * DAY_MS));
}

/** A day needs recomputing when it has no aggregate or a change was seen after it was computed. */
export function isStale(aggregate: DayAggregate | undefined, marker: DirtyMarker | undefined): boolean {
  if (!aggregate) return true;
  return marker !== undefined && marker.markedAt >= aggregate.computedAt;
}

/** Recomputes one day from scratch and stores it; clears its dirty marker unless a newer change arrived meanwhile. */
export async function refreshDay(date: string, deps: InsightDeps): Promise<DayAggregate> {
  const startedAt = deps.clock.now();
  const sources = await readDaySources(date, deps.clients);
  const aggregate = aggregateDay(date, sources, startedAt);
  await writeDayAggregate(deps.files, aggregate);
  await clearDayDirty(deps.state, date, startedAt);
  deps.logger?.debug?.('channel insights day recomputed', { date, web: aggregate.web.records, store: aggregate.store.records, ms: deps.clock.now() - startedAt });
  return aggregate;
}

/** Takes today's stock snapshot when there is none or it is older than STOCK_MAX_AGE_MS. */
export async function refreshStockIfOld(date: string, deps: InsightDeps): Promise<void> {
  const now = deps.clock.now();
  const current = await readStockSnapshot(deps.files, date);
  if (current && now - current.takenAt <= STOCK_MAX_AGE_MS) return;
  // Web orders in Heartland carry the Magento increment id in the field the merchant's mapping names.
  const mapping = await createMappingRepository(deps.state, { clock: deps.clock }).effective();
  await takeStockSnapshot(deps.clients.heartland, deps.files, date, now, { ecommerceNumberField: effectiveOptions(mapping).ecommerceNumberField });
}

/** Days of the kept window whose aggregate file is absent (one listing, not a read per day). */
export async function missingKeptDays(files: FileStore, now: number): Promise<string[]> {
  const stored = new Set((await files.list(DAYS_FOLDER)).map((p) => /(\d{4}-\d{2}-\d{2})\.json$/.exec(p)?.[1]).filter((d): d is string => d !== undefined));
  return keptDays(now).filter((d) => !stored.has(d));
}

export interface KeepOptions {
  /** Days recomputed in this pass at most; the rest wait for the next pass. */
  maxDays: number;
  /** No new day is started at or after this time (epoch ms). */
  deadlineMs: number;
  /** Days recomputed at once (default 2). */
  concurrency?: number;
}

/**
 * The scheduler's share of the work: recomputes the days marked dirty and the days of the kept
 * window that have no aggregate (a new day after midnight, a file lost or written by an older
 * layout). Today comes first (it is what a store manager looks at), then the newest days.
 * Returns the days recomputed.
 */
export async function refreshKeptDays(deps: InsightDeps, options: KeepOptions): Promise<string[]> {
  const now = deps.clock.now();
  const today = todayOf(now);
  const [dirty, missing] = await Promise.all([listDirtyDays(deps.state), missingKeptDays(deps.files, now)]);
  // A dirty day in the future (a record dated ahead by a skewed clock) waits until it is a real day.
  const wanted = [...new Set([...dirty, ...missing])].filter((d) => d <= today).sort((a, b) => Number(b === today) - Number(a === today) || b.localeCompare(a));
  const done: string[] = [];
  const limit = pLimit(options.concurrency ?? 2);
  await Promise.all(
    wanted.slice(0, options.maxDays).map((date) =>
      limit(async () => {
        if (deps.clock.now() >= options.deadlineMs) return;
        await refreshDay(date, deps);
        done.push(date);
      }),
    ),
  );
  return done.sort();
}

export interface ReadOptions {
  /** Days without any aggregate computed one by one on read at most (the rest are left to the scheduler). */
  maxComputeDays: number;
  /** More days than that are read together when each kind of record holds at most this many (default SPAN_MAX_RECORDS). */
  maxSpanRecords?: number;
  concurrency?: number;
}

/**
 * Records of one kind a reader may load at once for days nobody computed: a few MB, so a quiet or
 * small shop's first page view is five reads rather than five per day.
 */
export const SPAN_MAX_RECORDS = 5000;

/** The aggregates of `dates`, read together and stored; undefined when the span holds too many records. */
async function computeSpan(dates: string[], deps: InsightDeps, maxRecords: number): Promise<DayAggregate[] | undefined> {
  const startedAt = deps.clock.now();
  const sorted = [...dates].sort();
  let byDay;
  try {
    byDay = await readSpanSources(sorted[0]!, sorted.at(-1)!, deps.clients, maxRecords);
  } catch (error) {
    if (error instanceof DayTooLargeError) return undefined;
    throw error;
  }
  const empty = { orders: [], invoices: [], creditMemos: [], tickets: [], returns: [] };
  const out: DayAggregate[] = [];
  for (const date of sorted) {
    const aggregate = aggregateDay(date, byDay.get(date) ?? empty, startedAt);
    await writeDayAggregate(deps.files, aggregate);
    await clearDayDirty(deps.state, date, startedAt);
    out.push(aggregate);
  }
  return out;
}

export interface ReadResult {
  aggregates: Map<string, DayAggregate>;
  /** Days computed during this read (they had no aggregate). */
  computed: string[];
  /** Days still without an aggregate: marked for the scheduler's next pass. */
  missing: string[];
}

/**
 * The stored aggregates of `days`. Nothing stored is recomputed here (the feed recomputes a day as
 * soon as it sees a change), so a page view costs one file read per day. Days with no aggregate at
 * all are computed on read: up to `maxComputeDays` one by one, or more together when the span is
 * small (`maxSpanRecords`); otherwise the newest `maxComputeDays` are computed and the rest marked
 * for the scheduler and reported as missing.
 */
export async function readAggregates(days: string[], deps: InsightDeps, options: ReadOptions): Promise<ReadResult> {
  const now = deps.clock.now();
  const today = todayOf(now);
  const aggregates = new Map<string, DayAggregate>();
  // Days after today have no sales yet: shown as empty, never stored (the feed computes them when they come).
  for (const date of days.filter((d) => d > today)) aggregates.set(date, aggregateDay(date, { orders: [], invoices: [], creditMemos: [], tickets: [], returns: [] }, now));
  const stored = await Promise.all(days.filter((d) => d <= today).map(async (date) => ({ date, aggregate: await readDayAggregate(deps.files, date) })));
  for (const s of stored) if (s.aggregate) aggregates.set(s.date, s.aggregate);
  const absent = days.filter((d) => !aggregates.has(d)).sort((a, b) => b.localeCompare(a));
  if (absent.length > options.maxComputeDays) {
    // Many days nobody computed (a new install before the scheduler's first pass, an old period):
    // when the span is small, one read per kind covers them all.
    const computed = await computeSpan(absent, deps, options.maxSpanRecords ?? SPAN_MAX_RECORDS);
    if (computed) {
      for (const aggregate of computed) aggregates.set(aggregate.date, aggregate);
      return { aggregates, computed: absent.sort(), missing: [] };
    }
  }
  const toCompute = absent.slice(0, options.maxComputeDays);
  const limit = pLimit(options.concurrency ?? 2);
  await Promise.all(toCompute.map((date) => limit(async () => aggregates.set(date, await refreshDay(date, deps)))));
  const missing = absent.slice(options.maxComputeDays).sort();
  for (const date of missing) await markDayDirty(deps.state, date, now);
  return { aggregates, computed: toCompute.sort(), missing };
}

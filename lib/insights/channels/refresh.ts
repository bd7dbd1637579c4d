/**
 * Keeping the daily aggregates current. A day is recomputed from all of its source records when
 * it has no aggregate, when the feed marked it dirty after it was computed, or when it was still
 * open (not yet over when computed) and its aggregate is older than `maxAgeMs`. A day computed
 * after it ended (plus a settling margin for late writes) is final until a change marks it dirty.
 */
import pLimit from 'p-limit';
import type { Clock, FileStore, Logger, StateStore } from '../../platform/ports';
import { aggregateDay, type DayAggregate } from './day-aggregate';
import { clearDayDirty, listDirtyDays, readDayAggregate, readDirtyMarker, writeDayAggregate, type DirtyMarker } from './day-store';
import { DAY_MS, dayStart, readDaySources, type InsightClients } from './sources';
import { readStockSnapshot, takeStockSnapshot } from './stock';

/** Writes that land just after midnight (clock skew, slow commits) still belong to the closed day. */
export const SETTLE_MS = 15 * 60_000;
/** How old today's stock snapshot may get before a refresh takes a new one. */
export const STOCK_MAX_AGE_MS = 15 * 60_000;

export interface InsightDeps {
  clients: InsightClients;
  files: FileStore;
  state: StateStore;
  clock: Clock;
  logger?: Logger;
}

export const todayOf = (now: number) => new Date(now).toISOString().slice(0, 10);

export function isStale(aggregate: DayAggregate | undefined, marker: DirtyMarker | undefined, now: number, maxAgeMs: number): boolean {
  if (!aggregate) return true;
  if (marker && marker.markedAt >= aggregate.computedAt) return true;
  const closedWhenComputed = aggregate.computedAt >= dayStart(aggregate.date) + DAY_MS + SETTLE_MS;
  return !closedWhenComputed && now - aggregate.computedAt > maxAgeMs;
}

/** Recomputes one day from scratch and stores it; clears its dirty marker unless a newer change arrived meanwhile. */
export async function refreshDay(date: string, deps: InsightDeps): Promise<DayAggregate> {
  const startedAt = deps.clock.now();
  const sources = await readDaySources(date, deps.clients);
  const aggregate = aggregateDay(date, sources, startedAt);
  await writeDayAggregate(deps.files, aggregate);
  await clearDayDirty(deps.state, date, startedAt);
  if (date === todayOf(startedAt)) await refreshStockIfOld(date, deps);
  deps.logger?.debug?.('channel insights day recomputed', { date, web: aggregate.web.records, store: aggregate.store.records, ms: deps.clock.now() - startedAt });
  return aggregate;
}

/** Takes today's stock snapshot when there is none or it is older than STOCK_MAX_AGE_MS. */
export async function refreshStockIfOld(date: string, deps: InsightDeps): Promise<void> {
  const now = deps.clock.now();
  const current = await readStockSnapshot(deps.files, date);
  if (!current || now - current.takenAt > STOCK_MAX_AGE_MS) await takeStockSnapshot(deps.clients.heartland, deps.files, date, now);
}

export interface RefreshOptions {
  /** An open day's aggregate older than this is recomputed. */
  maxAgeMs: number;
  /** At most this many days are recomputed in one call (the rest keep their stored aggregate). */
  maxDays: number;
  concurrency?: number;
}

export interface RefreshResult {
  aggregates: Map<string, DayAggregate>;
  refreshed: string[];
  /** Days that have no aggregate because the bound was reached. */
  missing: string[];
}

/**
 * The aggregates of `days`, recomputing the stale ones first (missing days before merely old ones,
 * newest first) up to `maxDays`.
 */
export async function aggregatesFor(days: string[], deps: InsightDeps, options: RefreshOptions): Promise<RefreshResult> {
  const now = deps.clock.now();
  const stored = await Promise.all(days.map(async (date) => ({ date, aggregate: await readDayAggregate(deps.files, date), marker: await readDirtyMarker(deps.state, date) })));
  const aggregates = new Map<string, DayAggregate>();
  for (const s of stored) if (s.aggregate) aggregates.set(s.date, s.aggregate);
  const stale = stored
    .filter((s) => isStale(s.aggregate, s.marker, now, options.maxAgeMs))
    .sort((a, b) => Number(a.aggregate !== undefined) - Number(b.aggregate !== undefined) || b.date.localeCompare(a.date))
    .slice(0, options.maxDays);
  const limit = pLimit(options.concurrency ?? 2);
  await Promise.all(stale.map((s) => limit(async () => aggregates.set(s.date, await refreshDay(s.date, deps)))));
  return { aggregates, refreshed: stale.map((s) => s.date).sort(), missing: days.filter((d) => !aggregates.has(d)) };
}

/** Recomputes the days the feed marked dirty, oldest first, while the time budget allows. */
export async function refreshDirtyDays(deps: InsightDeps, options: { maxDays: number; deadlineMs: number }): Promise<string[]> {
  const done: string[] = [];
  for (const date of (await listDirtyDays(deps.state)).slice(0, options.maxDays)) {
    if (deps.clock.now() >= options.deadlineMs) break;
    await refreshDay(date, deps);
    done.push(date);
  }
  return done;
}

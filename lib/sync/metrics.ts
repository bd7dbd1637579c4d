/**
 * Hourly aggregates `metrics.<flow>.<yyyymmddhh>` (365 days), computed by the scheduler from the
 * run records of that flow-hour: counts by outcome and skip reason, latency percentiles from event
 * time to done, retries and the dead letter depth. The scheduler is their single writer; the panel
 * reads them with plain `get`s, one per flow-hour, never a `list` (DESIGN.md §1.3, §3).
 *
 * An hour is recomputed until it is settled (its end plus a grace period for late and eventually
 * consistent run records), then marked final; the unfinished current hour is refreshed every few
 * minutes so the panel is never more than that behind.
 */
import pLimit from 'p-limit';
import { HttpError } from '../runtime/http-error';
import { stateKey } from '../platform/state-key';
import { countOpenDeadLetters } from './dead-letters';
import { readCursor, writeCursor } from './feeds';
import { syncOptions } from './options';
import { readRunRecords } from './run-records';
import { HOUR_MS, hourLabel, hourStart, parseHourLabel } from './time-keys';
import type { OutcomeName, RunRecord, SkipReason, SyncDeps } from './types';

export const METRICS_TTL_SECONDS = 365 * 24 * 3600;
const SETTLE_MS = 10 * 60_000;
const MAX_HOURS_PER_PASS = 6;
const MAX_READ_HOURS = 24 * 93;
const METRICS_CURSOR = 'metrics-compaction';

export interface FlowHourMetrics {
  flow: string;
  /** yyyymmddhh, UTC. */
  hour: string;
  hourStart: string;
  counts: Record<OutcomeName, number>;
  skipped: Partial<Record<SkipReason, number>>;
  /** Event time → done, over units that ended done in this hour; null without any. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Units that ran as a persisted retry, and extra tries inside invocations. */
  retries: number;
  inInvocationRetries: number;
  /** Open dead letters of the flow when the hour was last computed. */
  dlqDepth: number;
  final: boolean;
  computedAt: number;
}

export function metricsKey(flow: string, hour: string): string {
  return stateKey('metrics', flow, hour);
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function aggregateRuns(flow: string, hour: string, runs: RunRecord[], extra: { dlqDepth: number; final: boolean; computedAt: number }): FlowHourMetrics {
  const counts: Record<OutcomeName, number> = { done: 0, skipped: 0, 'retry-scheduled': 0, 'dead-lettered': 0 };
  const skipped: Partial<Record<SkipReason, number>> = {};
  const latencies: number[] = [];
  let retries = 0;
  let inInvocationRetries = 0;
  for (const run of runs) {
    counts[run.outcome] = (counts[run.outcome] ?? 0) + 1;
    if (run.outcome === 'skipped' && run.reason) skipped[run.reason as SkipReason] = (skipped[run.reason as SkipReason] ?? 0) + 1;
    if (run.outcome === 'done') latencies.push(Math.max(0, run.endedAt - run.eventAt));
    if (run.trigger === 'retry') retries++;
    inInvocationRetries += Math.max(0, (run.tries ?? 1) - 1);
  }
  latencies.sort((a, b) => a - b);
  return {
    flow,
    hour,
    hourStart: new Date(parseHourLabel(hour)).toISOString(),
    counts,
    skipped,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    retries,
    inInvocationRetries,
    ...extra,
  };
}

export async function compactFlowHour(flow: string, hour: string, deps: SyncDeps, final: boolean): Promise<FlowHourMetrics> {
  const { state, clock } = deps.platform;
  const runs = await readRunRecords(state, flow, hour);
  const dlqDepth = await countOpenDeadLetters(flow, deps);
  const metrics = aggregateRuns(flow, hour, runs, { dlqDepth, final, computedAt: clock.now() });
  await state.put(metricsKey(flow, hour), metrics, { ttlSeconds: METRICS_TTL_SECONDS });
  return metrics;
}

export interface CompactionSummary {
  hours: string[];
  flowHours: number;
}

/**
 * One compaction pass: every hour from the first unsettled one to now, for every registered flow.
 * The cursor `cursor.metrics-compaction` remembers the first unsettled hour.
 */
export async function compactMetrics(deps: SyncDeps): Promise<CompactionSummary> {
  const { state, clock } = deps.platform;
  const now = clock.now();
  const refreshMs = syncOptions(deps).metricsRefreshMs;
  const stored = await readCursor(state, METRICS_CURSOR);
  const from = stored !== undefined ? Number(stored) : hourStart(now) - HOUR_MS;
  const summary: CompactionSummary = { hours: [], flowHours: 0 };
  let firstUnsettled: number | undefined;
  for (let h = from; h <= hourStart(now) && summary.hours.length < MAX_HOURS_PER_PASS; h += HOUR_MS) {
    const hour = hourLabel(h);
    const settled = now >= h + HOUR_MS + SETTLE_MS;
    let touched = false;
    for (const flow of deps.registry.flows()) {
      const existing = await state.get<FlowHourMetrics>(metricsKey(flow.name, hour));
      if (existing?.final) continue;
      // The unfinished hour is recomputed at most every `metricsRefreshMs`: each pass reads every run of the hour.
      if (!settled && existing && now - existing.computedAt < refreshMs) continue;
      await compactFlowHour(flow.name, hour, deps, settled);
      summary.flowHours++;
      touched = true;
    }
    if (touched) summary.hours.push(hour);
    if (!settled && firstUnsettled === undefined) firstUnsettled = h;
  }
  const next = firstUnsettled ?? Math.min(hourStart(now), from + MAX_HOURS_PER_PASS * HOUR_MS);
  if (String(next) !== stored) await writeCursor(state, METRICS_CURSOR, String(next), now);
  return summary;
}

/** A metrics query the caller got wrong: 400 with the field. */
export class MetricsQueryError extends HttpError {
  constructor(field: string, message: string) {
    super(400, 'invalid_request', `${field}: ${message}`, field);
    this.name = 'MetricsQueryError';
  }
}

function hourBound(value: string | number, name: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MetricsQueryError(name, 'not a time');
    return hourStart(value);
  }
  try {
    return parseHourLabel(String(value));
  } catch (error) {
    throw new MetricsQueryError(name, (error as Error).message);
  }
}

/**
 * Aggregates for the hours in [fromHour, toHour] (yyyymmddhh labels or epoch ms), per flow
 * (all registered flows when omitted). Hours without any run have no record and are left out.
 */
export async function readMetrics(query: { flow?: string; fromHour: string | number; toHour: string | number }, deps: SyncDeps): Promise<FlowHourMetrics[]> {
  const from = hourBound(query.fromHour, 'fromHour');
  const to = hourBound(query.toHour, 'toHour');
  if (to < from) throw new MetricsQueryError('toHour', 'is before fromHour');
  if ((to - from) / HOUR_MS + 1 > MAX_READ_HOURS) throw new MetricsQueryError('fromHour', `at most ${MAX_READ_HOURS} hours per query`);
  const flows = query.flow ? [deps.registry.flow(query.flow).name] : deps.registry.flows().map((f) => f.name);
  const keys: Array<[string, string]> = [];
  for (const flow of flows) for (let h = from; h <= to; h += HOUR_MS) keys.push([flow, hourLabel(h)]);
  // Bounded parallelism: a month of ten flows is thousands of gets; the state service rate-limits bursts.
  const limit = pLimit(16);
  const values = await Promise.all(keys.map(([flow, hour]) => limit(() => deps.platform.state.get<FlowHourMetrics>(metricsKey(flow, hour)))));
  return values.filter((v): v is FlowHourMetrics => v !== undefined);
}

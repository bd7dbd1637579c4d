/**
 * Per flow and hour: outcome counts, skip reasons, latency percentiles and steps reached. Settled
 * hours come from the scheduler's `metrics.<flow>.<hour>` aggregates (plain gets); hours that are
 * not final yet (the current one, or any the scheduler has not compacted) are aggregated here from
 * their run records, so the panel is exact even when the scheduler is behind or not running.
 */
import pLimit from 'p-limit';
import { aggregateRuns, metricsKey, type FlowHourMetrics } from '../sync/metrics';
import { HOUR_MS, hourLabel, hourStart } from '../sync/time-keys';
import type { RunRecord, SyncDeps } from '../sync';
import { byFlowHour, listRunKeys, readRuns, type RunKey } from './run-index';

/** Run records live 30 days (lib/sync RUN_TTL_SECONDS); older hours are known only from metrics. */
const RUN_RECORD_DAYS = 30;
/**
 * Run records one request reads at most. Unsettled hours are read newest first; beyond this (a
 * scheduler that has not compacted for days) older hours show their last aggregate, or nothing.
 */
export const MAX_RUN_READS = 10_000;

export interface FlowHour {
  flow: string;
  hour: string;
  hourStartMs: number;
  metrics: FlowHourMetrics;
  /** Present when the hour was aggregated from its run records. */
  runs?: RunRecord[];
  /** Keys of the hour's run records (from the listing), read or not. */
  keys: RunKey[];
}

/**
 * One listing of run record keys says which flow-hours had work at all; only those are read (the
 * settled ones from their aggregate, the others from their run records). Hours without any run
 * cost nothing, which keeps the Overview fast however many flows are registered.
 */
export async function flowHours(flows: string[], range: { fromMs: number; toMs: number }, deps: SyncDeps): Promise<FlowHour[]> {
  const first = hourStart(range.fromMs);
  const last = hourStart(range.toMs - 1);
  const now = deps.platform.clock.now();
  const { state } = deps.platform;
  const oldestRuns = hourStart(now) - RUN_RECORD_DAYS * 24 * HOUR_MS;
  const keys = byFlowHour(await listRunKeys(state, { flows: new Set(flows), fromHourMs: Math.max(first, oldestRuns), toHourMs: last }));
  const limit = pLimit(16);
  const empty = (flow: string, hour: string) => aggregateRuns(flow, hour, [], { dlqDepth: 0, final: false, computedAt: now });
  // Newest hours get the read budget first.
  let budget = MAX_RUN_READS;
  const readable = new Set<string>();
  for (const [id, hourKeys] of [...keys.entries()].sort((a, b) => b[1][0].hourStartMs - a[1][0].hourStartMs)) {
    if (hourKeys.length > budget) break;
    budget -= hourKeys.length;
    readable.add(id);
  }
  const jobs: Array<Promise<FlowHour>> = [];
  for (const flow of flows) {
    for (let h = first; h <= last; h += HOUR_MS) {
      const hour = hourLabel(h);
      const hourKeys = keys.get(`${flow}|${hour}`) ?? [];
      if (hourKeys.length === 0 && h >= oldestRuns) {
        jobs.push(Promise.resolve({ flow, hour, hourStartMs: h, metrics: empty(flow, hour), keys: [] }));
        continue;
      }
      jobs.push(
        limit(async () => {
          const stored = await state.get<FlowHourMetrics>(metricsKey(flow, hour));
          if (stored?.final || h < oldestRuns || !readable.has(`${flow}|${hour}`)) return { flow, hour, hourStartMs: h, metrics: stored ?? empty(flow, hour), keys: hourKeys };
          const runs = await readRuns(state, hourKeys);
          const metrics = aggregateRuns(flow, hour, runs, { dlqDepth: stored?.dlqDepth ?? 0, final: false, computedAt: now });
          return { flow, hour, hourStartMs: h, metrics, runs, keys: hourKeys };
        }),
      );
    }
  }
  return Promise.all(jobs);
}

export type StepCounts = { trigger: number; filters: number; mapping: number; target: number };

const reached = (run: RunRecord, step: 'filter' | 'map' | 'write') => run.steps?.[step] !== undefined;

/**
 * Units that reached each step. From run records the step timings say it exactly; settled hours
 * keep only outcome counts, so there the steps are derived from why units stopped: duplicates,
 * stale hints and vanished entities stop before the filters; filtered and echoed units before
 * mapping; held units and failures before (or at) the target.
 */
export function stepCounts(hour: FlowHour): StepCounts {
  if (hour.runs) {
    return {
      trigger: hour.runs.length,
      filters: hour.runs.filter((r) => reached(r, 'filter')).length,
      mapping: hour.runs.filter((r) => reached(r, 'map')).length,
      target: hour.runs.filter((r) => reached(r, 'write')).length,
    };
  }
  const { counts, skipped } = hour.metrics;
  const trigger = counts.done + counts.skipped + counts['retry-scheduled'] + counts['dead-lettered'];
  const filters = Math.max(0, trigger - (skipped.duplicate ?? 0) - (skipped.stale ?? 0) - (skipped['not-found'] ?? 0));
  const mapping = Math.max(0, filters - (skipped.filtered ?? 0) - (skipped.echo ?? 0));
  return { trigger, filters, mapping, target: Math.min(mapping, counts.done) };
}

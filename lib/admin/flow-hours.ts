/**
 * Per flow and hour: outcome counts, skip reasons, latency percentiles and steps reached. Settled
 * hours come from the scheduler's `metrics.<flow>.<hour>` aggregates (plain gets); hours that are
 * not final yet (the current one, or any the scheduler has not compacted) are aggregated here from
 * their run records, so the panel is exact even when the scheduler is behind or not running. Run
 * records are found with one `list` (run-index.ts) and read only for the recent hours (RECENT_HOURS).
 */
import pLimit from 'p-limit';
import { aggregateRuns, type FlowHourMetrics } from '../sync/metrics';
import { HOUR_MS, hourLabel, hourStart } from '../sync/time-keys';
import { readMetrics, type RunRecord, type SyncDeps } from '../sync';
import { byFlowHour, listRunKeys, readRuns, type RunKey } from './run-index';

/** Hours this close to now are read from run records when no final aggregate exists. */
export const RECENT_HOURS = 48;

export interface FlowHour {
  flow: string;
  hour: string;
  hourStartMs: number;
  metrics: FlowHourMetrics;
  /** Present when the hour was aggregated from its run records. */
  runs?: RunRecord[];
}

export async function flowHours(flows: string[], range: { fromMs: number; toMs: number }, deps: SyncDeps): Promise<FlowHour[]> {
  const first = hourStart(range.fromMs);
  const last = hourStart(range.toMs - 1);
  const now = deps.platform.clock.now();
  const { state } = deps.platform;
  const stored = new Map<string, FlowHourMetrics>();
  for (const flow of flows) {
    for (const m of await readMetrics({ flow, fromHour: first, toHour: last }, deps)) stored.set(`${m.flow}|${m.hour}`, m);
  }
  const recentFrom = Math.max(first, hourStart(now) - RECENT_HOURS * HOUR_MS);
  const needsRuns = flows.some((flow) => {
    for (let h = recentFrom; h <= last; h += HOUR_MS) if (!stored.get(`${flow}|${hourLabel(h)}`)?.final) return true;
    return false;
  });
  const keys = needsRuns ? byFlowHour(await listRunKeys(state, { flows: new Set(flows), fromHourMs: recentFrom, toHourMs: last })) : new Map<string, RunKey[]>();
  const limit = pLimit(4);
  const jobs: Array<Promise<FlowHour>> = [];
  for (const flow of flows) {
    for (let h = first; h <= last; h += HOUR_MS) {
      const hour = hourLabel(h);
      const existing = stored.get(`${flow}|${hour}`);
      if (existing?.final || h < recentFrom) {
        const metrics = existing ?? aggregateRuns(flow, hour, [], { dlqDepth: 0, final: false, computedAt: now });
        jobs.push(Promise.resolve({ flow, hour, hourStartMs: h, metrics }));
        continue;
      }
      jobs.push(
        limit(async () => {
          const runs = await readRuns(state, keys.get(`${flow}|${hour}`) ?? []);
          const metrics = aggregateRuns(flow, hour, runs, { dlqDepth: existing?.dlqDepth ?? 0, final: false, computedAt: now });
          return { flow, hour, hourStartMs: h, metrics, runs };
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

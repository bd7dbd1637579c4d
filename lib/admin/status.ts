/** GET status and GET metrics: health of every registered flow and connection, and hourly series. */
import pLimit from 'p-limit';
import type { FlowStatus, MetricsPoint, MetricsQuery, StatusHour, StatusResponse } from './contract';
import { isFlowEnabled } from '../config/connector-settings';
import { listDeadLetters, type RunRecord } from '../sync';
import { readRuns } from './run-index';
import { HOUR_MS, hourStart } from '../sync/time-keys';
import { createAnomalyRepository } from '../insights/anomaly/repository';
import { ANOMALY_DAYS } from './anomalies';
import { connectionOverview } from './connections';
import type { AdminContext } from './context';
import { flowDirection, flowLabel, registeredFlow } from './flow-catalog';
import { flowHours, stepCounts, type FlowHour } from './flow-hours';
import { contractOutcome } from './outcomes';
import { DAY_MS, parseTimeRange } from './time-range';


function latestRun(hours: FlowHour[]): RunRecord | undefined {
  let latest: RunRecord | undefined;
  for (const h of hours) for (const run of h.runs ?? []) if (!latest || run.endedAt > latest.endedAt) latest = run;
  return latest;
}

/** Open anomalies of the last ANOMALY_DAYS days (the repository's day index; one get per day). */
export async function openAnomalyCount(ctx: AdminContext): Promise<number> {
  const repo = createAnomalyRepository({ state: ctx.deps.platform.state, files: ctx.deps.platform.files, clock: ctx.deps.platform.clock });
  return (await repo.listRecent({ days: ANOMALY_DAYS, status: 'open' })).length;
}

export async function buildStatus(ctx: AdminContext): Promise<StatusResponse> {
  const { deps } = ctx;
  const now = deps.platform.clock.now();
  const settings = await ctx.connector.settings();
  const flows = deps.registry.flows();
  const [connections, openDeadLetters, anomaliesOpen] = await Promise.all([
    connectionOverview(ctx),
    listDeadLetters({ status: 'open' }, deps),
    openAnomalyCount(ctx),
  ]);
  const depthByFlow = new Map<string, number>();
  for (const d of openDeadLetters) depthByFlow.set(d.flow, (depthByFlow.get(d.flow) ?? 0) + 1);

  // The 24 hours ending with the current one, for every flow at once (one run-record listing).
  const allHours = await flowHours(flows.map((f) => f.name), { fromMs: hourStart(now) - 23 * HOUR_MS, toMs: now + 1 }, deps);
  const limit = pLimit(4);
  const statuses = await Promise.all(
    flows.map((flow) =>
      limit(async (): Promise<FlowStatus> => {
        const hours = allHours.filter((h) => h.flow === flow.name);
        const counts = { done: 0, skipped: 0, retryScheduled: 0, deadLettered: 0 };
        const steps = { trigger: 0, filters: 0, mapping: 0, target: 0 };
        for (const h of hours) {
          const c = h.metrics.counts;
          counts.done += c.done;
          counts.skipped += c.skipped;
          counts.retryScheduled += c['retry-scheduled'];
          counts.deadLettered += c['dead-lettered'];
          const s = stepCounts(h);
          steps.trigger += s.trigger;
          steps.filters += s.filters;
          steps.mapping += s.mapping;
          steps.target += s.target;
        }
        let last = latestRun(hours);
        if (!last) {
          // The newest hour with work was settled (counted from its aggregate): read just its runs.
          const active = [...hours].reverse().find((h) => h.keys.length > 0);
          if (active) last = latestRun([{ ...active, runs: await readRuns(deps.platform.state, active.keys) }]);
        }
        return {
          name: flow.name,
          label: flowLabel(flow.name),
          direction: flowDirection(flow),
          enabled: isFlowEnabled(settings, flow.name),
          lastRunAt: last ? new Date(last.endedAt).toISOString() : null,
          lastOutcome: last ? contractOutcome(last.outcome) : null,
          counts,
          dlqDepth: depthByFlow.get(flow.name) ?? 0,
          steps: [
            { name: 'trigger', count: steps.trigger },
            { name: 'filters', count: steps.filters },
            { name: 'mapping', count: steps.mapping },
            { name: 'target', count: steps.target },
          ],
        };
      }),
    ),
  );
  return { connections, flows: statuses, dlqDepth: openDeadLetters.length, anomaliesOpen, hourly: sumByHour(allHours) };
}

/** Every flow's hours summed per hour (counts) and the worst p95, oldest hour first. */
export function sumByHour(hours: FlowHour[]): StatusHour[] {
  const byHour = new Map<number, StatusHour>();
  for (const h of [...hours].sort((a, b) => a.hourStartMs - b.hourStartMs)) {
    let point = byHour.get(h.hourStartMs);
    if (!point) {
      point = { hour: new Date(h.hourStartMs).toISOString(), done: 0, skipped: 0, retryScheduled: 0, deadLettered: 0, p95Ms: null };
      byHour.set(h.hourStartMs, point);
    }
    const c = h.metrics.counts;
    point.done += c.done;
    point.skipped += c.skipped;
    point.retryScheduled += c['retry-scheduled'];
    point.deadLettered += c['dead-lettered'];
    if (h.metrics.p95Ms !== null && h.metrics.p95Ms !== undefined) point.p95Ms = Math.max(point.p95Ms ?? 0, h.metrics.p95Ms);
  }
  return [...byHour.values()];
}

/** Hourly points per flow over the range (default the last 24 hours, at most 31 days). */
export async function buildMetrics(query: MetricsQuery, ctx: AdminContext): Promise<{ series: MetricsPoint[] }> {
  const { deps } = ctx;
  const range = parseTimeRange(query, { now: deps.platform.clock.now(), defaultMs: DAY_MS, maxMs: 31 * DAY_MS, what: 'metrics' });
  const flows = query.flow ? [registeredFlow(deps, query.flow).name] : deps.registry.flows().map((f) => f.name);
  const hours = await flowHours(flows, range, deps);
  const series = hours.map((h): MetricsPoint => ({
    hour: new Date(h.hourStartMs).toISOString(),
    flow: h.flow,
    done: h.metrics.counts.done,
    skipped: h.metrics.counts.skipped,
    retryScheduled: h.metrics.counts['retry-scheduled'],
    deadLettered: h.metrics.counts['dead-lettered'],
    p50Ms: h.metrics.p50Ms,
    p95Ms: h.metrics.p95Ms,
    p99Ms: h.metrics.p99Ms,
  }));
  series.sort((a, b) => a.hour.localeCompare(b.hour) || a.flow.localeCompare(b.flow));
  return { series };
}


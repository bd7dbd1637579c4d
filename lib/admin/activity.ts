/**
 * GET activity: units of work from their run records, newest first, filtered and paged. The keys
 * of the range come from one listing (run-index.ts); at most MAX_RUNS records are read per search.
 */
import type { ActivityItem, ActivityQuery, ActivityResponse, ErrorDetail, System } from './contract';
import { activityQuery } from './contract';
import { HttpError } from '../runtime/http-error';
import type { ErrorInfo, Flow, RunRecord } from '../sync';
import { hourStart } from '../sync/time-keys';
import { listRunKeys, readRuns } from './run-index';
import type { AdminContext } from './context';
import { registeredFlow } from './flow-catalog';
import { contractOutcome, pipelineOutcome } from './outcomes';
import { DAY_MS, parseTimeRange } from './time-range';

/** Run records one search reads (one get each); more means the range or the flow must narrow. */
export const MAX_RUNS = 5000;

const SYSTEMS: ReadonlySet<string> = new Set(['heartland', 'commerce']);

export function errorDetail(error: Pick<ErrorInfo, 'message' | 'field' | 'system' | 'status'>): ErrorDetail {
  const detail: ErrorDetail = { message: error.message };
  if (error.field) detail.field = error.field;
  if (error.system && SYSTEMS.has(error.system)) detail.system = error.system as System;
  if (typeof error.status === 'number' && Number.isInteger(error.status)) detail.status = error.status;
  return detail;
}

export function activityItem(run: RunRecord, flow: Flow<unknown, unknown> | undefined): ActivityItem {
  const item: ActivityItem = {
    id: run.runId,
    flow: run.flow,
    key: run.key,
    entityId: run.key,
    outcome: contractOutcome(run.outcome),
    attempts: Math.max(1, run.attempt),
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: new Date(run.endedAt).toISOString(),
    durationMs: Math.max(0, run.endedAt - run.startedAt),
    correlationId: run.correlationId,
  };
  const reason = [run.reason, run.detail].filter(Boolean).join(': ');
  if (reason) item.reason = reason;
  if (run.error) item.error = errorDetail(run.error);
  if (flow) {
    item.sourceRef = { system: flow.sourceSystem, id: run.key };
    if (run.targetId) item.targetRef = { system: flow.targetSystem, id: run.targetId };
  }
  return item;
}

export async function searchActivity(rawQuery: unknown, ctx: AdminContext): Promise<ActivityResponse> {
  const query = activityQuery.parse(rawQuery) as ActivityQuery & { page: number; perPage: number };
  const { deps } = ctx;
  const now = deps.platform.clock.now();
  const range = parseTimeRange(query, { now, defaultMs: DAY_MS, maxMs: 31 * DAY_MS, what: 'activity' });
  const flows = query.flow ? [registeredFlow(deps, query.flow)] : deps.registry.flows();
  const byName = new Map(flows.map((f) => [f.name, f]));
  const keys = await listRunKeys(deps.platform.state, { flows: new Set(byName.keys()), fromHourMs: hourStart(range.fromMs), toHourMs: hourStart(range.toMs - 1) });
  if (keys.length > MAX_RUNS) {
    throw new HttpError(400, 'invalid_request', `from: ${keys.length} units of work ran in this range; choose one flow or a shorter range (at most ${MAX_RUNS} per search)`, 'from');
  }
  const wanted = query.outcome ? pipelineOutcome(query.outcome) : undefined;
  const entity = query.entityId?.toLowerCase();
  const matching = (await readRuns(deps.platform.state, keys))
    .filter((run) => run.endedAt >= range.fromMs && run.endedAt < range.toMs)
    .filter((run) => !wanted || run.outcome === wanted)
    .filter((run) => !entity || run.key.toLowerCase().includes(entity))
    .sort((a, b) => b.endedAt - a.endedAt || b.runId.localeCompare(a.runId));
  const total = matching.length;
  const pages = Math.ceil(total / query.perPage);
  const start = (query.page - 1) * query.perPage;
  return {
    items: matching.slice(start, start + query.perPage).map((run) => activityItem(run, byName.get(run.flow))),
    total,
    page: query.page,
    pages,
  };
}

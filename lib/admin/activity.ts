/**
 * GET activity: units of work from their run records, newest first, filtered and paged. Run
 * records are keyed by flow and hour, so the range decides how many hours are read; the product of
 * hours and flows is bounded so a search never lists thousands of key pages.
 */
import pLimit from 'p-limit';
import type { ActivityItem, ActivityQuery, ActivityResponse, ErrorDetail, System } from './contract';
import { activityQuery } from './contract';
import { HttpError } from '../runtime/http-error';
import { readRunRecords, type ErrorInfo, type Flow, type RunRecord } from '../sync';
import { HOUR_MS, hourLabel, hourStart } from '../sync/time-keys';
import type { AdminContext } from './context';
import { registeredFlow } from './flow-catalog';
import { contractOutcome, pipelineOutcome } from './outcomes';
import { DAY_MS, parseTimeRange } from './time-range';

/** Flow-hours one search may read (24 hours of 10 flows, or 10 days of one flow). */
export const MAX_FLOW_HOURS = 240;

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
  const query = activityQuery.parse(rawQuery) as Required<Pick<ActivityQuery, 'page' | 'perPage'>> & ActivityQuery & { page: number; perPage: number };
  const { deps } = ctx;
  const now = deps.platform.clock.now();
  const range = parseTimeRange(query, { now, defaultMs: DAY_MS, maxMs: 31 * DAY_MS, what: 'activity' });
  const flows = query.flow ? [registeredFlow(deps, query.flow)] : deps.registry.flows();
  const hours: number[] = [];
  for (let h = hourStart(range.toMs - 1); h >= hourStart(range.fromMs); h -= HOUR_MS) hours.push(h);
  if (hours.length * Math.max(1, flows.length) > MAX_FLOW_HOURS) {
    throw new HttpError(400, 'invalid_request', `from: this search would read ${hours.length} hours of ${flows.length} flows; choose one flow or a range of at most ${Math.floor(MAX_FLOW_HOURS / Math.max(1, flows.length))} hours`, 'from');
  }
  const wanted = query.outcome ? pipelineOutcome(query.outcome) : undefined;
  const entity = query.entityId?.toLowerCase();
  const limit = pLimit(8);
  const batches = await Promise.all(
    flows.flatMap((flow) => hours.map((h) => limit(async () => (await readRunRecords(deps.platform.state, flow.name, hourLabel(h))).map((run) => ({ run, flow }))))),
  );
  const matching = batches
    .flat()
    .filter(({ run }) => run.endedAt >= range.fromMs && run.endedAt < range.toMs)
    .filter(({ run }) => !wanted || run.outcome === wanted)
    .filter(({ run }) => !entity || run.key.toLowerCase().includes(entity))
    .sort((a, b) => b.run.endedAt - a.run.endedAt || b.run.runId.localeCompare(a.run.runId));
  const total = matching.length;
  const pages = Math.ceil(total / query.perPage);
  const start = (query.page - 1) * query.perPage;
  return {
    items: matching.slice(start, start + query.perPage).map(({ run, flow }) => activityItem(run, flow)),
    total,
    page: query.page,
    pages,
  };
}

/**
 * POST sync/<flow>: run a flow now. The order and inventory areas own their special runs (resend
 * selected orders; full stock reconciliation); otherwise the generic pipeline runs: the given
 * source ids as manual units, a full run through the flow's job, or the flow's polling feeds.
 */
import type { SyncRequest, SyncResponse } from './contract';
import { pollFeed, runRegisteredUnits, startJob } from '../sync';
import { HttpError } from '../runtime/http-error';
import type { AdminContext } from './context';
import { registeredFlow } from './flow-catalog';

/** A feed or job belongs to a flow when it is named after it (`order`, `order-poll`, `inventory-full`). */
const belongsTo = (name: string, flow: string) => name === flow || name.startsWith(`${flow}-`);

/** Time a poll started from the panel may take: the panel waits for the answer. */
export const POLL_BUDGET_MS = 20_000;

function jobIdOf(result: unknown, fallback: string): string {
  const id = (result as { jobId?: unknown } | undefined)?.jobId;
  return typeof id === 'string' && id !== '' ? id : fallback;
}

export async function syncNow(flowName: string, request: SyncRequest, ctx: AdminContext): Promise<SyncResponse> {
  const { deps, hooks } = ctx;
  const flow = registeredFlow(deps, flowName);
  const now = deps.platform.clock.now();
  const runId = `${flow.name}-${now}`;

  if (flow.name === 'order' && request.ids && hooks.resendOrders) {
    return { started: true, jobId: jobIdOf(await hooks.resendOrders(request.ids, deps), `resend-${runId}`) };
  }
  if (flow.name === 'inventory' && request.full && hooks.startInventoryReconciliation) {
    return { started: true, jobId: jobIdOf(await hooks.startInventoryReconciliation(deps), `reconcile-${runId}`) };
  }
  if (request.ids) {
    // Each id re-reads its source like any event would (events are hints); outcomes land in Activity.
    await runRegisteredUnits(request.ids.map((key) => ({ flow: flow.name, key, trigger: 'manual' as const, correlationId: ctx.correlationId })), deps, { concurrency: 4 });
    return { started: true, jobId: `manual-${runId}` };
  }
  if (request.full) {
    const job = deps.registry.jobs().find((j) => belongsTo(j.name, flow.name));
    if (!job) throw new HttpError(409, 'no_full_run', `full: the ${flow.name} flow has no full run; run it without "full" to poll for changes`, 'full');
    const record = await startJob(job.name, deps);
    return { started: true, jobId: record.jobId };
  }
  const feeds = deps.registry.feeds().filter((f) => belongsTo(f.name, flow.name));
  if (feeds.length === 0) {
    throw new HttpError(409, 'nothing_to_run', `the ${flow.name} flow runs on events only; it has no feed to poll now`, 'flow');
  }
  const deadline = Math.min(deps.deadlineMs ?? Number.POSITIVE_INFINITY, now + POLL_BUDGET_MS);
  for (const feed of feeds) {
    const summary = await pollFeed(feed, deps, deadline);
    if (summary.error) ctx.logger.warn('feed poll from the panel ended early', { feed: feed.name, error: summary.error });
  }
  return { started: true, jobId: `poll-${runId}` };
}

/**
 * Anomalies: list and decide. Approving a held stock batch releases it through the inventory
 * area (`applyHeldBatch` re-reads and pushes the held SKUs, then records the approval, so a failed
 * push leaves the anomaly open to approve again); rejecting drops it.
 */
import type { Anomaly as ContractAnomaly, AnomalyStatus } from './contract';
import { AnomalyAlreadyDecidedError, AnomalyNotFoundError, createAnomalyRepository, type Anomaly } from '../insights/anomaly/repository';
import { HttpError } from '../runtime/http-error';
import type { AdminContext } from './context';

/**
 * How far back the Anomalies page and the Overview count look. The repository keeps 90 days but
 * reads its day index one day at a time; a month keeps the page quick and covers any batch still
 * worth deciding (a held stock batch older than that is re-read by reconciliation anyway).
 */
export const ANOMALY_DAYS = 30;

/** Contract kinds read with dashes (`stock-wipe`), the repository's with underscores. */
export function anomalyView(a: Anomaly): ContractAnomaly {
  return { id: a.id, kind: a.kind.replace(/_/g, '-'), flow: a.flow, detectedAt: a.detectedAt, summary: a.summary, details: { ...a.details, holds: a.holds, ...(a.decidedBy ? { decidedBy: a.decidedBy, decidedAt: a.decidedAt, note: a.note } : {}) }, status: a.status };
}

function repository(ctx: AdminContext) {
  const { state, files, clock } = ctx.deps.platform;
  return createAnomalyRepository({ state, files, clock });
}

export async function listAnomalies(status: AnomalyStatus | undefined, ctx: AdminContext): Promise<ContractAnomaly[]> {
  return (await repository(ctx).listRecent({ days: ANOMALY_DAYS, status })).map(anomalyView);
}

export async function decideAnomaly(id: string, decision: 'approve' | 'reject', reason: string | undefined, ctx: AdminContext): Promise<{ id: string; status: AnomalyStatus }> {
  const repo = repository(ctx);
  const anomaly = await repo.get(id);
  if (!anomaly) throw new HttpError(404, 'not_found', `id: anomaly "${id}" does not exist (or expired after 90 days)`, 'id');
  if (decision === 'approve' && anomaly.holds && anomaly.flow === 'inventory' && anomaly.status === 'open') {
    // The inventory area pushes the held SKUs' current stock and records the approval itself.
    if (!ctx.hooks.applyHeldBatch) throw new HttpError(409, 'not_applied', `id: anomaly ${id} holds a stock batch, but this connector has no inventory area to push it`, 'id');
    await ctx.hooks.applyHeldBatch(id, ctx.deps, ctx.actor);
    const decided = await repo.get(id);
    return { id, status: decided?.status ?? 'approved' };
  }
  if (decision === 'approve' && anomaly.holds && anomaly.kind === 'fraud' && anomaly.status === 'open') {
    // The orders area approves the anomaly and sends the held order to Heartland now.
    if (!ctx.hooks.releaseHeldOrder) throw new HttpError(409, 'not_applied', `id: anomaly ${id} holds an order, but this connector has no orders area to send it`, 'id');
    await ctx.hooks.releaseHeldOrder(id, ctx.deps, { by: ctx.actor, note: reason || undefined });
    const decided = await repo.get(id);
    return { id, status: decided?.status ?? 'approved' };
  }
  try {
    const decided = await repo[decision](id, { by: ctx.actor, note: reason || undefined });
    return { id: decided.id, status: decided.status };
  } catch (error) {
    if (error instanceof AnomalyNotFoundError) throw new HttpError(404, 'not_found', `id: ${error.message}`, 'id');
    if (error instanceof AnomalyAlreadyDecidedError) throw new HttpError(409, 'already_decided', `id: ${error.message}`, 'id');
    throw error;
  }
}

/**
 * Anomalies: list and decide. Approving a held batch releases it through the area that holds it
 * (inventory's `applyHeldBatch`); rejecting drops it. A decision is recorded before the release,
 * so a failing release leaves an approved anomaly whose batch the area can still apply.
 */
import type { Anomaly as ContractAnomaly, AnomalyStatus } from './contract';
import { AnomalyAlreadyDecidedError, AnomalyNotFoundError, createAnomalyRepository, type Anomaly } from '../insights/anomaly/repository';
import { HttpError } from '../runtime/http-error';
import type { AdminContext } from './context';

/** How far back the Anomalies page looks (the repository keeps 90 days). */
export const ANOMALY_DAYS = 90;

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
  let decided: Anomaly;
  try {
    decided = await repo[decision](id, { by: ctx.actor, note: reason || undefined });
  } catch (error) {
    if (error instanceof AnomalyNotFoundError) throw new HttpError(404, 'not_found', error.message, 'id');
    if (error instanceof AnomalyAlreadyDecidedError) throw new HttpError(409, 'already_decided', error.message, 'id');
    throw error;
  }
  if (decision === 'approve' && decided.holds && decided.flow === 'inventory') {
    if (!ctx.hooks.applyHeldBatch) {
      throw new HttpError(409, 'not_applied', `anomaly ${id} is approved, but this connector has no inventory area to push the held batch; it will not be applied`, 'id');
    }
    await ctx.hooks.applyHeldBatch(id, ctx.deps);
  }
  return { id: decided.id, status: decided.status };
}

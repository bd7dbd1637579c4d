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

interface HeldRelease {
  what: string;
  area: string;
  apply: (() => Promise<unknown>) | undefined;
}

function heldRelease(anomaly: { id: string; flow?: string; kind: string }, note: string | undefined, ctx: AdminContext): HeldRelease | undefined {
  const { hooks, deps, actor } = ctx;
  const decision = { by: actor, note };
  if (anomaly.flow === 'inventory') {
    // The inventory area pushes the held SKUs' current stock.
    return { what: 'a stock batch', area: 'inventory', apply: hooks.applyHeldBatch && (() => hooks.applyHeldBatch!(anomaly.id, deps, actor)) };
  }
  if (anomaly.kind === 'fraud') {
    // The orders area sends the held order to Heartland.
    return { what: 'an order', area: 'orders', apply: hooks.releaseHeldOrder && (() => hooks.releaseHeldOrder!(anomaly.id, deps, decision)) };
  }
  if (anomaly.kind === 'price_change' && hooks.releaseHeldPriceChange) {
    // The products area writes the held price to Magento now. Without the hook the plain approval
    // below is enough: the products area's held-price-changes feed writes it on the next pass.
    const release = hooks.releaseHeldPriceChange;
    return { what: 'a price change', area: 'products', apply: () => release(anomaly.id, deps, decision) };
  }
  return undefined;
}

export async function decideAnomaly(id: string, decision: 'approve' | 'reject', reason: string | undefined, ctx: AdminContext): Promise<{ id: string; status: AnomalyStatus }> {
  const repo = repository(ctx);
  const anomaly = await repo.get(id);
  if (!anomaly) throw new HttpError(404, 'not_found', `id: anomaly "${id}" does not exist (or expired after 90 days)`, 'id');
  // Approving something held applies it now, through the area that holds it (which records the
  // approval itself); without that area the hold could be approved but never applied.
  const release = decision === 'approve' && anomaly.holds && anomaly.status === 'open' ? heldRelease(anomaly, reason || undefined, ctx) : undefined;
  if (release) {
    if (!release.apply) throw new HttpError(409, 'not_applied', `id: anomaly ${id} holds ${release.what}, but this connector has no ${release.area} area to apply it`, 'id');
    await release.apply();
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

/**
 * Approving an anomaly that holds one unit of work (an order held for fraud review, a price change
 * held for approval): records the approval when the anomaly is still open, then runs the held unit
 * now with trigger `manual` — a person's decision, so the stale, duplicate and trigger-status
 * guards do not stop it, while the flow's own guard sees the approval and lets it through. Safe to
 * call again for an approved anomaly (the first run was retried or failed).
 */
import { AnomalyNotFoundError, createAnomalyRepository, type Anomaly } from '../insights';
import { HttpError } from '../runtime/http-error';
import { runRegisteredUnit, type SyncDeps, type UnitOutcome } from '../sync';

export interface HeldUnitRelease {
  anomaly: Anomaly;
  outcome: UnitOutcome;
}

export interface HeldUnitKind {
  /** Anomaly kind that holds this flow's units. */
  kind: Anomaly['kind'];
  flow: string;
  /** The anomaly detail naming the unit key (e.g. `orderId`, `itemId`). */
  keyDetail: string;
  /** For refusals: `an order`, `a price change`. */
  what: string;
  /** Error code when the anomaly holds no such unit. */
  notHeldCode: string;
  /** What a rejection means, for the 409: `the order stays unsent`. */
  whenRejected: string;
}

export async function releaseHeldUnit(held: HeldUnitKind, anomalyId: string, deps: SyncDeps, decision: { by: string; note?: string }): Promise<HeldUnitRelease> {
  const { state, files, clock } = deps.platform;
  const repo = createAnomalyRepository({ state, files, clock });
  const anomaly = await repo.get(anomalyId);
  if (!anomaly) throw new AnomalyNotFoundError(anomalyId);
  const key = anomaly.details[held.keyDetail];
  if (anomaly.kind !== held.kind || !anomaly.holds || typeof key !== 'string') {
    throw new HttpError(409, held.notHeldCode, `id: anomaly ${anomalyId} does not hold ${held.what} (kind ${anomaly.kind})`, 'id');
  }
  if (anomaly.status === 'rejected') throw new HttpError(409, 'already_decided', `id: anomaly ${anomalyId} was rejected by ${anomaly.decidedBy ?? 'someone'}; ${held.whenRejected}`, 'id');
  const approved = anomaly.status === 'open' ? await repo.approve(anomalyId, decision) : anomaly;
  const outcome = await runRegisteredUnit({ flow: held.flow, key, trigger: 'manual', correlationId: `release-${anomalyId}` }, deps);
  return { anomaly: approved, outcome };
}

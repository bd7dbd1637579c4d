/**
 * Decisions a person takes in the panel (admin-api calls these): apply a stock batch the wipe
 * guard held, or push the SKUs of a drift report again.
 *
 * An approved batch is not replayed from the stored payload: stock moved on while it waited, so
 * the held items are re-read and their current values pushed (bypassing the guard this once).
 * That applies what the person approved — the drop — without rewinding later changes.
 */
import { createAnomalyRepository } from '../../insights';
import type { SyncDeps } from '../../sync';
import { createTaskContext } from '../../sync/task-context';
import { HttpError } from '../../runtime/http-error';
import { stockEnvOf } from './env';
import { syncStock, type HeldStockBatch, type StockSyncResult } from './stock-sync';
import { INVENTORY_FLOW } from './stock-flow';

function taskContext(deps: SyncDeps, owner: string) {
  return createTaskContext(deps, { owner, deadlineMs: deps.deadlineMs ?? deps.platform.clock.now() + 55_000 });
}

export async function applyHeldBatch(anomalyId: string, deps: SyncDeps, decidedBy = 'admin'): Promise<StockSyncResult> {
  const ctx = taskContext(deps, `apply held stock batch ${anomalyId}`);
  const anomalies = createAnomalyRepository({ state: ctx.state, files: ctx.files, clock: ctx.clock });
  const anomaly = await anomalies.get(anomalyId);
  if (!anomaly) throw new HttpError(404, 'anomaly_not_found', `anomaly "${anomalyId}" does not exist (or expired after 90 days)`, 'anomalyId');
  if (anomaly.kind !== 'stock_wipe' || anomaly.flow !== INVENTORY_FLOW || !anomaly.holds) {
    throw new HttpError(400, 'not_a_stock_batch', `anomaly ${anomalyId} is a ${anomaly.kind} of ${anomaly.flow}, not a held stock batch`, 'anomalyId');
  }
  if (anomaly.status !== 'open') throw new HttpError(409, 'already_decided', `anomaly ${anomalyId} was already ${anomaly.status}`, 'anomalyId');
  const held = (await anomalies.loadPayload(anomalyId))?.payload as HeldStockBatch | undefined;
  if (!held || !Array.isArray(held.itemIds)) throw new HttpError(409, 'payload_missing', `anomaly ${anomalyId} has no held stock batch to apply`, 'anomalyId');
  const env = await stockEnvOf(ctx);
  const result = await syncStock(env, { itemIds: held.itemIds }, { approved: true, force: true, trigger: `approved ${anomalyId}` });
  await anomalies.approve(anomalyId, { by: decidedBy, note: `applied: ${result.changed} source items in ${result.push.writeCalls} writes` });
  return result;
}

/** Pushes the current Heartland quantity of these SKUs to every mapped source, whatever was pushed before. */
export async function fixDrift(skus: string[], deps: SyncDeps): Promise<StockSyncResult & { unknownSkus: string[] }> {
  if (!Array.isArray(skus) || skus.length === 0 || skus.some((s) => typeof s !== 'string' || s.trim() === '')) {
    throw new HttpError(400, 'invalid_skus', 'skus must be a non-empty list of SKUs', 'skus');
  }
  if (skus.length > 5000) throw new HttpError(400, 'too_many_skus', 'skus: at most 5,000 per fix; run a full reconciliation for more', 'skus');
  const ctx = taskContext(deps, 'fix stock drift');
  const env = await stockEnvOf(ctx);
  const found = await env.heartland.items.findBySkus(skus);
  const unknownSkus = skus.filter((s) => !found.has(s));
  const result = await syncStock(env, { itemIds: [...found.values()].map((i) => i.id) }, { force: true, trigger: 'drift fix' });
  return { ...result, unknownSkus };
}

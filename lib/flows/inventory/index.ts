/**
 * The inventory area: Heartland stock → Magento MSI source items (issue 8).
 *
 * - `inventory` flow (stock-flow.ts): ledger drains, triggered by coalesced `inventory.updated`
 *   hints, the scheduler's poll and Magento shipments.
 * - `inventory` feed: the scheduler's safety net; one unit when the ledger moved past the cursor.
 * - `inventory-full` job (reconcile.ts): nightly and on-demand full reconciliation with drift report.
 */
import { defineArea, type AreaContext } from '../area';
import { defineFeed, type UnitInput } from '../../sync';
import { stateKey } from '../../platform/state-key';
import type { ParsedCommerceEvent } from '../../commerce/events';
import type { EventNotification } from '../../heartland/payloads';
import { INVENTORY_FLOW, inventoryFlow, windowOf, windowUnitKey } from './stock-flow';
import { INVENTORY_FEED, readLedgerCursor } from './ledger';
import { inventoryReconcileJob } from './reconcile';

export { inventoryFlow, INVENTORY_FLOW, windowOf, windowUnitKey } from './stock-flow';
export { inventoryReconcileJob, startInventoryReconciliation, runInventoryReconciliation, readDriftReport, INVENTORY_RECONCILE_JOB } from './reconcile';
export type { DriftReport, ReconcileChunkResult } from './reconcile';
export { applyHeldBatch, fixDrift } from './held-batches';
export { syncStock, planStock, commitPlan } from './stock-sync';
export type { StockEnv, StockSyncResult, StockSyncOptions, DriftRow, HeldStockBatch } from './stock-sync';
export { desiredSourceItems, sourceQuantityOf, safetyStockFor, mappedSources } from './formula';

/** Windows already claimed in this container: later hints of the same window need no state call. */
const claimedWindows = new Map<string, number>();
const WINDOW_MARK_TTL_SECONDS = 120;

export async function unitsForStockHint(notification: EventNotification, ctx: AreaContext): Promise<UnitInput[]> {
  if (notification.event !== 'inventory.updated') return [];
  const { clock, state } = ctx.deps.platform;
  const coalesceMs = Math.max(1, ctx.settings.schedules.stockCoalesceMs);
  const now = clock.now();
  const key = windowUnitKey(windowOf(now, coalesceMs), coalesceMs);
  for (const [k, at] of claimedWindows) if (now - at > 60_000) claimedWindows.delete(k);
  if (claimedWindows.has(key)) return [];
  claimedWindows.set(key, now);
  // Other containers: one state read (and a write for the first hint) instead of a unit per hint.
  // Two first hints racing both get the unit; the pipeline's unit lease makes the second wait.
  const mark = stateKey('inventory', 'window', key);
  if (await state.get(mark)) return [];
  await state.put(mark, now, { ttlSeconds: WINDOW_MARK_TTL_SECONDS });
  return [{ flow: INVENTORY_FLOW, key, trigger: 'event', eventId: `inventory-${key}`, eventAt: now }];
}

/** A Magento shipment deducts the shipped units from the source item: push those SKUs again. */
export function unitsForShipment(event: ParsedCommerceEvent): UnitInput[] {
  if (event.kind !== 'shipment') return [];
  const skus = [...new Set((event.value.items ?? []).map((i) => i.sku).filter((s): s is string => typeof s === 'string' && s !== ''))];
  const id = event.value.entity_id ?? event.value.increment_id;
  if (!skus.length || id === undefined) return [];
  return [{ flow: INVENTORY_FLOW, key: `shipment-${id}`, trigger: 'event', eventId: event.event.id, payloadHint: { skus } }];
}

export const inventoryFeed = defineFeed({
  name: INVENTORY_FEED,
  async poll(_cursor, ctx) {
    const drained = await readLedgerCursor(ctx.state);
    const newest = await ctx.client('heartland').inventory.lastTransactionId();
    // Bookkeeping only: the drain units own `inventory.ledger` and move it when a range is pushed.
    if (newest <= drained) return { units: [], nextCursor: String(drained) };
    return { units: [{ flow: INVENTORY_FLOW, key: `ledger-${drained}` }], nextCursor: String(newest) };
  },
});

export const inventoryArea = defineArea({
  name: 'inventory',
  flows: [inventoryFlow],
  feeds: [inventoryFeed],
  jobs: [inventoryReconcileJob],
  unitsForHeartlandNotification: unitsForStockHint,
  unitsForCommerceEvent: (event) => unitsForShipment(event),
});

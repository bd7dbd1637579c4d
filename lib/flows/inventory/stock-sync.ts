/**
 * One stock sync over a set of Heartland items: re-read their values (batched), add the open
 * web-order commitments, compute the quantity per MSI source (formula.ts), keep only what differs
 * from the last push (or from Magento itself, for reconciliation), check the batch against the
 * wipe guard, write it in batches and remember what was written. The real-time path (ledger
 * windows), the nightly reconciliation chunks, drift fixes and held-batch approval all run this.
 */
import { z } from 'zod';
import type { CommerceClient } from '../../commerce/client';
import type { ConnectorSettings } from '../../config/connector-settings';
import type { HeartlandClient } from '../../heartland/client';
import { InventoryValue } from '../../heartland/payloads';
import type { Clock, FileStore, Logger, StateStore } from '../../platform/ports';
import { createAnomalyRepository, evaluateStockBatch, stockKey, type Anomaly, type StockBatchVerdict } from '../../insights';
import { desiredSourceItems, mappedSources, type LocationAvailability, type SourceQuantity } from './formula';
import { PushedSnapshot } from './snapshot';
import { openWebCommitments } from './web-commitments';
import { pushSourceItems, type PushOptions, type PushResult } from './push';

/** Everything a stock sync needs; built from a flow's or job's context (env.ts). */
export interface StockEnv {
  heartland: HeartlandClient;
  commerce: CommerceClient;
  files: FileStore;
  state: StateStore;
  clock: Clock;
  logger: Logger;
  settings: ConnectorSettings;
  push?: PushOptions;
}

export type ItemSelection = { itemIds: readonly number[] } | { range: { afterId: number; toId: number } };

export interface StockSyncOptions {
  /** Push every computed value, not only those that differ from the last push (after a Magento shipment, drift fixes). */
  force?: boolean;
  /** Also compare with Magento's own source items and push where they differ (reconciliation). */
  compareWithMagento?: boolean;
  /** Skip the wipe guard: a person approved this batch. */
  approved?: boolean;
  /** Compute and report, write nothing (drift report only). */
  dryRun?: boolean;
  /** What started it, for the anomaly record and logs. */
  trigger: string;
}

/** A SKU × source whose Magento quantity is not what Heartland says it should be. */
export interface DriftRow {
  sku: string;
  source: string;
  /** What the formula gives from Heartland now. */
  heartland: number;
  /** Magento's source item quantity (null: the source item does not exist). */
  magento: number | null;
  /** What the connector last pushed (null: never). */
  lastPushed: number | null;
}

export interface StockSyncResult {
  items: number;
  /** Source items computed (items × mapped sources). */
  computed: number;
  /** Source items that differed and were (or, when held, would have been) written. */
  changed: number;
  push: PushResult;
  held?: { anomalyId: string; reasons: string[] };
  drift: DriftRow[];
  /** Σ qty_available at the mapped locations per SKU (filled when comparing with Magento, for the drift report). */
  availableBySku?: Map<string, number>;
  /** Items skipped because Heartland has no SKU (`public_id`) for them. */
  withoutSku: number[];
  reason?: string;
  /** Milliseconds per phase (reads, diff), for the run report and the benchmark. */
  timings?: Record<string, number>;
}

const ItemSku = z.object({ id: z.number().int(), public_id: z.string().nullish() });
const ITEM_PAGE = 5000;
const VALUE_PAGE = 5000;

const EMPTY_PUSH: PushResult = { items: 0, writeCalls: 0, mode: 'none' };

/** Item id → SKU for the selection; from the snapshot where known, else read from Heartland. */
async function skusFor(env: StockEnv, selection: ItemSelection, snapshot: PushedSnapshot, valueItemIds: Set<number>): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if ('range' in selection) {
    // Every item in the range, stocked or not: an item whose rows vanished must still be pushed as 0.
    // Keyset over the range, ids and SKUs only (`_only[]`, heartland.md §2.3): a full item is ~1 KB.
    let after = selection.range.afterId;
    for (;;) {
      const page = await env.heartland.page('items', ItemSku, {
        filter: { $and: [{ id: { $gt: after } }, { id: { $lte: selection.range.toId } }] },
        sort: ['id'],
        perPage: ITEM_PAGE,
        page: 1,
        only: ['id', 'public_id'],
      });
      for (const item of page.results) {
        if (item.public_id) out.set(item.id, item.public_id);
        after = item.id;
      }
      if (page.results.length < ITEM_PAGE) return out;
    }
  }
  const missing: number[] = [];
  for (const id of new Set([...selection.itemIds, ...valueItemIds])) {
    const sku = snapshot.skuOf(id);
    if (sku) out.set(id, sku);
    else missing.push(id);
  }
  if (missing.length) for (const item of await env.heartland.items.getMany(missing)) if (item.public_id) out.set(item.id, item.public_id);
  return out;
}

async function readAvailability(env: StockEnv, selection: ItemSelection, locationIds: number[]): Promise<LocationAvailability[]> {
  const rows: LocationAvailability[] = [];
  if ('range' in selection) {
    // Keyset on item id, bounded above by the range: the server filters to this chunk's rows
    // before sorting, instead of sorting every row after the chunk's start on every page.
    let after = selection.range.afterId;
    for (;;) {
      const page = await env.heartland.page('inventory/values', InventoryValue, {
        filter: { $and: [{ location_id: { $in: locationIds } }, { item_id: { $gt: after } }, { item_id: { $lte: selection.range.toId } }] },
        sort: ['item_id', 'location_id'],
        perPage: VALUE_PAGE,
        page: 1,
        params: { 'group[]': ['item_id', 'location_id'] },
      });
      const results = page.results.filter((v) => v.item_id !== undefined && v.location_id !== undefined);
      const full = page.results.length === VALUE_PAGE;
      // A full page may end in the middle of an item's locations: that item is read again next page.
      const lastItem = results[results.length - 1]?.item_id;
      const complete = full ? results.filter((v) => v.item_id !== lastItem) : results;
      if (full && complete.length === 0) throw new Error(`item ${lastItem} has more than ${VALUE_PAGE} inventory rows at the mapped locations`);
      for (const v of complete) rows.push({ itemId: v.item_id!, locationId: v.location_id!, available: v.qty_available });
      if (!full) return rows;
      after = complete[complete.length - 1].item_id!;
    }
  }
  if (selection.itemIds.length === 0) return rows;
  for (const v of await env.heartland.inventory.getValues(selection.itemIds, locationIds)) {
    if (v.item_id === undefined || v.location_id === undefined) continue;
    rows.push({ itemId: v.item_id, locationId: v.location_id, available: v.qty_available });
  }
  return rows;
}

/** What a sync would do, before the wipe guard and the write. */
export interface StockPlan {
  result: StockSyncResult;
  changes: SourceQuantity[];
  snapshot: PushedSnapshot;
  itemOf: Map<string, number>;
  /** Wipe guard verdict; undefined when approved, dry or nothing changed. */
  verdict?: StockBatchVerdict;
}

export async function planStock(env: StockEnv, selection: ItemSelection, options: StockSyncOptions): Promise<StockPlan> {
  const { settings } = env;
  const snapshot = new PushedSnapshot(env.files);
  const sources = mappedSources(settings);
  const empty = (reason: string): StockPlan => ({
    result: { items: 0, computed: 0, changed: 0, push: EMPTY_PUSH, drift: [], withoutSku: [], reason },
    changes: [],
    snapshot,
    itemOf: new Map(),
  });
  if (sources.length === 0) return empty('no Heartland location is mapped to an MSI source (settings.locationToSource)');
  if ('itemIds' in selection && selection.itemIds.length === 0) return empty('no items changed');
  const locationIds = [...new Set(settings.locationToSource.map((m) => Number(m.locationId)))];

  const timings: Record<string, number> = {};
  let mark = env.clock.now();
  const lap = (phase: string) => {
    const now = env.clock.now();
    timings[phase] = now - mark;
    mark = now;
  };
  // Values and open web orders are independent reads: in flight together, one round trip less per window.
  const committedRead = 'itemIds' in selection ? openWebCommitments(env.heartland, new Set(selection.itemIds)) : undefined;
  committedRead?.catch(() => undefined); // awaited below; keeps an early failure from going unhandled meanwhile
  const availability = await readAvailability(env, selection, locationIds);
  lap('heartlandValues');
  const valueItemIds = new Set(availability.map((r) => r.itemId));
  const candidateIds = 'range' in selection ? [...valueItemIds] : [...selection.itemIds];
  await snapshot.load(candidateIds);
  const skus = await skusFor(env, selection, snapshot, 'range' in selection ? new Set() : valueItemIds);
  await snapshot.load(skus.keys());
  lap('skusAndSnapshot');
  const withoutSku = candidateIds.filter((id) => !skus.has(id));
  const committed = await (committedRead ?? openWebCommitments(env.heartland, new Set(skus.keys())));
  lap('webCommitments');
  const desired = desiredSourceItems({ items: skus, availability, webCommitted: committed, settings });

  const itemOf = new Map<string, number>();
  for (const [id, sku] of skus) itemOf.set(sku, id);

  let magento: Map<string, number> | undefined;
  if (options.compareWithMagento) {
    magento = new Map();
    const rows = await env.commerce.inventory.sourceItemsForSkus([...skus.values()]);
    for (const row of rows) magento.set(stockKey(row.sku, row.source_code), Number(row.quantity));
    lap('magentoSourceItems');
  }

  const changes: SourceQuantity[] = [];
  const drift: DriftRow[] = [];
  for (const d of desired) {
    const itemId = itemOf.get(d.sku)!;
    const last = snapshot.get(itemId, d.source);
    const differsFromLast = !last || last[0] !== d.quantity || last[1] !== d.status;
    let differsFromMagento = false;
    if (magento) {
      const actual = magento.get(stockKey(d.sku, d.source));
      differsFromMagento = actual === undefined || actual !== d.quantity;
      if (differsFromMagento) drift.push({ sku: d.sku, source: d.source, heartland: d.quantity, magento: actual ?? null, lastPushed: last ? last[0] : null });
    }
    if (options.force || differsFromLast || differsFromMagento) changes.push(d);
  }

  lap('diff');
  let availableBySku: Map<string, number> | undefined;
  if (magento) {
    availableBySku = new Map();
    for (const row of availability) {
      const sku = skus.get(row.itemId);
      if (sku !== undefined) availableBySku.set(sku, (availableBySku.get(sku) ?? 0) + row.available);
    }
  }
  const plan: StockPlan = {
    result: { items: skus.size, computed: desired.length, changed: changes.length, push: EMPTY_PUSH, drift, withoutSku, timings, availableBySku },
    changes,
    snapshot,
    itemOf,
  };
  if (changes.length > 0 && !options.dryRun && !options.approved) plan.verdict = wipeVerdict(snapshot, changes, settings);
  return plan;
}

/** Holds the batch as an anomaly (wipe guard) or writes it and remembers what was written. */
export async function commitPlan(env: StockEnv, plan: StockPlan, options: StockSyncOptions): Promise<StockSyncResult> {
  const { result, changes } = plan;
  if (changes.length === 0 || options.dryRun) return result;
  if (plan.verdict?.hold) {
    const anomaly = await holdBatch(env, changes, plan.itemOf, plan.verdict, options.trigger);
    result.held = { anomalyId: anomaly.id, reasons: plan.verdict.reasons };
    env.logger.warn('stock batch held by the wipe guard', { anomalyId: anomaly.id, reasons: plan.verdict.reasons, changed: changes.length });
    return result;
  }
  result.push = await pushSourceItems(env.commerce, changes, env.push);
  for (const c of changes) plan.snapshot.set(plan.itemOf.get(c.sku)!, c);
  await plan.snapshot.save();
  return result;
}

export async function syncStock(env: StockEnv, selection: ItemSelection, options: StockSyncOptions): Promise<StockSyncResult> {
  return commitPlan(env, await planStock(env, selection, options), options);
}

/**
 * The wipe guard over this batch, per MSI source, against what was last pushed for the items in
 * the same snapshot buckets. Per source because the typical wipe is one location's feed (a broken
 * export, a location mapped wrongly) zeroing that source while the others are fine.
 */
export function wipeVerdict(snapshot: PushedSnapshot, changes: SourceQuantity[], settings: ConnectorSettings): StockBatchVerdict {
  const previous = new Map<string, Map<string, number>>();
  for (const e of snapshot.entries()) {
    let m = previous.get(e.source);
    if (!m) previous.set(e.source, (m = new Map()));
    m.set(stockKey(e.sku, e.source), e.quantity);
  }
  const next = new Map<string, Map<string, number>>();
  for (const c of changes) {
    let m = next.get(c.source);
    if (!m) next.set(c.source, (m = new Map()));
    m.set(stockKey(c.sku, c.source), c.quantity);
  }
  const thresholds = { maxSkuShare: settings.wipeGuard.maxSkuShare, maxUnitShare: settings.wipeGuard.maxUnitShare };
  let worst: StockBatchVerdict | undefined;
  const reasons: string[] = [];
  for (const [source, batch] of next) {
    const verdict = evaluateStockBatch({ previous: previous.get(source) ?? new Map(), next: batch, thresholds });
    if (verdict.hold) reasons.push(...verdict.reasons.map((r) => `source ${source}: ${r}`));
    if (!worst || verdict.evidence.zeroedShare > worst.evidence.zeroedShare) worst = verdict;
  }
  return { hold: reasons.length > 0, reasons, evidence: worst!.evidence };
}

/** The payload kept with a held batch: enough to re-read and apply it on approval. */
export interface HeldStockBatch {
  itemIds: number[];
  changes: SourceQuantity[];
  trigger: string;
}

async function holdBatch(env: StockEnv, changes: SourceQuantity[], itemOf: Map<string, number>, verdict: StockBatchVerdict, trigger: string): Promise<Anomaly> {
  const anomalies = createAnomalyRepository({ state: env.state, files: env.files, clock: env.clock });
  const itemIds = [...new Set(changes.map((c) => itemOf.get(c.sku)!))];
  const payload: HeldStockBatch = { itemIds, changes, trigger };
  return anomalies.record({
    kind: 'stock_wipe',
    flow: 'inventory',
    summary: `Stock batch of ${changes.length} source items held: ${verdict.reasons.join('; ')}`,
    details: { ...verdict.evidence, trigger, changed: changes.length },
    hold: true,
    payload,
  });
}

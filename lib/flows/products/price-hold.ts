/**
 * Price changes beyond a threshold (issue 12): the product flow's `guard`. A Heartland price that
 * jumps from 100 to 1 (a lost decimal point in an import) would be on the web store within a
 * minute, so before a product update is written its `price` and `special_price` are compared with
 * what Magento shows now (`evaluatePriceChanges`, `settings.anomalies.maxPriceChangeShare`).
 *
 * A change beyond the limit is recorded as a `price_change` anomaly with the evidence (SKU, old,
 * new, % change, the limit). With `settings.anomalies.holdPriceChanges` (default on) the whole
 * update waits: the unit ends `skipped: held` and nothing is written to Magento until a person
 * decides on the Anomalies page. Approved → written as it is; rejected → the rest of the update is
 * written with Magento's price left as it is.
 *
 * The decision lives in `product.price.<item id>` → anomaly id and the prices it covers, so every
 * later run of the unit (the feed, a hint, a retry) asks the anomaly instead of recording again. A
 * further change of the Heartland price is a new proposal and is judged afresh.
 *
 * Release: `releaseHeldPriceChange` (approve + run the unit now, for the admin API), and the
 * `held-price-changes` feed, which runs the unit of any hold approved through the generic approve
 * route within one scheduler pass (it reads one key, `product.price-holds`, while nothing waits).
 */
import type { Product as MagentoProduct, ProductInput } from '../../commerce/payloads';
import { createAnomalyRepository, evaluatePriceChanges, type AnomalyStatus, type PriceChangeFinding } from '../../insights';
import type { StateStore } from '../../platform/ports';
import { stateKey } from '../../platform/state-key';
import { defineFeed, type FlowContext, type GuardVerdict, type SyncDeps } from '../../sync';
import { releaseHeldUnit, type HeldUnitRelease } from '../release-held';

/** The product flow's name, kept literal to avoid an import cycle with product-flow.ts. */
const FLOW = 'product';
const DECISION_TTL_SECONDS = 90 * 24 * 3600;
export const PRICE_HOLDS_KEY = 'product.price-holds';
export const HELD_PRICE_CHANGES_FEED = 'held-price-changes';

export const priceDecisionKey = (itemId: string) => stateKey('product', 'price', itemId);

export type PriceField = 'price' | 'special_price';

export interface ProposedPriceChange {
  field: PriceField;
  previous: number;
  next: number;
}

/** What the flow remembers about the last flagged proposal of one item. */
export interface PriceDecision {
  anomalyId: string;
  sku: string;
  /** The flagged changes; the decision covers exactly these new values. */
  changes: ProposedPriceChange[];
  held: boolean;
}

/** The decision of the item's last flagged proposal and its anomaly's status (read once, in `load`). */
export interface PriceDecisionState {
  decision: PriceDecision;
  /** `missing` once the anomaly expired (90 days): the proposal is judged again. */
  status: AnomalyStatus | 'missing';
}

export interface PriceGuardSettings {
  maxChangeShare: number;
  hold: boolean;
}

const number = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const specialPrice = (attrs: Array<{ attribute_code: string; value?: unknown }> | null | undefined) => number(attrs?.find((a) => a.attribute_code === 'special_price')?.value);

/** The price fields this update would change, with Magento's current value (new products have none). */
export function proposedPriceChanges(current: MagentoProduct, next: ProductInput): ProposedPriceChange[] {
  const changes: ProposedPriceChange[] = [];
  const pairs: Array<[PriceField, number | undefined, number | undefined]> = [
    ['price', number(current.price), number(next.price)],
    ['special_price', specialPrice(current.custom_attributes), specialPrice(next.custom_attributes)],
  ];
  for (const [field, previous, proposed] of pairs) {
    if (previous !== undefined && proposed !== undefined && previous !== proposed) changes.push({ field, previous, next: proposed });
  }
  return changes;
}

const covers = (decision: PriceDecision, flagged: ProposedPriceChange[]) =>
  flagged.length === decision.changes.length && flagged.every((c) => decision.changes.some((d) => d.field === c.field && d.next === c.next));

/** Reads the item's decision and its anomaly's status: one get while there is none. */
export async function readPriceDecision(ctx: Pick<FlowContext, 'state' | 'files' | 'clock'>, itemId: string): Promise<PriceDecisionState | undefined> {
  const decision = await ctx.state.get<PriceDecision>(priceDecisionKey(itemId));
  if (!decision) return undefined;
  const anomaly = await createAnomalyRepository({ state: ctx.state, files: ctx.files, clock: ctx.clock }).get(decision.anomalyId);
  return { decision, status: anomaly?.status ?? 'missing' };
}

/**
 * A rejected change is not written: the fields it covers are taken out of the update (when the
 * Heartland price is still the rejected one), so the rest of the product still syncs.
 */
export function withoutRejectedPrices(product: ProductInput, decided: PriceDecisionState | undefined): ProductInput {
  if (decided?.status !== 'rejected') return product;
  const rejected = new Map(decided.decision.changes.map((c) => [c.field, c.next]));
  const out = { ...product };
  if (rejected.has('price') && number(out.price) === rejected.get('price')) delete out.price;
  if (rejected.has('special_price') && specialPrice(out.custom_attributes) === rejected.get('special_price')) {
    out.custom_attributes = out.custom_attributes?.filter((a) => a.attribute_code !== 'special_price');
  }
  return out;
}

function percent(change: number): string {
  return `${change > 0 ? '+' : ''}${Math.round(change * 100)}%`;
}

/** Appends to the small list of holds the release feed watches (re-read to confirm, as the anomaly day index does). */
async function rememberHold(state: StateStore, entry: { anomalyId: string; itemId: string }, sleep: (ms: number) => Promise<void>): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const holds = (await state.get<Array<{ anomalyId: string; itemId: string }>>(PRICE_HOLDS_KEY)) ?? [];
    if (holds.some((h) => h.anomalyId === entry.anomalyId)) return;
    await state.put(PRICE_HOLDS_KEY, [...holds, entry], { ttlSeconds: DECISION_TTL_SECONDS });
    const check = (await state.get<Array<{ anomalyId: string }>>(PRICE_HOLDS_KEY)) ?? [];
    if (check.some((h) => h.anomalyId === entry.anomalyId)) return;
    await sleep(20 + Math.floor(Math.random() * 80));
  }
}

export interface PriceGuardInput {
  itemId: string;
  sku: string;
  magento?: MagentoProduct;
  settings: PriceGuardSettings;
  decided?: PriceDecisionState;
}

/** The product flow's guard: pass, flag (write and list), or hold the update. */
export async function priceChangeGuard(product: ProductInput, ctx: FlowContext, input: PriceGuardInput): Promise<GuardVerdict> {
  if (!input.magento) return undefined; // a new product has no price to compare with
  if (!(input.settings.maxChangeShare > 0)) return undefined; // 0 turns the check off (settings comment)
  const proposed = proposedPriceChanges(input.magento, product);
  if (proposed.length === 0) return undefined;
  // One proposal at a time, so each finding stays paired with the field it is about.
  const flagged: Array<ProposedPriceChange & { finding: PriceChangeFinding }> = [];
  for (const change of proposed) {
    const sku = change.field === 'price' ? input.sku : `${input.sku} (special price)`;
    const [finding] = evaluatePriceChanges([{ sku, previous: change.previous, next: change.next }], { maxChangeShare: input.settings.maxChangeShare });
    if (finding) flagged.push({ ...change, finding });
  }
  if (flagged.length === 0) return undefined;
  const changes = flagged.map(({ field, previous, next }) => ({ field, previous, next }));

  const decided = input.decided;
  if (decided && decided.status !== 'missing' && covers(decided.decision, changes)) {
    if (decided.status === 'approved') return undefined;
    if (decided.status === 'open' && decided.decision.held) {
      return { skip: 'held', detail: `price change of ${input.sku} waits for approval (anomaly ${decided.decision.anomalyId})` };
    }
    // Flagged only (recorded, written), or rejected (withoutRejectedPrices took the fields out; a
    // rejected value that is still proposed here means the mapping put it back: do not write it).
    if (decided.status === 'rejected') return { skip: 'held', detail: `price change of ${input.sku} was rejected (anomaly ${decided.decision.anomalyId}); it is not written` };
    return undefined;
  }

  const hold = input.settings.hold;
  const anomalies = createAnomalyRepository({ state: ctx.state, files: ctx.files, clock: ctx.clock });
  const evidence = flagged.map(({ field, previous, next, finding }) => ({ sku: input.sku, field, old: previous, new: next, changePercent: Math.round(finding.change * 1000) / 10 }));
  const summary = `${flagged.map(({ finding }) => finding.reason).join('; ')}${hold ? ' — held until approved' : ''}`;
  const anomaly = await anomalies.record({
    kind: 'price_change',
    flow: FLOW,
    summary,
    details: { sku: input.sku, itemId: input.itemId, changes: evidence, maxChangeShare: input.settings.maxChangeShare, held: hold },
    hold,
    ...(hold ? { payload: { flow: FLOW, key: input.itemId, sku: input.sku, changes } } : {}),
  });
  await ctx.state.put(priceDecisionKey(input.itemId), { anomalyId: anomaly.id, sku: input.sku, changes, held: hold } satisfies PriceDecision, { ttlSeconds: DECISION_TTL_SECONDS });
  if (!hold) {
    ctx.logger.warn('price change beyond the limit written (holdPriceChanges is off)', { sku: input.sku, anomalyId: anomaly.id });
    return undefined;
  }
  await rememberHold(ctx.state, { anomalyId: anomaly.id, itemId: input.itemId }, (ms) => ctx.clock.sleep(ms));
  ctx.logger.warn('price change held for approval', { sku: input.sku, anomalyId: anomaly.id, changes: evidence.map((e) => `${e.field} ${e.old} → ${e.new} (${percent(e.changePercent / 100)})`) });
  return { skip: 'held', detail: `price change held for approval (anomaly ${anomaly.id}): ${summary}` };
}

export type PriceReleaseResult = HeldUnitRelease;

/** Approving a held price change: the product unit runs now and writes it (release-held.ts). */
export function releaseHeldPriceChange(anomalyId: string, deps: SyncDeps, decision: { by: string; note?: string } = { by: 'system' }): Promise<PriceReleaseResult> {
  return releaseHeldUnit({ kind: 'price_change', flow: FLOW, keyDetail: 'itemId', what: 'a price change', notHeldCode: 'not_a_held_price_change', whenRejected: 'the price is not written' }, anomalyId, deps, decision);
}

/**
 * Holds decided through the generic approve/reject route (an admin API without the products
 * hook): each pass reads `product.price-holds` (one get while nothing waits), runs the unit of
 * each approved hold and forgets decided ones. Removal re-reads the list first, so only a hold
 * appended in the same instant can be lost; its anomaly still shows on the page, and
 * `releaseHeldPriceChange` or the next change of the item writes it.
 */
export const heldPriceChangesFeed = defineFeed({
  name: HELD_PRICE_CHANGES_FEED,
  async poll(cursor, ctx) {
    const holds = (await ctx.state.get<Array<{ anomalyId: string; itemId: string }>>(PRICE_HOLDS_KEY)) ?? [];
    if (holds.length === 0) return { units: [], nextCursor: cursor ?? '' };
    const repo = createAnomalyRepository({ state: ctx.state, files: ctx.files, clock: ctx.clock });
    const done = new Set<string>();
    const units: Array<{ flow: string; key: string; trigger: 'manual'; correlationId: string }> = [];
    for (const hold of holds) {
      const anomaly = await repo.get(hold.anomalyId);
      if (anomaly?.status === 'open') continue;
      done.add(hold.anomalyId);
      if (anomaly?.status === 'approved') units.push({ flow: FLOW, key: hold.itemId, trigger: 'manual', correlationId: `release-${hold.anomalyId}` });
    }
    if (done.size) {
      const current = (await ctx.state.get<Array<{ anomalyId: string; itemId: string }>>(PRICE_HOLDS_KEY)) ?? [];
      await ctx.state.put(PRICE_HOLDS_KEY, current.filter((h) => !done.has(h.anomalyId)), { ttlSeconds: DECISION_TTL_SECONDS });
    }
    return { units, nextCursor: cursor ?? '' };
  },
});

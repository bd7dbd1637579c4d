/**
 * The wipe guard (DESIGN.md §4): a stock batch that would zero more than a share of the SKUs
 * (default 20%) or take away more than a share of all units (default 50%) is held until a person
 * approves it. A feed that suddenly reports zero for half the catalogue is far more often a
 * broken export or a location mapped wrongly than a real sell-out, and pushing it would take
 * those products off sale on the web store.
 */

/** Key of one SKU at one Magento source in the `previous`/`next` maps. */
export function stockKey(sku: string, source: string): string {
  return `${sku}\u0000${source}`;
}

export function splitStockKey(key: string): { sku: string; source: string } {
  const at = key.indexOf('\u0000');
  return at < 0 ? { sku: key, source: '' } : { sku: key.slice(0, at), source: key.slice(at + 1) };
}

export interface WipeGuardThresholds {
  /** Hold when more than this share of stocked SKU×source pairs would go to zero (0..1). */
  maxSkuShare: number;
  /** Hold when more than this share of all units would disappear (0..1). */
  maxUnitShare: number;
  /** Below this many stocked pairs the SKU-share rule is not applied: 1 of 3 is not a wipe. */
  minSkus: number;
  /** Below this many units the unit-share rule is not applied. */
  minUnits: number;
}

export const DEFAULT_WIPE_THRESHOLDS: WipeGuardThresholds = { maxSkuShare: 0.2, maxUnitShare: 0.5, minSkus: 5, minUnits: 20 };

export interface StockBatchInput {
  /** Last pushed quantity per `stockKey(sku, source)`. */
  previous: ReadonlyMap<string, number>;
  /** What this batch would push. Pairs absent here are unchanged (batches carry changed values only). */
  next: ReadonlyMap<string, number>;
  thresholds?: Partial<WipeGuardThresholds>;
}

export interface StockBatchEvidence {
  stockedBefore: number;
  zeroed: number;
  zeroedShare: number;
  unitsBefore: number;
  unitsAfter: number;
  unitDropShare: number;
  /** Up to 20 of the pairs that would go to zero, for the panel. */
  zeroedSample: Array<{ sku: string; source: string; before: number }>;
  thresholds: WipeGuardThresholds;
}

export interface StockBatchVerdict {
  hold: boolean;
  reasons: string[];
  evidence: StockBatchEvidence;
}

const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;

export function evaluateStockBatch(input: StockBatchInput): StockBatchVerdict {
  const thresholds = { ...DEFAULT_WIPE_THRESHOLDS, ...input.thresholds };
  for (const [name, value] of Object.entries({ maxSkuShare: thresholds.maxSkuShare, maxUnitShare: thresholds.maxUnitShare })) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`wipe guard threshold ${name} must be between 0 and 1, not ${value}`);
  }
  let stockedBefore = 0;
  let zeroed = 0;
  let unitsBefore = 0;
  let unitsAfter = 0;
  const zeroedSample: StockBatchEvidence['zeroedSample'] = [];
  for (const [key, before] of input.previous) {
    const positiveBefore = Math.max(0, before);
    const after = Math.max(0, input.next.has(key) ? (input.next.get(key) as number) : before);
    unitsBefore += positiveBefore;
    unitsAfter += after;
    if (positiveBefore > 0) {
      stockedBefore += 1;
      if (after <= 0) {
        zeroed += 1;
        if (zeroedSample.length < 20) zeroedSample.push({ ...splitStockKey(key), before: positiveBefore });
      }
    }
  }
  // New pairs add units; they never make a batch look like a wipe.
  for (const [key, after] of input.next) if (!input.previous.has(key)) unitsAfter += Math.max(0, after);
  const zeroedShare = stockedBefore ? zeroed / stockedBefore : 0;
  const unitDropShare = unitsBefore ? Math.max(0, unitsBefore - unitsAfter) / unitsBefore : 0;
  const reasons: string[] = [];
  if (stockedBefore >= thresholds.minSkus && zeroedShare > thresholds.maxSkuShare) {
    reasons.push(`${zeroed} of ${stockedBefore} stocked SKUs (${pct(zeroedShare)}) would go to zero; the limit is ${pct(thresholds.maxSkuShare)}`);
  }
  if (unitsBefore >= thresholds.minUnits && unitDropShare > thresholds.maxUnitShare) {
    reasons.push(`total units would drop from ${unitsBefore} to ${unitsAfter} (−${pct(unitDropShare)}); the limit is ${pct(thresholds.maxUnitShare)}`);
  }
  return {
    hold: reasons.length > 0,
    reasons,
    evidence: { stockedBefore, zeroed, zeroedShare, unitsBefore, unitsAfter, unitDropShare, zeroedSample, thresholds },
  };
}

/**
 * Canonical stock levels → MSI source items (commerce.md §2.9). Several Heartland locations may
 * feed one source; the quantity per source follows DESIGN.md §4 "Inventory math":
 * Σ available at the mapped locations + open web-order quantity the connector committed there
 * − safety stock, floored at 0, out of stock at or below the threshold.
 */
import type { PlannedRequest } from '../../model/planned-request';
import type { StockLevel } from '../../model/stock-level';
import type { SourceItemInput } from '../payloads';
import type { ValueLookup } from './lookup';

export interface SourceItemOptions {
  /** `location.heartlandToSource` value map; a location without a source (null) is not pushed. */
  sourceForLocation: ValueLookup;
  /** Units held back per SKU (global default and per-SKU overrides). */
  safetyStock?: number | ((sku: string) => number);
  /** Quantity at or below which the item is out of stock (default 0). */
  outOfStockThreshold?: number;
  /** Open web-order quantity the connector committed, per `sku` and `source_code`, added back. */
  committedWebQty?: (sku: string, sourceCode: string) => number;
}

export function stockLevelsToSourceItems(levels: StockLevel[], options: SourceItemOptions): { sourceItems: SourceItemInput[]; unmappedLocations: string[] } {
  const totals = new Map<string, { sku: string; source: string; available: number }>();
  const unmapped = new Set<string>();
  for (const level of levels) {
    const source = options.sourceForLocation(level.locationId);
    if (typeof source !== 'string' || source === '') {
      unmapped.add(level.locationId);
      continue;
    }
    const key = `${level.sku}\u0000${source}`;
    const entry = totals.get(key) ?? { sku: level.sku, source, available: 0 };
    entry.available += level.available;
    totals.set(key, entry);
  }
  const threshold = options.outOfStockThreshold ?? 0;
  const sourceItems = [...totals.values()].map(({ sku, source, available }) => {
    const safety = typeof options.safetyStock === 'function' ? options.safetyStock(sku) : options.safetyStock ?? 0;
    const committed = options.committedWebQty?.(sku, source) ?? 0;
    const quantity = Math.max(0, available + committed - safety);
    return { sku, source_code: source, quantity, status: quantity > threshold ? 1 : 0 } as SourceItemInput;
  });
  return { sourceItems, unmappedLocations: [...unmapped] };
}

/** One `POST /V1/inventory/source-items` per batch (500 by default, issue 8). */
export function sourceItemsRequests(sourceItems: SourceItemInput[], batchSize = 500): PlannedRequest[] {
  const requests: PlannedRequest[] = [];
  for (let i = 0; i < sourceItems.length; i += batchSize) {
    requests.push({ method: 'POST', path: '/V1/inventory/source-items', body: { sourceItems: sourceItems.slice(i, i + batchSize) } });
  }
  return requests;
}

/**
 * The reservation-aware quantity (DESIGN.md §4 "Inventory math"). Heartland's `qty_available`
 * already subtracts web orders that reached Heartland, and Magento subtracts its own reservation
 * for the same unshipped orders; pushing `qty_available` alone would count those units twice. So,
 * per MSI source:
 *
 *   quantity = Σ over mapped locations (qty_available + open web-order qty the connector committed there)
 *              − safety stock,   floored at 0
 *   status   = out of stock (0) at or below the out-of-stock threshold, else in stock (1)
 *
 * Pure functions: the flows read the inputs, this module only does the arithmetic.
 */
import type { ConnectorSettings } from '../../config/connector-settings';

/** One Heartland inventory value row, reduced to what the formula needs. */
export interface LocationAvailability {
  itemId: number;
  locationId: number;
  available: number;
}

/** What the connector pushes for one SKU at one MSI source. */
export interface SourceQuantity {
  sku: string;
  source: string;
  quantity: number;
  status: 0 | 1;
}

export type FormulaSettings = Pick<ConnectorSettings, 'locationToSource' | 'safetyStock' | 'safetyStockBySku' | 'outOfStockThreshold'>;

/** Key of an item at a location in the committed-quantity map. */
export function itemLocationKey(itemId: number, locationId: number): string {
  return `${itemId}:${locationId}`;
}

export function safetyStockFor(settings: FormulaSettings, sku: string): number {
  return settings.safetyStockBySku[sku] ?? settings.safetyStock;
}

/** The quantity and status for one source from its locations' numbers. */
export function sourceQuantityOf(available: number, webCommitted: number, safetyStock: number, outOfStockThreshold: number): { quantity: number; status: 0 | 1 } {
  const quantity = Math.max(0, available + webCommitted - safetyStock);
  return { quantity, status: quantity > outOfStockThreshold ? 1 : 0 };
}

/** Every source that has at least one mapped location, in a stable order. */
export function mappedSources(settings: FormulaSettings): string[] {
  return [...new Set(settings.locationToSource.map((m) => m.sourceCode))].sort();
}

/**
 * Desired source items for a set of items. Every mapped source gets a value for every item given
 * (a location without a value row holds nothing), so a SKU that sold out everywhere is pushed as 0
 * rather than left at its old quantity.
 */
export function desiredSourceItems(input: {
  items: ReadonlyMap<number, string>;
  availability: Iterable<LocationAvailability>;
  webCommitted: ReadonlyMap<string, number>;
  settings: FormulaSettings;
}): SourceQuantity[] {
  const { items, settings } = input;
  const sourceOfLocation = new Map(settings.locationToSource.map((m) => [Number(m.locationId), m.sourceCode]));
  const sources = mappedSources(settings);
  // item → source → available + committed
  const sums = new Map<number, Map<string, number>>();
  const add = (itemId: number, locationId: number, qty: number) => {
    const source = sourceOfLocation.get(locationId);
    if (source === undefined || !items.has(itemId)) return;
    let perSource = sums.get(itemId);
    if (!perSource) sums.set(itemId, (perSource = new Map()));
    perSource.set(source, (perSource.get(source) ?? 0) + qty);
  };
  for (const row of input.availability) add(row.itemId, row.locationId, row.available);
  for (const [key, qty] of input.webCommitted) {
    const [itemId, locationId] = key.split(':').map(Number);
    add(itemId, locationId, qty);
  }
  const out: SourceQuantity[] = [];
  for (const [itemId, sku] of items) {
    const perSource = sums.get(itemId);
    const safety = safetyStockFor(settings, sku);
    for (const source of sources) {
      const { quantity, status } = sourceQuantityOf(perSource?.get(source) ?? 0, 0, safety, settings.outOfStockThreshold);
      out.push({ sku, source, quantity, status });
    }
  }
  return out;
}

/**
 * Heartland inventory values grouped by item and location (heartland.md §3.4) → canonical stock
 * levels. `qty_available` = on hand − committed is what can be sold.
 */
import { z } from 'zod';
import type { FieldIssue } from '../../model/field-issues';
import { type MapResult, mapFailed, mapped, parseInput } from '../../model/map-result';
import { placeholder } from '../../model/planned-request';
import type { StockLevel } from '../../model/stock-level';
import { InventoryValue } from '../payloads';

/** A page `{results,…}` or a bare list of rows. */
const ValuesInput = z.union([z.array(InventoryValue), z.looseObject({ results: z.array(InventoryValue) }).transform((p) => p.results)]);

export interface StockFromHeartlandOptions {
  skuForItem?: (itemId: number) => string | undefined;
}

export function stockLevelsFromHeartland(input: unknown, options: StockFromHeartlandOptions = {}): MapResult<StockLevel[]> {
  const parsed = parseInput(ValuesInput, input);
  if (!parsed.ok) return mapFailed(parsed.issues);
  const issues: FieldIssue[] = [];
  const warnings: string[] = [];
  const levels: StockLevel[] = [];
  const prefix = Array.isArray(input) ? '' : 'results';
  parsed.value.forEach((row, i) => {
    const where = `${prefix}[${i}]`;
    if (row.item_id == null) issues.push({ path: `${where}.item_id`, message: 'required (read values with group[]=item_id&group[]=location_id)' });
    if (row.location_id == null) issues.push({ path: `${where}.location_id`, message: 'required (read values with group[]=item_id&group[]=location_id)' });
    if (row.item_id == null || row.location_id == null) return;
    let sku = options.skuForItem?.(row.item_id) ?? row.item?.public_id ?? undefined;
    if (!sku) {
      sku = placeholder('heartland.item.public_id', { item_id: row.item_id });
      warnings.push(`${where}: SKU of item ${row.item_id} not known (add _include[]=item)`);
    }
    levels.push({ sku, itemId: String(row.item_id), locationId: String(row.location_id), onHand: row.qty_on_hand, committed: row.qty_committed, available: row.qty_available });
  });
  return issues.length ? mapFailed(issues) : mapped(levels, warnings);
}

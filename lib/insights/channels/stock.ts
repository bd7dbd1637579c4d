/**
 * Stock by location for sell-through and days of cover. Heartland's inventory values are current
 * figures only (heartland.md §3.4), so the aggregate keeps a snapshot per day: the last one taken
 * on a day stands for that day's closing stock (`insights/channels/stock/<date>.json`).
 */
import type { FileStore } from '../../platform/ports';
import type { HeartlandClient } from '../../heartland/client';
import { findOrdersHeldForStock, type HeldForStock, type Shortfall } from './held-orders';

export const STOCK_FOLDER = 'insights/channels/stock/';
const stockFile = (date: string) => `${STOCK_FOLDER}${date}.json`;

export interface StockSnapshot {
  date: string;
  takenAt: number;
  locations: Array<{ locationId: string; name: string; onHand: number }>;
  /** Web orders waiting for stock when the snapshot was taken (lib/insights/channels/held-orders). */
  heldForStock?: HeldForStock[];
}

/**
 * Reads every location's on-hand units from Heartland and stores them as `date`'s snapshot, with
 * the web orders held for stock where a location has committed more than it holds.
 */
export async function takeStockSnapshot(heartland: HeartlandClient, files: FileStore, date: string, now: number, options: { ecommerceNumberField?: string } = {}): Promise<StockSnapshot> {
  const locations = await heartland.locations.list();
  const onHand = new Map<string, number>();
  const shortfalls: Shortfall[] = [];
  // One pass over all values (sorted item × location) rather than one per location.
  for await (const value of heartland.inventory.iterateValues({ perPage: 5000 })) {
    const loc = String(value.location_id);
    const held = Number(value.qty_on_hand ?? 0);
    onHand.set(loc, (onHand.get(loc) ?? 0) + Math.max(0, held));
    const short = Number(value.qty_committed ?? 0) - Math.max(0, held);
    if (short > 0) shortfalls.push({ itemId: String(value.item_id), locationId: loc, units: short });
  }
  const snapshot: StockSnapshot = {
    date,
    takenAt: now,
    locations: locations.map((l) => ({ locationId: String(l.id), name: l.name ?? `Location ${l.id}`, onHand: onHand.get(String(l.id)) ?? 0 })),
    heldForStock: await findOrdersHeldForStock(heartland, shortfalls, options),
  };
  await files.write(stockFile(date), JSON.stringify(snapshot));
  return snapshot;
}

export async function readStockSnapshot(files: FileStore, date: string): Promise<StockSnapshot | undefined> {
  const bytes = await files.read(stockFile(date));
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as StockSnapshot;
  } catch {
    return undefined;
  }
}

/** The snapshot closest to the end of a range: the newest on or before `to`, else the oldest after it. */
export async function snapshotForRange(files: FileStore, to: string): Promise<StockSnapshot | undefined> {
  const dates = (await files.list(STOCK_FOLDER))
    .map((p) => /(\d{4}-\d{2}-\d{2})\.json$/.exec(p)?.[1])
    .filter((d): d is string => d !== undefined)
    .sort();
  const before = dates.filter((d) => d <= to);
  const pick = before.length ? before[before.length - 1] : dates[0];
  return pick ? readStockSnapshot(files, pick) : undefined;
}

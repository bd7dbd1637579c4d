/**
 * Stock by location for sell-through and days of cover. Heartland's inventory values are current
 * figures only (heartland.md §3.4), so the aggregate keeps a snapshot per day: the last one taken
 * on a day stands for that day's closing stock (`insights/channels/stock/<date>.json`).
 */
import type { FileStore } from '../../platform/ports';
import type { HeartlandClient } from '../../heartland/client';

export const STOCK_FOLDER = 'insights/channels/stock/';
const stockFile = (date: string) => `${STOCK_FOLDER}${date}.json`;

export interface StockSnapshot {
  date: string;
  takenAt: number;
  locations: Array<{ locationId: string; name: string; onHand: number }>;
}

/** Reads every location's on-hand units from Heartland and stores them as `date`'s snapshot. */
export async function takeStockSnapshot(heartland: HeartlandClient, files: FileStore, date: string, now: number): Promise<StockSnapshot> {
  const locations = await heartland.locations.list();
  const onHand = new Map<string, number>();
  // One pass over all values (sorted item × location) rather than one per location.
  for await (const value of heartland.inventory.iterateValues({ perPage: 5000 })) {
    const loc = String(value.location_id);
    onHand.set(loc, (onHand.get(loc) ?? 0) + Math.max(0, Number(value.qty_on_hand ?? 0)));
  }
  const snapshot: StockSnapshot = {
    date,
    takenAt: now,
    locations: locations.map((l) => ({ locationId: String(l.id), name: l.name ?? `Location ${l.id}`, onHand: onHand.get(String(l.id)) ?? 0 })),
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

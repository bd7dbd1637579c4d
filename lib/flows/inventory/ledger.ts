/**
 * The inventory ledger cursor. Every stock change in Heartland appends an inventory transaction
 * with an increasing id (heartland.md §3.4), so "what changed since we last looked" is exactly
 * the transactions after the cursor, whatever triggered the look (a coalesced webhook window, the
 * scheduler's poll, a Magento shipment). Hints therefore never need to be stored: a window reads
 * the ledger once for every hint that arrived in it.
 *
 * The cursor is the `inventory` feed's cursor (`cursor.inventory`), so the scheduler's safety-net
 * poll and the real-time windows share one high-water mark.
 */
import type { HeartlandClient } from '../../heartland/client';
import type { Clock, StateStore } from '../../platform/ports';
import { readCursor, writeCursor } from '../../sync';

export const INVENTORY_FEED = 'inventory';
/** Transactions drained by one unit; the rest waits for the next window or poll. */
export const MAX_LEDGER_ROWS_PER_UNIT = 50_000;

export async function readLedgerCursor(state: StateStore): Promise<number> {
  const raw = await readCursor(state, INVENTORY_FEED);
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

export async function advanceLedgerCursor(state: StateStore, clock: Clock, to: number): Promise<void> {
  // Never move backwards: a slower unit that drained an older range must not rewind a newer one.
  const current = await readLedgerCursor(state);
  if (to > current) await writeCursor(state, INVENTORY_FEED, String(to), clock.now());
}

export interface LedgerRange {
  afterId: number;
  toId: number;
  itemIds: number[];
  rows: number;
  /** More rows are waiting beyond `toId`. */
  more: boolean;
}

/** Item ids touched by transactions after `afterId` (up to `limit` rows). */
export async function readLedger(heartland: HeartlandClient, afterId: number, limit = MAX_LEDGER_ROWS_PER_UNIT, upToId?: number): Promise<LedgerRange> {
  const items = new Set<number>();
  let toId = afterId;
  let rows = 0;
  let more = false;
  for await (const tx of heartland.inventory.iterateTransactions({ afterId, perPage: 5000 })) {
    if (upToId !== undefined && tx.id > upToId) break;
    if (rows >= limit) {
      more = true;
      break;
    }
    items.add(tx.item_id);
    toId = tx.id;
    rows++;
  }
  return { afterId, toId, itemIds: [...items], rows, more };
}

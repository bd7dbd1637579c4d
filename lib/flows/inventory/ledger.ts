/**
 * The inventory ledger cursor. Every stock change in Heartland appends an inventory transaction
 * with an increasing id (heartland.md §3.4), so "what changed since we last looked" is exactly
 * the transactions after the cursor, whatever triggered the look (a coalesced webhook window, the
 * scheduler's poll, a Magento shipment). Hints therefore never need to be stored: a window reads
 * the ledger once for every hint that arrived in it.
 *
 * The high-water mark (`inventory.ledger`) belongs to the units that drain the ledger, whatever
 * woke them: only a unit that pushed a range moves it. The scheduler's `inventory` feed keeps its
 * own `cursor.inventory` as bookkeeping and only wakes a unit when the ledger moved past the mark,
 * so a failed unit's range is drained again by its retry, never skipped by the feed.
 */
import type { HeartlandClient } from '../../heartland/client';
import type { Clock, StateStore } from '../../platform/ports';
import { stateKey } from '../../platform/state-key';

export const INVENTORY_FEED = 'inventory';
export const LEDGER_KEY = stateKey('inventory', 'ledger');
const LEDGER_TTL_SECONDS = 365 * 24 * 3600;
/** Transactions drained by one unit; the rest waits for the next window or poll. */
export const MAX_LEDGER_ROWS_PER_UNIT = 50_000;

export async function readLedgerCursor(state: StateStore): Promise<number> {
  const raw = await state.get<{ value: number }>(LEDGER_KEY);
  const n = Number(raw?.value);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

export async function advanceLedgerCursor(state: StateStore, clock: Clock, to: number): Promise<void> {
  // Never move backwards: a slower unit that drained an older range must not rewind a newer one.
  const current = await readLedgerCursor(state);
  if (to > current) await state.put(LEDGER_KEY, { value: to, at: clock.now() }, { ttlSeconds: LEDGER_TTL_SECONDS });
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

/**
 * The gift-card ledger (DESIGN.md §1.2–1.3): balances move as deltas keyed by the transaction that
 * caused them, and every record here is written once, never read-modified-written:
 *
 *   gcentry.<card>.<txId>             one ledger entry (a Magento order, a Heartland adjustment,
 *                                     a POS capture/refund/void through the payment webhooks)
 *   gcapplied.<card>.<txId>           the entry has been posted to Heartland as an adjustment
 *   gcpending.<card>.<txId>           about to post it (claims the adjustment if we die in between)
 *   gcbase.<side>.<card>              the balance a side had when the connector started keeping it,
 *                                     and which entries that balance already included
 *
 * Two requests that record the same transaction write the same key with the same content, so the
 * entry exists once however many deliveries arrive.
 */
import type { StateStore } from '../../platform/ports';
import { decodeKeyPart, stateKey } from '../../platform/state-key';

/** aio-lib-state's longest TTL. ASSUMED acceptable for now: a card idle for a year loses its ledger and is re-based on its next pass (see report: compaction into the base is not built yet). */
const TTL_SECONDS = 365 * 24 * 3600;

export type EntryOrigin = 'commerce' | 'heartland' | 'pos-webhook';

export interface LedgerEntry {
  card: string;
  txId: string;
  /** Signed change: negative for a redemption, positive for a load, refund or void. */
  delta: number;
  origin: EntryOrigin;
  reason: string;
  recordedAt: string;
}

export interface CommerceBase {
  accountId: number;
  code: string;
  balance: number;
  /** Entries already contained in `balance` when it was taken. */
  included: string[];
  at: string;
}

export interface HeartlandBase {
  cardId: number;
  number: string;
  balance: number;
  included: string[];
  /** Adjustments up to this id are part of `balance` (including the card's opening adjustment). */
  adjustmentWatermark: number;
  at: string;
}

export interface AppliedMarker {
  adjustmentId: number | null;
  /** Part of the delta Heartland could not take (the card would have gone below 0). */
  shortfall?: number;
  at: string;
}

export interface LedgerView {
  entries: LedgerEntry[];
  applied: Map<string, AppliedMarker>;
  pending: Map<string, { delta: number; at: string }>;
  commerceBase?: CommerceBase;
  heartlandBase?: HeartlandBase;
}

export const entryKey = (card: string, txId: string) => stateKey('gcentry', card, txId);
const appliedKey = (card: string, txId: string) => stateKey('gcapplied', card, txId);
const pendingKey = (card: string, txId: string) => stateKey('gcpending', card, txId);
const baseKey = (side: 'commerce' | 'heartland', card: string) => stateKey('gcbase', side, card);

/** Money in cents, so sums of many deltas stay exact. */
export function cents(amount: number): number {
  return Math.round(amount * 100);
}
export function fromCents(value: number): number {
  return Math.round(value) / 100;
}

async function listValues<T>(state: StateStore, prefix: string): Promise<Array<[string, T]>> {
  const out: Array<[string, T]> = [];
  for await (const key of state.list(`${prefix}.*`)) {
    const value = await state.get<T>(key);
    if (value !== undefined) out.push([key.slice(prefix.length + 1), value]);
  }
  return out;
}

export function createLedger(state: StateStore) {
  return {
    async read(card: string): Promise<LedgerView> {
      const [entries, applied, pending, commerceBase, heartlandBase] = await Promise.all([
        listValues<LedgerEntry>(state, stateKey('gcentry', card)),
        listValues<AppliedMarker>(state, stateKey('gcapplied', card)),
        listValues<{ delta: number; at: string }>(state, stateKey('gcpending', card)),
        state.get<CommerceBase>(baseKey('commerce', card)),
        state.get<HeartlandBase>(baseKey('heartland', card)),
      ]);
      return {
        entries: entries.map(([, e]) => e).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.txId.localeCompare(b.txId)),
        applied: new Map(applied.map(([k, v]) => [decodeTx(k), v])),
        pending: new Map(pending.map(([k, v]) => [decodeTx(k), v])),
        commerceBase,
        heartlandBase,
      };
    },
    async entry(card: string, txId: string): Promise<LedgerEntry | undefined> {
      return state.get<LedgerEntry>(entryKey(card, txId));
    },
    /** Records a transaction once; a second recording of the same txId keeps the first. */
    async record(entry: LedgerEntry): Promise<{ entry: LedgerEntry; created: boolean }> {
      const existing = await state.get<LedgerEntry>(entryKey(entry.card, entry.txId));
      if (existing) return { entry: existing, created: false };
      await state.put(entryKey(entry.card, entry.txId), entry, { ttlSeconds: TTL_SECONDS });
      return { entry, created: true };
    },
    markPending: (card: string, txId: string, delta: number, at: string) => state.put(pendingKey(card, txId), { delta, at }, { ttlSeconds: TTL_SECONDS }),
    markApplied: (card: string, txId: string, marker: AppliedMarker) => state.put(appliedKey(card, txId), marker, { ttlSeconds: TTL_SECONDS }),
    /**
     * Whether an entry was posted to Heartland, read by key: `read()` lists markers, and a listing
     * may lag a marker another activation wrote a moment ago; a direct get does not.
     */
    isApplied: async (card: string, txId: string): Promise<boolean> => (await state.get<AppliedMarker>(appliedKey(card, txId))) !== undefined,
    async setCommerceBase(card: string, base: CommerceBase): Promise<CommerceBase> {
      const existing = await state.get<CommerceBase>(baseKey('commerce', card));
      if (existing) return existing;
      await state.put(baseKey('commerce', card), base, { ttlSeconds: TTL_SECONDS });
      return base;
    },
    async setHeartlandBase(card: string, base: HeartlandBase): Promise<HeartlandBase> {
      const existing = await state.get<HeartlandBase>(baseKey('heartland', card));
      if (existing) return existing;
      await state.put(baseKey('heartland', card), base, { ttlSeconds: TTL_SECONDS });
      return base;
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;

function decodeTx(encodedPart: string): string {
  return decodeKeyPart(encodedPart);
}

/** Sum of the entries a base did not already contain, in cents. */
export function deltaSinceBase(entries: LedgerEntry[], included: string[]): number {
  const skip = new Set(included);
  return entries.filter((e) => !skip.has(e.txId)).reduce((sum, e) => sum + cents(e.delta), 0);
}

/** Heartland gift cards (heartland.md §3.8) ↔ canonical gift cards and ledger entries. */
import { zodIssues } from '../../model/field-issues';
import { GiftCard as CanonicalGiftCard, GiftCardLedgerEntry } from '../../model/gift-card';
import { type MapResult, mapFailed, mapped, parseInput } from '../../model/map-result';
import { money } from '../../model/money';
import type { PlannedRequest, Ref } from '../../model/planned-request';
import { GiftCard, GiftCardAdjustment } from '../payloads';

/** Heartland numbers are letters and digits only: `GIFT-1234-ABCD` is stored as `GIFT1234ABCD`. */
export function heartlandGiftCardNumber(code: string): string {
  return code.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

export function giftCardFromHeartland(input: unknown): MapResult<CanonicalGiftCard> {
  const parsed = parseInput(GiftCard, input);
  if (!parsed.ok) return mapFailed(parsed.issues);
  const card = parsed.value;
  const result = CanonicalGiftCard.safeParse(
    { code: card.number, balance: money(Math.max(0, card.balance)), state: card.balance > 0 ? 'active' : 'used', expiresAt: null, sourceSystem: 'heartland', sourceId: String(card.id) },
    { reportInput: true },
  );
  return result.success ? mapped(result.data) : mapFailed(zodIssues(result.error));
}

export function giftCardToHeartlandRequest(card: CanonicalGiftCard, options: { reasonId?: number } = {}): PlannedRequest {
  const number = heartlandGiftCardNumber(card.code);
  return {
    method: 'POST',
    path: '/gift_cards',
    body: { number, balance: card.balance, ...(options.reasonId !== undefined ? { reason_id: options.reasonId } : {}) },
    note: `only when GET /gift_cards/${number} finds none`,
  };
}

/** ASSUMED path `gift_card/adjustments` (production Spree code, heartland.md §3.8; the simulator accepts both). */
export function ledgerEntryToHeartlandRequest(entry: GiftCardLedgerEntry, options: { giftCardId: Ref; reasonId?: number }): PlannedRequest {
  return {
    method: 'POST',
    path: '/gift_card/adjustments',
    body: { gift_card_id: options.giftCardId, delta_balance: entry.delta, ...(options.reasonId !== undefined ? { reason_id: options.reasonId } : {}) },
  };
}

export function ledgerEntryFromHeartlandAdjustment(input: unknown, code: string): MapResult<GiftCardLedgerEntry> {
  const parsed = parseInput(GiftCardAdjustment, input);
  if (!parsed.ok) return mapFailed(parsed.issues);
  const adj = parsed.value;
  const result = GiftCardLedgerEntry.safeParse(
    { code, delta: adj.delta_balance, sourceSystem: 'heartland', sourceTransactionId: `heartland-adjustment-${adj.id}`, occurredAt: adj.created_at ?? null, reason: adj.reason_id != null ? String(adj.reason_id) : null },
    { reportInput: true },
  );
  return result.success ? mapped(result.data) : mapFailed(zodIssues(result.error));
}

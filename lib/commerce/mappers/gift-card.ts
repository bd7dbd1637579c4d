/** Magento gift card accounts (Adobe Commerce SaaS, commerce.md §2.12) ↔ canonical gift cards. */
import { zodIssues } from '../../model/field-issues';
import { GiftCard as CanonicalGiftCard, type GiftCardLedgerEntry } from '../../model/gift-card';
import { type MapResult, mapFailed, mapped, parseInput } from '../../model/map-result';
import { money } from '../../model/money';
import type { PlannedRequest } from '../../model/planned-request';
import { GiftCardAccount, type GiftCardAccountInput } from '../payloads';
import { blanksToNull, unwrapEvent } from './magento-input';

/** `state`: 0 available, 1 used, 2 redeemed, 3 expired; `status` 0 disables the account. */
export function giftCardFromMagento(input: unknown): MapResult<CanonicalGiftCard> {
  const { value, shape } = unwrapEvent(input);
  let raw = shape === 'event' ? (blanksToNull(value) as Record<string, unknown>) : (value as Record<string, unknown>);
  if (raw && typeof raw === 'object' && raw.account_id === undefined && raw.giftcardaccount_id !== undefined) raw = { ...raw, account_id: raw.giftcardaccount_id };
  const parsed = parseInput(GiftCardAccount, raw);
  if (!parsed.ok) return mapFailed(parsed.issues);
  const a = parsed.value;
  const state = a.status === 0 ? 'inactive' : a.state === 3 ? 'expired' : a.state === 1 || a.state === 2 ? 'used' : 'active';
  const result = CanonicalGiftCard.safeParse(
    { code: a.code, balance: money(a.balance), state, expiresAt: a.date_expires ?? null, sourceSystem: 'commerce', sourceId: String(a.account_id) },
    { reportInput: true },
  );
  return result.success ? mapped(result.data) : mapFailed(zodIssues(result.error));
}

export function giftCardToMagento(card: CanonicalGiftCard): { giftcardAccount: GiftCardAccountInput } {
  return {
    giftcardAccount: {
      code: card.code,
      balance: card.balance,
      status: card.state === 'inactive' ? 0 : 1,
      state: card.state === 'expired' ? 3 : card.state === 'used' ? 1 : 0,
      is_redeemable: card.state === 'active' ? 1 : 0,
      date_expires: card.expiresAt,
    },
  };
}

export function giftCardToMagentoRequest(card: CanonicalGiftCard, options: { accountId?: number } = {}): PlannedRequest {
  const body = giftCardToMagento(card);
  return options.accountId !== undefined
    ? { method: 'PUT', path: `/V1/giftcardaccounts/${options.accountId}`, body }
    : { method: 'POST', path: '/V1/giftcardaccounts', body, note: 'only when GET /V1/giftcardaccounts/code/{code} finds none' };
}

/**
 * Magento has no balance-adjustment endpoint, so a ledger delta is applied as a balance write
 * computed from the balance just read; the flow's ledger guarantees each delta is applied once.
 */
export function ledgerEntryToMagentoRequest(entry: GiftCardLedgerEntry, options: { accountId: number; currentBalance: number }): PlannedRequest {
  const balance = money(options.currentBalance + entry.delta);
  if (balance < 0) throw new RangeError(`gift card ${entry.code}: a delta of ${entry.delta} would take the balance ${options.currentBalance} below 0`);
  return { method: 'PUT', path: `/V1/giftcardaccounts/${options.accountId}`, body: { giftcardAccount: { balance } } };
}

/**
 * What the gift-card ledger needs from each system, as two small ports. The flows adapt the real
 * clients; the property test plugs in interleaving fakes. Heartland takes balance *deltas*
 * (adjustments, heartland.md §3.8); Magento only takes an absolute balance (commerce.md §2.12:
 * `PUT /V1/giftcardaccounts/{id}`, no adjustment endpoint), which is why Magento's balance is
 * written as a projection of the ledger rather than nudged by deltas.
 */
import type { HeartlandClient } from '../../heartland/client';
import type { CommerceClient } from '../../commerce/client';
import { isRouteMissing } from '../../commerce/errors';
import { TerminalError } from '../../sync';

export interface HeartlandCard {
  id: number;
  number: string;
  balance: number;
}

export interface HeartlandGiftCardSide {
  get(number: string): Promise<HeartlandCard | undefined>;
  create(number: string, balance: number): Promise<HeartlandCard>;
  /** Every adjustment of the card (its opening balance included), oldest first. */
  adjustments(cardId: number): Promise<Array<{ id: number; delta: number }>>;
  adjust(card: HeartlandCard, delta: number): Promise<{ id: number | null }>;
}

export interface CommerceAccount {
  id: number;
  code: string;
  balance: number;
}

export interface CommerceGiftCardSide {
  /** Throws GiftCardsUnsupportedError when the store has no gift card accounts. */
  get(code: string): Promise<CommerceAccount | undefined>;
  create(code: string, balance: number): Promise<CommerceAccount>;
  setBalance(account: CommerceAccount, balance: number): Promise<void>;
}

export interface GiftCardSides {
  heartland: HeartlandGiftCardSide;
  commerce: CommerceGiftCardSide;
}

export const NOT_SUPPORTED_MESSAGE = 'gift card accounts are not supported by this Magento store (no /V1/giftcardaccounts)';

/** The store has no gift card accounts (Magento Open Source, PaaS without the module): reported, not retried. */
export class GiftCardsUnsupportedError extends TerminalError {
  constructor() {
    super(NOT_SUPPORTED_MESSAGE, { system: 'commerce', code: 'not_supported' });
    this.name = 'GiftCardsUnsupportedError';
  }
}

function unsupported<T>(p: Promise<T>): Promise<T> {
  return p.catch((err) => {
    throw isRouteMissing(err) ? new GiftCardsUnsupportedError() : err;
  });
}

const REASON_NAMES = /magento|web|e-?commerce|online|connector/i;

export function heartlandSide(hl: HeartlandClient): HeartlandGiftCardSide {
  let reasonId: Promise<number | undefined> | undefined;
  // ASSUMED: adjustments may need a reason (Heartland's importer always sends one, §3.8); prefer a
  // merchant-made "Magento"/"Web" reason, else the first one the account has.
  const reason = () =>
    (reasonId ??= hl.giftCards
      .reasonCodes()
      .then((codes) => (codes.find((c) => REASON_NAMES.test(String(c.name ?? ''))) ?? codes[0])?.id)
      .catch(() => undefined));
  return {
    async get(number) {
      const card = await hl.giftCards.get(number);
      return card ? { id: card.id, number: card.number, balance: card.balance } : undefined;
    },
    async create(number, balance) {
      const rid = await reason();
      const card = await hl.giftCards.create({ number, balance, ...(rid !== undefined ? { reason_id: rid } : {}) });
      return { id: card.id, number: card.number, balance: card.balance };
    },
    async adjustments(cardId) {
      return (await hl.giftCards.listAdjustments(cardId)).map((a) => ({ id: a.id, delta: a.delta_balance })).sort((a, b) => a.id - b.id);
    },
    async adjust(card, delta) {
      const rid = await reason();
      const adj = await hl.giftCards.adjust({ gift_card_id: card.id, delta_balance: delta, ...(rid !== undefined ? { reason_id: rid } : {}) }, card.number);
      return { id: adj?.id ?? null };
    },
  };
}

export function commerceSide(commerce: CommerceClient): CommerceGiftCardSide {
  return {
    async get(code) {
      const account = await unsupported(commerce.giftCards.findByCode(code));
      return account ? { id: account.account_id, code: account.code, balance: account.balance } : undefined;
    },
    async create(code, balance) {
      const account = await unsupported(commerce.giftCards.create({ code, balance, status: 1, is_redeemable: 1 }));
      return { id: account.account_id, code: account.code, balance: account.balance };
    },
    async setBalance(account, balance) {
      // `state` 1 = used once nothing is left, 0 = available again after a refund or void.
      await unsupported(commerce.giftCards.update(account.id, { balance, state: balance > 0 ? 0 : 1 }));
    },
  };
}

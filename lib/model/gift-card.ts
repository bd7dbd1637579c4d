/**
 * Gift cards exist on both sides; balances move as a ledger of deltas keyed by the source
 * transaction (DESIGN.md §1.2), applied once, so simultaneous spending never double counts.
 */
import { z } from 'zod';
import { SystemName } from './customer';
import { Money, NonNegativeMoney } from './money';

export const GIFT_CARD_STATES = ['active', 'inactive', 'used', 'expired'] as const;

export const GiftCard = z.object({
  /** The card number as printed; Heartland accepts letters and digits only (heartland.md §3.8). */
  code: z.string().trim().min(1),
  balance: NonNegativeMoney,
  state: z.enum(GIFT_CARD_STATES),
  expiresAt: z.string().nullable(),
  sourceSystem: SystemName,
  sourceId: z.string().nullable(),
});
export type GiftCard = z.infer<typeof GiftCard>;

export const GiftCardLedgerEntry = z.object({
  code: z.string().trim().min(1),
  /** Signed change of the balance: negative for a redemption, positive for a load or refund. */
  delta: Money.refine((v) => v !== 0, 'a ledger entry must change the balance'),
  sourceSystem: SystemName,
  /** The transaction that caused it (Magento order, Heartland adjustment or payment id): the dedupe key. */
  sourceTransactionId: z.string().min(1),
  occurredAt: z.string().nullable(),
  reason: z.string().nullable(),
});
export type GiftCardLedgerEntry = z.infer<typeof GiftCardLedgerEntry>;


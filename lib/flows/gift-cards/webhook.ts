/**
 * Heartland custom payment-type webhooks for a "Magento gift card" payment type (heartland.md
 * §3.9): Heartland POSTs `{payment_id, amount, number}` (amount as a string) to our Check Balance,
 * Capture, Refund and Void URLs and waits for the answer while the POS user waits. Success is
 * HTTP 200; Check Balance answers `{balance}`; any other status fails the payment and Heartland
 * shows our `message` to the user.
 *
 * Answers come from the Magento gift card account; captures, refunds and voids are ledger entries
 * keyed by `payment_id` (`heartland-payment-<id>`, `heartland-refund-<id>`, `heartland-void-<id>`),
 * so a repeated call with the same payment_id is answered again without moving money twice.
 */
import { z } from 'zod';
import type { Clock } from '../../platform/ports';
import type { WebhookAnswer } from '../area';
import { cents, fromCents, type Ledger, type LedgerEntry } from './ledger';
import { cardKey, commerceProjection } from './reconcile';
import { GiftCardsUnsupportedError, NOT_SUPPORTED_MESSAGE, type CommerceAccount, type GiftCardSides } from './sides';

export const GIFT_CARD_WEBHOOK_KINDS = ['payment/check_balance', 'payment/capture', 'payment/refund', 'payment/void'] as const;
export type GiftCardWebhookKind = (typeof GIFT_CARD_WEBHOOK_KINDS)[number];

/** Also accept the dashed spelling a merchant may type into Heartland's URL field. */
export function giftCardWebhookKind(kind: string): GiftCardWebhookKind | undefined {
  const normal = kind.replace(/^\/+|\/+$/g, '').replace('check-balance', 'check_balance');
  return (GIFT_CARD_WEBHOOK_KINDS as readonly string[]).includes(normal) ? (normal as GiftCardWebhookKind) : undefined;
}

const amountText = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v.trim());
    if (!Number.isFinite(n) || n <= 0 || Math.abs(cents(n) - n * 100) > 1e-6) {
      ctx.addIssue({ code: 'custom', message: 'must be a positive amount with at most two decimals, e.g. "12.50"' });
      return z.NEVER;
    }
    return n;
  });

const numberField = z.string({ error: 'the gift card number is required' }).trim().min(1, 'the gift card number is required');
const paymentId = z.union([z.string().trim().min(1), z.number()], { error: 'payment_id is required' }).transform(String);

const bodies = {
  'payment/check_balance': z.looseObject({ number: numberField }),
  'payment/capture': z.looseObject({ number: numberField, payment_id: paymentId, amount: amountText }),
  'payment/refund': z.looseObject({ number: numberField, payment_id: paymentId, amount: amountText }),
  'payment/void': z.looseObject({ number: numberField, payment_id: paymentId, amount: amountText.optional() }),
};

export interface GiftCardWebhookDeps {
  sides: GiftCardSides;
  ledger: Ledger;
  clock: Clock;
  enabled: boolean;
}

const answer = (status: number, body: unknown): WebhookAnswer => ({ status, body });

/**
 * Captures on one card are serialised inside this container, so two tills spending the same card
 * at the same moment cannot both pass the balance check here. Across containers the ledger still
 * never double counts; an overdraft is then reported by the card's reconciliation (shortfall).
 */
const cardQueues = new Map<string, Promise<unknown>>();
function serialised<T>(card: string, fn: () => Promise<T>): Promise<T> {
  const previous = cardQueues.get(card) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  cardQueues.set(card, tail);
  void tail.then(() => {
    if (cardQueues.get(card) === tail) cardQueues.delete(card);
  });
  return run;
}

export async function handleGiftCardWebhook(kindText: string, body: unknown, deps: GiftCardWebhookDeps): Promise<WebhookAnswer | undefined> {
  const kind = giftCardWebhookKind(kindText);
  if (!kind) return undefined;
  if (!deps.enabled) return answer(403, { message: 'Magento gift card payments are switched off in the connector settings (giftCards.enabled)' });
  const parsed = bodies[kind].safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map(String).join('.') || 'body';
    return answer(400, { message: `${field}: ${issue.message}`, field });
  }
  const number = parsed.data.number;
  const card = cardKey(number);
  try {
    return await serialised(card, () => handle(kind, parsed.data as Record<string, unknown> & { number: string }, card, deps));
  } catch (err) {
    if (err instanceof GiftCardsUnsupportedError) return answer(422, { message: NOT_SUPPORTED_MESSAGE });
    throw err;
  }
}

async function handle(kind: GiftCardWebhookKind, data: Record<string, unknown> & { number: string }, card: string, deps: GiftCardWebhookDeps): Promise<WebhookAnswer> {
  const { sides, ledger, clock } = deps;
  const now = () => new Date(clock.now()).toISOString();
  const view = await ledger.read(card);
  let account: CommerceAccount | undefined;
  for (const code of [...new Set([view.commerceBase?.code, data.number, card].filter((c): c is string => !!c))]) {
    account = await sides.commerce.get(code);
    if (account) break;
  }
  if (!account) return answer(404, { message: `Gift card not found: ${data.number}` });
  if (!view.commerceBase) {
    view.commerceBase = await ledger.setCommerceBase(card, { accountId: account.id, code: account.code, balance: account.balance, included: view.entries.map((e) => e.txId), at: now() });
  }
  if (!view.heartlandBase && kind !== 'payment/check_balance') await adoptHeartlandCard(card, deps);
  // What the card holds: the ledger's projection, or less if Magento already spent some of it on an
  // order the connector has not recorded yet.
  const available = () => fromCents(Math.max(0, Math.min(cents(account!.balance), cents(commerceProjection(view)!))));

  if (kind === 'payment/check_balance') return answer(200, { balance: available() });

  const paymentId = String(data.payment_id);
  const amount = data.amount as number | undefined;
  let entry: LedgerEntry | undefined;
  if (kind === 'payment/capture') {
    const txId = `heartland-payment-${paymentId}`;
    if (await ledger.entry(card, txId)) return answer(200, { balance: await writeProjection() });
    if (cents(amount!) > cents(available())) {
      return answer(422, { message: `Declined: gift card ${data.number} has ${available().toFixed(2)} left, less than ${amount!.toFixed(2)}` });
    }
    entry = { card, txId, delta: -amount!, origin: 'pos-webhook', reason: `Heartland payment ${paymentId} (capture)`, recordedAt: now() };
  } else if (kind === 'payment/refund') {
    entry = { card, txId: `heartland-refund-${paymentId}`, delta: amount!, origin: 'pos-webhook', reason: `Heartland payment ${paymentId} (refund)`, recordedAt: now() };
  } else {
    const captured = (await ledger.entry(card, `heartland-payment-${paymentId}`)) ?? (await ledger.entry(card, `heartland-refund-${paymentId}`));
    // Nothing captured under this payment id: nothing to give back, and saying so is success.
    if (!captured) return answer(200, { balance: available() });
    entry = { card, txId: `heartland-void-${paymentId}`, delta: -captured.delta, origin: 'pos-webhook', reason: `Heartland payment ${paymentId} (void)`, recordedAt: now() };
  }
  const recorded = await ledger.record(entry);
  // The view read above plus this entry (listing again would cost time the POS is waiting for,
  // and a list may lag the write anyway).
  if (!view.entries.some((e) => e.txId === recorded.entry.txId)) view.entries.push(recorded.entry);
  return answer(200, { balance: await writeProjection() });

  async function writeProjection(): Promise<number> {
    const target = Math.max(0, commerceProjection(view)!);
    if (cents(target) !== cents(account!.balance)) {
      await sides.commerce.setBalance(account!, target);
      account = { ...account!, balance: target };
    }
    return target;
  }
}

/**
 * A card that also exists in Heartland but was never reconciled: take its balance as the base now,
 * so this payment is later posted to it (its adjustments before now are not ledger transactions). Best effort: the POS is waiting, and a Heartland hiccup must not fail it.
 */
async function adoptHeartlandCard(card: string, deps: GiftCardWebhookDeps): Promise<void> {
  try {
    const hlCard = await deps.sides.heartland.get(card);
    if (!hlCard) return;
    const adjustments = await deps.sides.heartland.adjustments(hlCard.id);
    await deps.ledger.setHeartlandBase(card, {
      cardId: hlCard.id,
      number: hlCard.number,
      balance: hlCard.balance,
      included: [], // as in reconcileGiftCard: a card we did not create holds none of the ledger yet
      adjustmentWatermark: adjustments.reduce((max, a) => Math.max(max, a.id), 0),
      at: new Date(deps.clock.now()).toISOString(),
    });
  } catch {
    // The card's next reconciliation takes the base instead.
  }
}

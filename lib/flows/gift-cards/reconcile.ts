/**
 * Brings one gift card into step on both sides from its ledger:
 * 1. adopt each side's balance the first time the connector sees the card there (the base);
 * 2. record Heartland adjustments the connector did not make (POS redemptions, back-office loads)
 *    as ledger entries keyed by the adjustment id;
 * 3. post every entry Heartland has not seen yet as one adjustment each (pending → applied markers);
 * 4. write Magento's balance as base + every entry since (Magento has no delta endpoint, so the
 *    balance is a projection of the ledger: a value overwritten by a concurrent write is simply
 *    written again, correct, by the next pass, and no transaction is ever counted twice);
 * 5. create the card on the side that lacks it.
 * Callers serialise passes per card (the pipeline's unit lease); entries themselves may be
 * recorded concurrently by anyone (webhooks, order units) because they are written once per txId.
 */
import { heartlandGiftCardNumber } from '../../heartland/mappers/gift-card';
import { UpstreamError } from '../../platform/http';
import type { Clock, FileStore, StateStore } from '../../platform/ports';
import { acquireLease, leaseKey } from '../../sync/lease';
import { RetryableError } from '../../sync/errors';
import { cents, deltaSinceBase, fromCents, type Ledger, type LedgerEntry, type LedgerView } from './ledger';
import type { CommerceAccount, GiftCardSides, HeartlandCard } from './sides';

export interface ReconcileResult {
  card: string;
  found: boolean;
  heartland?: { cardId: number; balance: number };
  commerce?: { accountId: number; balance: number };
  recorded: string[];
  postedToHeartland: string[];
  commerceWritten: boolean;
  created?: 'heartland' | 'commerce';
  /** Money a side could not take (a card spent twice at the same moment on both sides). */
  shortfalls: Array<{ txId: string; side: 'heartland' | 'commerce'; amount: number }>;
}

export interface ReconcileInput {
  code: string;
  sides: GiftCardSides;
  ledger: Ledger;
  clock: Clock;
  files?: FileStore;
  /** With a state store, the card is leased for the pass (see reconcileGiftCard). */
  state?: StateStore;
  /** Wait between writing and re-reading the lease (0 with in-process stores). */
  leaseSettleMs?: number;
}

/** The card's key in the ledger: Heartland's number form (letters and digits, upper case). */
export function cardKey(code: string): string {
  return heartlandGiftCardNumber(code);
}

async function findCommerce(input: ReconcileInput, view: LedgerView): Promise<CommerceAccount | undefined> {
  const codes = [...new Set([view.commerceBase?.code, input.code, cardKey(input.code)].filter((c): c is string => !!c))];
  for (const code of codes) {
    const account = await input.sides.commerce.get(code);
    if (account) return account;
  }
  return undefined;
}

/** What Magento should show: its base plus every entry since (never below 0). */
export function commerceProjection(view: Pick<LedgerView, 'entries' | 'commerceBase'>): number | undefined {
  if (!view.commerceBase) return undefined;
  return fromCents(cents(view.commerceBase.balance) + deltaSinceBase(view.entries, view.commerceBase.included));
}

/** How long one card's reconciliation may hold the card (a pass is a handful of API calls). */
const CARD_LEASE_MS = 30_000;

/**
 * One reconciliation per card at a time. A webhook capture and the gift-card flow can reach the
 * same card together; without the lease both would see an entry as not yet posted and post it to
 * Heartland twice. The lease is best effort (no compare-and-set), so the per-entry applied marker
 * is still re-read by key right before posting.
 */
export async function reconcileGiftCard(input: ReconcileInput): Promise<ReconcileResult> {
  const card = cardKey(input.code);
  const lease = input.state ? await acquireLease(input.state, input.clock, leaseKey('giftcard', card), { ttlMs: CARD_LEASE_MS, settleMs: input.leaseSettleMs ?? 50 }) : undefined;
  if (input.state && !lease) {
    throw new RetryableError(`gift card ${card} is being reconciled by another activation`, { retryAfterMs: 1_000 });
  }
  try {
    return await reconcileCard(input, card);
  } finally {
    await lease?.release();
  }
}

async function reconcileCard(input: ReconcileInput, card: string): Promise<ReconcileResult> {
  const { sides, ledger, clock } = input;
  const now = () => new Date(clock.now()).toISOString();
  const result: ReconcileResult = { card, found: false, recorded: [], postedToHeartland: [], commerceWritten: false, shortfalls: [] };
  let view = await ledger.read(card);

  let hlCard: HeartlandCard | undefined = await sides.heartland.get(view.heartlandBase?.number ?? card);
  let account = await findCommerce(input, view);
  if (!hlCard && !account) return result;
  result.found = true;

  // 1. Bases: the balance each side had when first seen, and the entries it already contained.
  //    A Heartland card the connector did not create reflects only Heartland's own transactions, so
  //    every ledger entry is still to be posted to it. A Magento account already reflects Magento's
  //    own orders and every projection written before, so it contains every entry recorded so far.
  if (hlCard && !view.heartlandBase) {
    const adjustments = await sides.heartland.adjustments(hlCard.id);
    view.heartlandBase = await ledger.setHeartlandBase(card, {
      cardId: hlCard.id,
      number: hlCard.number,
      balance: hlCard.balance,
      included: [],
      adjustmentWatermark: adjustments.reduce((max, a) => Math.max(max, a.id), 0),
      at: now(),
    });
  }
  if (account && !view.commerceBase) {
    view.commerceBase = await ledger.setCommerceBase(card, { accountId: account.id, code: account.code, balance: account.balance, included: view.entries.map((e) => e.txId), at: now() });
  }

  // 2. Heartland transactions the connector did not make become ledger entries.
  if (hlCard && view.heartlandBase) {
    const ours = new Set([...view.applied.values()].map((m) => m.adjustmentId).filter((id): id is number => id !== null));
    const claimable = [...view.pending].filter(([txId]) => !view.applied.has(txId));
    for (const adj of await sides.heartland.adjustments(hlCard.id)) {
      if (adj.id <= view.heartlandBase.adjustmentWatermark || ours.has(adj.id)) continue;
      // Our own adjustment whose applied marker was never written (the activation died between
      // posting and marking): claim it instead of counting it a second time.
      const claim = claimable.findIndex(([, p]) => cents(p.delta) === cents(adj.delta));
      if (claim >= 0) {
        const [txId] = claimable.splice(claim, 1)[0];
        await ledger.markApplied(card, txId, { adjustmentId: adj.id, at: now() });
        continue;
      }
      const entry: LedgerEntry = { card, txId: `heartland-adjustment-${adj.id}`, delta: adj.delta, origin: 'heartland', reason: 'Heartland adjustment or POS redemption', recordedAt: now() };
      if ((await ledger.record(entry)).created) result.recorded.push(entry.txId);
    }
    view = await ledger.read(card);
  }

  // 3. Every other entry reaches Heartland once, as one adjustment.
  if (hlCard && view.heartlandBase) {
    const included = new Set(view.heartlandBase.included);
    for (const entry of view.entries) {
      if (entry.origin === 'heartland' || included.has(entry.txId) || view.applied.has(entry.txId)) continue;
      if (await ledger.isApplied(card, entry.txId)) continue;
      await ledger.markPending(card, entry.txId, entry.delta, now());
      let delta = entry.delta;
      let shortfall = 0;
      const current = (await sides.heartland.get(hlCard.number)) ?? hlCard;
      if (cents(current.balance) + cents(delta) < 0) {
        // Spent on both sides at once: Heartland cannot go below 0. Take what is there, report the rest.
        shortfall = fromCents(-(cents(current.balance) + cents(delta)));
        delta = -current.balance;
      }
      let adjustmentId: number | null = null;
      if (cents(delta) !== 0) {
        try {
          adjustmentId = (await sides.heartland.adjust(current, delta)).id;
        } catch (err) {
          if (!(err instanceof UpstreamError && err.status === 422)) throw err;
          shortfall = fromCents(-cents(entry.delta));
        }
      }
      await ledger.markApplied(card, entry.txId, { adjustmentId, ...(shortfall ? { shortfall } : {}), at: now() });
      if (shortfall) result.shortfalls.push({ txId: entry.txId, side: 'heartland', amount: shortfall });
      result.postedToHeartland.push(entry.txId);
    }
    hlCard = (await sides.heartland.get(hlCard.number)) ?? hlCard;
  }

  // 4. Magento shows the projection of the ledger.
  if (account && view.commerceBase) {
    let target = commerceProjection(view)!;
    if (target < 0) {
      result.shortfalls.push({ txId: 'projection', side: 'commerce', amount: -target });
      target = 0;
    }
    if (cents(account.balance) !== cents(target)) {
      await sides.commerce.setBalance(account, target);
      account = { ...account, balance: target };
      result.commerceWritten = true;
    }
  }

  // 5. The side without the card gets it, holding what the other side holds now.
  if (hlCard && !account) {
    account = await sides.commerce.create(hlCard.number, hlCard.balance);
    await ledger.setCommerceBase(card, { accountId: account.id, code: account.code, balance: account.balance, included: view.entries.map((e) => e.txId), at: now() });
    result.created = 'commerce';
  } else if (account && !hlCard) {
    hlCard = await sides.heartland.create(card, account.balance);
    const adjustments = await sides.heartland.adjustments(hlCard.id);
    await ledger.setHeartlandBase(card, {
      cardId: hlCard.id,
      number: hlCard.number,
      balance: hlCard.balance,
      included: view.entries.map((e) => e.txId),
      adjustmentWatermark: adjustments.reduce((max, a) => Math.max(max, a.id), 0),
      at: now(),
    });
    result.created = 'heartland';
  }

  if (hlCard) result.heartland = { cardId: hlCard.id, balance: hlCard.balance };
  if (account) result.commerce = { accountId: account.id, balance: account.balance };
  if (result.shortfalls.length && input.files) {
    await input.files.write(`giftcards/shortfalls/${card}-${clock.now()}.json`, JSON.stringify({ card, shortfalls: result.shortfalls, at: now() }, null, 2));
  }
  return result;
}

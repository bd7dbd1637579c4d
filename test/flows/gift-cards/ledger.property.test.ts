/**
 * Property: whatever the interleaving of POS redemptions in Heartland, web redemptions in Magento
 * (checkout lowers the account, the order later becomes a ledger entry), Heartland custom-payment
 * captures and reconciliation passes, once everything has landed and a final pass ran:
 * - both sides show the same balance;
 * - the ledger sum equals the balance change, and equals what customers spent;
 * - every redemption is in the ledger exactly once.
 * Every call to either system goes through fast-check's scheduler, so reads return stale values
 * and writes land in random orders, as they do between concurrent activations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../lib/platform/http';
import { createMemoryStateStore } from '../../../lib/platform/memory';
import { systemClock } from '../../../lib/platform/ports';
import { createLedger } from '../../../lib/flows/gift-cards/ledger';
import { reconcileGiftCard } from '../../../lib/flows/gift-cards/reconcile';
import { handleGiftCardWebhook } from '../../../lib/flows/gift-cards/webhook';
import type { GiftCardSides } from '../../../lib/flows/gift-cards/sides';

const CARD = 'GCPROP1';
const OPENING = 500;

type Op = { kind: 'pos' | 'web' | 'capture'; amount: number } | { kind: 'sync' };

const amount = fc.integer({ min: 1, max: 2500 }).map((c) => c / 100);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('pos' as const), amount }),
  fc.record({ kind: fc.constant('web' as const), amount }),
  fc.record({ kind: fc.constant('capture' as const), amount }),
  fc.constant({ kind: 'sync' as const }),
);

function fakes(s: fc.Scheduler) {
  const hlCard = { id: 1, number: CARD, balance: OPENING, adjustments: [{ id: 1, delta: OPENING }] };
  let nextAdj = 2;
  const magento = { id: 7, code: CARD, balance: 0, exists: false };
  const c = (n: number) => Math.round(n * 100);
  const sides: GiftCardSides = {
    heartland: {
      get: s.scheduleFunction(async (number: string) => (number === CARD ? { id: hlCard.id, number: CARD, balance: hlCard.balance } : undefined)),
      create: s.scheduleFunction(async () => {
        throw new Error('the Heartland card exists in this scenario');
      }),
      adjustments: s.scheduleFunction(async () => hlCard.adjustments.map((a) => ({ ...a }))),
      adjust: s.scheduleFunction(async (_card: { id: number }, delta: number) => {
        if (c(hlCard.balance) + c(delta) < 0) throw new UpstreamError({ system: 'heartland', status: 422, code: 'validation_error', message: 'would make the balance negative' } as never);
        hlCard.balance = (c(hlCard.balance) + c(delta)) / 100;
        const id = nextAdj++;
        hlCard.adjustments.push({ id, delta });
        return { id };
      }),
    },
    commerce: {
      get: s.scheduleFunction(async (code: string) => (magento.exists && code === CARD ? { id: magento.id, code: CARD, balance: magento.balance } : undefined)),
      create: s.scheduleFunction(async (code: string, balance: number) => {
        Object.assign(magento, { code, balance, exists: true });
        return { id: magento.id, code, balance };
      }),
      setBalance: s.scheduleFunction(async (_a: { id: number }, balance: number) => {
        magento.balance = balance;
      }),
    },
  };
  /** A POS sale paid with the card: Heartland lowers the balance and records an adjustment, atomically. */
  const posRedeem = s.scheduleFunction(async (delta: number) => {
    hlCard.balance = (c(hlCard.balance) - c(delta)) / 100;
    hlCard.adjustments.push({ id: nextAdj++, delta: -delta });
  });
  /** Magento checkout: the account is lowered atomically with the order being placed. */
  const webCheckout = s.scheduleFunction(async (delta: number) => {
    magento.balance = Math.max(0, (c(magento.balance) - c(delta)) / 100);
  });
  return { sides, hlCard, magento, posRedeem, webCheckout };
}

describe('gift card ledger under concurrent redemptions', () => {
  it('ends with equal balances and a ledger whose sum equals the balance change', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(opArb, { minLength: 1, maxLength: 12 }), async (s, ops) => {
        const state = createMemoryStateStore(systemClock);
        const ledger = createLedger(state);
        const f = fakes(s);
        // The card is linked before the scenario starts (Magento mirror created at 500).
        const linking = reconcileGiftCard({ code: CARD, sides: f.sides, ledger, clock: systemClock });
        await s.waitFor(linking);
        expect(f.magento.balance).toBe(OPENING);

        // Reconciliation passes of one card are serialised by the unit lease in production.
        let passes = Promise.resolve<unknown>(undefined);
        const pass = () => (passes = passes.then(() => reconcileGiftCard({ code: CARD, sides: f.sides, ledger, clock: systemClock })));
        let spent = 0;
        let redemptions = 0;
        const tasks = ops.map(async (op, i) => {
          if (op.kind === 'sync') return pass();
          if (op.kind === 'pos') {
            await f.posRedeem(op.amount);
          } else if (op.kind === 'web') {
            await f.webCheckout(op.amount);
            // The order event arrives later and is recorded as the order's ledger entry.
            await ledger.record({ card: CARD, txId: `commerce-order-${i}`, delta: -op.amount, origin: 'commerce', reason: 'order', recordedAt: new Date().toISOString() });
          } else {
            const answer = await handleGiftCardWebhook('payment/capture', { payment_id: String(i), amount: op.amount.toFixed(2), number: CARD }, { sides: f.sides, ledger, clock: systemClock, enabled: true });
            if (answer?.status !== 200) return; // declined (not enough left as seen at that moment): nothing spent
            // A retry of the same capture by the POS must not move money again.
            await handleGiftCardWebhook('payment/capture', { payment_id: String(i), amount: op.amount.toFixed(2), number: CARD }, { sides: f.sides, ledger, clock: systemClock, enabled: true });
          }
          spent += Math.round(op.amount * 100);
          redemptions++;
        });
        await s.waitFor(Promise.all(tasks));
        await s.waitFor(pass());
        await s.waitFor(pass());

        const view = await ledger.read(CARD);
        const ledgerSum = view.entries.reduce((sum, e) => sum + Math.round(e.delta * 100), 0);
        expect(Math.round(f.hlCard.balance * 100)).toBe(Math.round(f.magento.balance * 100));
        expect(ledgerSum).toBe(Math.round(f.hlCard.balance * 100) - OPENING * 100);
        expect(ledgerSum + spent).toBe(0);
        expect(view.entries).toHaveLength(redemptions);
      }),
      { numRuns: 60 },
    );
  });
});

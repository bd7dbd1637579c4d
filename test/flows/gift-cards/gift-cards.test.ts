import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnit } from '../../../lib/sync';
import { systemClock } from '../../../lib/platform/ports';
import { createLedger, giftCardFlow, GIFT_CARD_FLOW, handleGiftCardWebhook, reconcileGiftCard, giftCardOrderFlow } from '../../../lib/flows/gift-cards';
import { commerceSide, heartlandSide, type GiftCardSides } from '../../../lib/flows/gift-cards/sides';
import { startHarness, type Harness } from '../customers/harness';

let h: Harness;
let sides: GiftCardSides;
let n = 0;
const code = () => `GC${Date.now().toString(36).toUpperCase()}${++n}`;

beforeAll(async () => {
  h = await startHarness({ flows: [giftCardFlow, giftCardOrderFlow] });
  sides = { heartland: heartlandSide(h.hl), commerce: commerceSide(h.commerce) };
});
afterAll(async () => h?.close());

const ledger = () => createLedger(h.platform.state);
const webhook = (kind: string, body: unknown) => handleGiftCardWebhook(kind, body, { sides, ledger: ledger(), clock: systemClock, enabled: true });
const magentoBalance = async (c: string) => (await h.commerce.giftCards.findByCode(c))!.balance;
const heartlandBalance = async (c: string) => (await h.hl.giftCards.get(c))!.balance;

describe('gift cards: ledger reconciliation', () => {
  it('a Magento-only card is created in Heartland with the same balance, once', async () => {
    const c = code();
    await h.commerce.giftCards.create({ code: c, balance: 50 });
    const first = await runUnit(giftCardFlow, { flow: GIFT_CARD_FLOW, key: c, trigger: 'manual' }, h.deps);
    expect(first).toMatchObject({ outcome: 'done', action: 'created' });
    expect(await heartlandBalance(c)).toBe(50);
    const second = await runUnit(giftCardFlow, { flow: GIFT_CARD_FLOW, key: c, trigger: 'manual' }, h.deps);
    expect(second).toMatchObject({ outcome: 'done', action: 'unchanged' });
    expect(await heartlandBalance(c)).toBe(50);
    expect(await magentoBalance(c)).toBe(50);
  });

  it('a POS redemption in Heartland reaches Magento once; a Magento order reaches Heartland once', async () => {
    const c = code();
    const created = await h.heartlandApi('POST', 'gift_cards', { number: c, balance: 80 });
    expect(created.status).toBe(201);
    await reconcileGiftCard({ code: c, sides, ledger: ledger(), clock: systemClock });
    expect(await magentoBalance(c)).toBe(80);
    const card = await h.hl.giftCards.get(c);
    // POS redemption: Heartland records it as an adjustment.
    await h.heartlandApi('POST', 'gift_card/adjustments', { gift_card_id: card!.id, delta_balance: -12.5 });
    // A Magento order spends 20 (Magento's checkout lowers the balance itself) at the same time.
    await h.commerce.giftCards.update((await h.commerce.giftCards.findByCode(c))!.account_id, { balance: 60 });
    await ledger().record({ card: c, txId: 'commerce-order-000000777', delta: -20, origin: 'commerce', reason: 'Magento order 000000777', recordedAt: new Date().toISOString() });
    for (let i = 0; i < 3; i++) await reconcileGiftCard({ code: c, sides, ledger: ledger(), clock: systemClock });
    expect(await heartlandBalance(c)).toBe(47.5);
    expect(await magentoBalance(c)).toBe(47.5);
    const view = await ledger().read(c);
    expect(view.entries.map((e) => e.txId).sort()).toEqual(['commerce-order-000000777', expect.stringMatching(/^heartland-adjustment-\d+$/)]);
    expect(view.entries.reduce((s, e) => s + e.delta, 0)).toBe(-32.5);
  });

  it('two reconciliations of one card at once post a Magento order to Heartland once', async () => {
    const c = code();
    await h.heartlandApi('POST', 'gift_cards', { number: c, balance: 40 });
    await reconcileGiftCard({ code: c, sides, ledger: ledger(), clock: systemClock, state: h.platform.state, leaseSettleMs: 0 });
    await ledger().record({ card: c, txId: 'commerce-order-000000888', delta: -15, origin: 'commerce', reason: 'Magento order 000000888', recordedAt: new Date().toISOString() });
    const run = () => reconcileGiftCard({ code: c, sides, ledger: ledger(), clock: systemClock, state: h.platform.state, leaseSettleMs: 0 });
    // The loser of the lease is told to retry, not allowed to post the same entry again.
    const results = await Promise.allSettled([run(), run()]);
    for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toContain('being reconciled by another activation');
    await run();
    const card = await h.hl.giftCards.get(c);
    const adjustments = await h.hl.giftCards.listAdjustments(card!.id);
    expect(adjustments.map((a: { delta_balance: number }) => a.delta_balance).filter((d: number) => d === -15)).toHaveLength(1);
    expect(await heartlandBalance(c)).toBe(25);
  });

  it('reports "not supported by this store" on a store without gift card accounts', async () => {
    const bare = await startHarness({ flows: [giftCardFlow], commerce: { features: { giftCardAccounts: false } } });
    try {
      const outcome = await runUnit(giftCardFlow, { flow: GIFT_CARD_FLOW, key: 'GC1', trigger: 'manual' }, bare.deps);
      expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'filtered', detail: expect.stringContaining('not supported by this Magento store') });
      const s = { heartland: heartlandSide(bare.hl), commerce: commerceSide(bare.commerce) };
      const answer = await handleGiftCardWebhook('payment/check_balance', { number: 'GC1' }, { sides: s, ledger: createLedger(bare.platform.state), clock: systemClock, enabled: true });
      expect(answer).toEqual({ status: 422, body: { message: expect.stringContaining('not supported') } });
    } finally {
      await bare.close();
    }
  });
});

describe('gift cards: Heartland custom payment webhooks', () => {
  it('check balance, capture, repeated capture, capture over the balance, void', async () => {
    const c = code();
    await h.commerce.giftCards.create({ code: c, balance: 40 });
    expect(await webhook('payment/check_balance', { payment_id: '1', amount: '0.00', number: c })).toEqual({ status: 200, body: { balance: 40 } });

    expect(await webhook('payment/capture', { payment_id: '501', amount: '15.25', number: c })).toEqual({ status: 200, body: { balance: 24.75 } });
    expect(await webhook('payment/capture', { payment_id: '501', amount: '15.25', number: c })).toEqual({ status: 200, body: { balance: 24.75 } });
    expect(await magentoBalance(c)).toBe(24.75);

    const over = await webhook('payment/capture', { payment_id: '502', amount: '30.00', number: c });
    expect(over?.status).toBe(422);
    expect((over?.body as { message: string }).message).toMatch(/Declined: .*24\.75.*30\.00/);
    expect(await magentoBalance(c)).toBe(24.75);

    expect(await webhook('payment/void', { payment_id: '501', amount: '15.25', number: c })).toEqual({ status: 200, body: { balance: 40 } });
    expect(await webhook('payment/void', { payment_id: '501', amount: '15.25', number: c })).toEqual({ status: 200, body: { balance: 40 } });
    expect(await webhook('payment/refund', { payment_id: '503', amount: '5', number: c })).toEqual({ status: 200, body: { balance: 45 } });
    const view = await ledger().read(c);
    expect(view.entries.map((e) => [e.txId, e.delta])).toEqual(
      expect.arrayContaining([['heartland-payment-501', -15.25], ['heartland-void-501', 15.25], ['heartland-refund-503', 5]]),
    );
    expect(view.entries).toHaveLength(3);
  });

  it('a card on both sides that was never reconciled: a POS capture still reaches the Heartland card', async () => {
    const c = code();
    await h.commerce.giftCards.create({ code: c, balance: 50 });
    expect((await h.heartlandApi('POST', 'gift_cards', { number: c, balance: 50 })).status).toBe(201);
    expect(await webhook('payment/capture', { payment_id: '777', amount: '20', number: c })).toEqual({ status: 200, body: { balance: 30 } });
    await reconcileGiftCard({ code: c, sides, ledger: ledger(), clock: systemClock });
    expect(await heartlandBalance(c)).toBe(30);
    expect(await magentoBalance(c)).toBe(30);
  });

  it('concurrent captures with the same payment_id move money once', async () => {
    const c = code();
    await h.commerce.giftCards.create({ code: c, balance: 100 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => webhook('payment/capture', { payment_id: '900', amount: '10', number: c })));
    expect(answers.every((a) => a?.status === 200)).toBe(true);
    expect(await magentoBalance(c)).toBe(90);
  });

  it('bad input names the field; unknown cards are 404 with Heartland\'s message shape; other kinds are not ours', async () => {
    expect(await webhook('payment/capture', { payment_id: '1', amount: 'ten', number: 'GC1' })).toMatchObject({ status: 400, body: { field: 'amount' } });
    expect(await webhook('payment/capture', { amount: '1', number: 'GC1' })).toMatchObject({ status: 400, body: { field: 'payment_id' } });
    expect(await webhook('payment/check_balance', {})).toMatchObject({ status: 400, body: { field: 'number' } });
    expect(await webhook('payment/check_balance', { number: 'NOSUCHCARD' })).toEqual({ status: 404, body: { message: 'Gift card not found: NOSUCHCARD' } });
    expect(await webhook('notification', {})).toBeUndefined();
    expect(await handleGiftCardWebhook('payment/capture', { number: 'X', payment_id: 1, amount: 1 }, { sides, ledger: ledger(), clock: systemClock, enabled: false })).toMatchObject({ status: 403 });
  });
});

import { describe, expect, it } from 'vitest';
import { addressKey, fraudHistoryFor, pastOrderOf, scoreOrder, type FraudHistory } from '../../lib/insights/fraud';
import { mulberry32, ordinaryTraffic, makeOrder } from './demo-traffic';

const start = Date.parse('2026-03-01T12:00:00Z');
const quiet: FraudHistory = { recentOrdersByEmail: 0, recentOrdersByAddress: 0, customerOrderCount: 4, totalsDistribution: Array.from({ length: 50 }, (_, i) => 60 + (i % 10) * 5) };
const run = ordinaryTraffic(7, start);
// A customer at home in the US, so a parcel to Canada is a country mismatch.
const someone = { ...run.customers[0], home: { city: 'Boston', regionCode: 'MA', postalCode: '02127', country: 'US' } };
const order = (over: { total?: number; shipTo?: 'CA' } = {}) =>
  makeOrder({
    n: 9001,
    placedAtMs: start,
    customer: someone,
    lines: [{ sku: 'SKU-001', price: over.total ? over.total / 1.08 : 50, qty: 1 }],
    shipTo: over.shipTo ? { city: 'Toronto', regionCode: 'ON', postalCode: 'M5K 1A2', country: 'CA' } : undefined,
  });

describe('fraud signals', () => {
  it('remembers a shipping address as a digest: a card number typed into it is never stored, and equal addresses still match', () => {
    const base = order().shippingAddress!;
    const typed = { ...base, line1: '1 Main St 4111 1111 1111 1111' };
    const key = addressKey(typed)!;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(pastOrderOf({ ...order(), shippingAddress: typed }))).not.toMatch(/4111/);
    expect(addressKey({ ...typed, line1: '1 MAIN ST. 4111-1111-1111-1111' })).toBe(key);
    expect(addressKey({ ...typed, postalCode: '99999' })).not.toBe(key);
  });

  it('an ordinary order from a returning customer scores 0', () => {
    expect(scoreOrder(order(), quiet)).toEqual({ score: 0, reasons: [], flagged: false, hold: false });
  });

  it('a country mismatch alone is noted but neither flags nor holds', () => {
    const verdict = scoreOrder(order({ shipTo: 'CA' }), quiet);
    expect(verdict.reasons).toEqual([{ signal: 'country_mismatch', weight: 25, detail: 'billing country US differs from shipping country CA' }]);
    expect(verdict).toMatchObject({ score: 25, flagged: false, hold: false });
  });

  it('a high first order alone is noted only; far outside the distribution too, and that holds', () => {
    const alone = scoreOrder(order({ total: 450 }), { ...quiet, customerOrderCount: 0 });
    expect(alone.reasons.map((r) => r.signal)).toEqual(['first_order_high_value']);
    expect(alone).toMatchObject({ score: 25, flagged: false, hold: false });
    const verdict = scoreOrder(order({ total: 2400 }), { ...quiet, customerOrderCount: 0 });
    expect(verdict.reasons.map((r) => r.signal)).toEqual(['first_order_high_value', 'total_outlier']);
    expect(verdict).toMatchObject({ score: 60, flagged: true, hold: true });
    expect(verdict.reasons[1].detail).toMatch(/× the median/);
  });

  it('the hold threshold is a setting', () => {
    const verdict = scoreOrder(order({ total: 2400 }), { ...quiet, customerOrderCount: 0 }, { holdAtScore: 90 });
    expect(verdict).toMatchObject({ score: 60, flagged: true, hold: false });
  });

  it('a burst of 20 orders from one email is flagged and then held', () => {
    const random = mulberry32(3);
    const past = run.orders.map(pastOrderOf);
    const burster = { ...run.customers[1], email: 'burst@example.com', sourceId: null };
    const verdicts = [];
    for (let i = 0; i < 20; i++) {
      const o = makeOrder({ n: 5000 + i, placedAtMs: start + 11 * 60_000 + i * 45_000, customer: { ...burster, street: `${100 + i} Elm St` }, lines: [{ sku: 'SKU-002', price: 40 + random() * 20, qty: 1 }] });
      verdicts.push(scoreOrder(o, fraudHistoryFor(o, past)));
      past.push(pastOrderOf(o));
    }
    expect(verdicts.slice(0, 3).every((v) => !v.flagged)).toBe(true);
    expect(verdicts.at(-1)).toMatchObject({ flagged: true });
    expect(verdicts.at(-1)?.reasons).toContainEqual({ signal: 'email_velocity', weight: 45, detail: '19 other orders from burst@example.com in the last 60 minutes' });
    expect(verdicts.filter((v) => v.flagged).length).toBeGreaterThanOrEqual(15);
  });

  it('many orders to one address from different emails add up', () => {
    const o = order();
    const verdict = scoreOrder(o, { ...quiet, recentOrdersByEmail: 6, recentOrdersByAddress: 8 });
    expect(verdict.reasons.map((r) => [r.signal, r.weight])).toEqual([['email_velocity', 35], ['address_velocity', 35]]);
    expect(verdict).toMatchObject({ score: 70, hold: true });
  });

  it('builds history from recent orders: window, email case, first order', () => {
    const o = order();
    const past = [
      { email: someone.email.toUpperCase(), placedAtMs: start - 10 * 60_000, total: 50, customerKey: someone.sourceId ?? someone.email },
      { email: someone.email, placedAtMs: start - 3 * 3600_000, total: 70, customerKey: someone.sourceId ?? someone.email },
    ];
    const history = fraudHistoryFor(o, past);
    expect(history).toMatchObject({ recentOrdersByEmail: 1, customerOrderCount: 2, totalsDistribution: [50, 70], windowMinutes: 60 });
  });
});

/**
 * Money in the canonical model: plain numbers rounded to cents. Both systems send money as
 * decimals (Magento events as `"165.0000"` strings), and float sums drift (0.1 + 0.2), so every
 * amount that enters the model goes through `money()`.
 */
import { z } from 'zod';

/** Rounds to cents, half away from zero, without the float trap of `Math.round(1.005 * 100)`. */
export function money(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`money: ${value} is not a finite number`);
  const sign = value < 0 ? -1 : 1;
  const abs = Math.abs(value);
  const text = String(abs);
  // Shifting by string exponent keeps 1.005 at 1.005e2 = 100.5 instead of 100.49999999999999.
  const cents = text.includes('e') ? Math.round(abs * 100) : Math.round(Number(`${text}e2`));
  const rounded = (sign * cents) / 100;
  return rounded === 0 ? 0 : rounded; // no -0 in JSON output
}

/** Sum of amounts, rounded once at the end. */
export function sumMoney(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return money(total);
}

/** Splits `total` over `weights` in cents so the parts add up to exactly `total`. */
export function allocateMoney(total: number, weights: number[]): number[] {
  if (weights.length === 0) return [];
  const cents = Math.round(money(total) * 100);
  const weightSum = weights.reduce((a, b) => a + Math.max(0, b), 0);
  const shares = weights.map((w) => (weightSum > 0 ? Math.max(0, w) / weightSum : 1 / weights.length));
  const parts = shares.map((s) => Math.floor(cents * s));
  let remainder = cents - parts.reduce((a, b) => a + b, 0);
  // Hand the leftover cents to the largest shares first, so the split is stable and fair.
  const order = shares.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s || a.i - b.i);
  for (let k = 0; remainder > 0; k = (k + 1) % order.length, remainder--) parts[order[k].i] += 1;
  return parts.map((p) => money(p / 100));
}

/** A money amount: any finite number, stored rounded to cents. */
export const Money = z.number().transform(money);
/** A money amount that may not be negative. */
export const NonNegativeMoney = z.number().min(0, 'must not be negative').transform(money);

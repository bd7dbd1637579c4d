/**
 * Fraud signals on a web order before it goes to Heartland. Each signal that fires adds a weight
 * and a sentence; the score (0..100) is their sum, capped. Above `holdAtScore` (a setting) the
 * order is held for review instead of sent. No single weak signal holds an order: a gift shipped
 * abroad is normal, a gift shipped abroad by a first-time buyer at ten times the usual basket,
 * twelve times in an hour, is not.
 */
import { createHash } from 'node:crypto';
import type { Order } from '../../model/order';
import { judgeAgainstBaseline, judgeValue, SERIES_DEFAULTS } from '../anomaly/series';
import type { RobustBaseline } from '../anomaly/robust';
import { robustBaseline } from '../anomaly/robust';

export type FraudSignal = 'country_mismatch' | 'first_order_high_value' | 'email_velocity' | 'address_velocity' | 'total_outlier';

export interface FraudReason {
  signal: FraudSignal;
  weight: number;
  detail: string;
}

export interface FraudHistory {
  /** Orders from this order's email within the velocity window, not counting this one. */
  recentOrdersByEmail: number;
  /** Orders to this order's shipping address from other emails within the window (the same buyer is the email signal). */
  recentOrdersByAddress: number;
  /** The customer's earlier orders (0: first order; guests with no earlier order count as 0). */
  customerOrderCount: number;
  /** Recent order totals of the store (or their baseline) for "far outside the usual". */
  totalsDistribution: readonly number[] | RobustBaseline;
  /** The window the recent counts cover, for the reason text (default 60). */
  windowMinutes?: number;
}

export interface FraudSettings {
  /** At or above this score the order is held for review (default 60). */
  holdAtScore: number;
  /** At or above this score the order is flagged on the panel (default 30). */
  flagAtScore: number;
  /** Orders per email (or address) in the window that start to look like a burst (default 3). */
  maxOrdersInWindow: number;
  /** A first order this many times the median total is high value (default 5)… */
  firstOrderMedianMultiple: number;
  /** …and at least this amount (default 250). */
  firstOrderMinimum: number;
}

export const DEFAULT_FRAUD_SETTINGS: FraudSettings = { holdAtScore: 60, flagAtScore: 30, maxOrdersInWindow: 3, firstOrderMedianMultiple: 5, firstOrderMinimum: 250 };

export interface FraudVerdict {
  score: number;
  reasons: FraudReason[];
  /** Flagged on the panel (score ≥ flagAtScore). */
  flagged: boolean;
  /** Held for review instead of sent (score ≥ holdAtScore). */
  hold: boolean;
}

/**
 * Weak signals (a gift abroad, a big first basket) stay below the default flag score (30) on their
 * own: the sandbox's ordinary demo traffic has first-time buyers at 9× the median basket
 * (test/insights/demo-traffic-detectors.test.ts), which is a good day, not fraud. Together, or with
 * a total far outside the distribution (25 + 35 = the default hold score 60), they count.
 */
const WEIGHTS = { country_mismatch: 25, first_order_high_value: 25, total_outlier: 35 } as const;

function baselineOf(distribution: FraudHistory['totalsDistribution']): RobustBaseline | undefined {
  if (Array.isArray(distribution)) return distribution.length ? robustBaseline(distribution as number[]) : undefined;
  return distribution as RobustBaseline;
}

export function scoreOrder(order: Order, history: FraudHistory, settings: Partial<FraudSettings> = {}): FraudVerdict {
  const s = { ...DEFAULT_FRAUD_SETTINGS, ...settings };
  const reasons: FraudReason[] = [];
  const total = order.totals.grand;
  const window = history.windowMinutes ?? 60;

  const billing = order.billingAddress?.country;
  const shipping = order.shippingAddress?.country;
  if (billing && shipping && billing !== shipping) {
    reasons.push({ signal: 'country_mismatch', weight: WEIGHTS.country_mismatch, detail: `billing country ${billing} differs from shipping country ${shipping}` });
  }

  const baseline = baselineOf(history.totalsDistribution);
  if (history.customerOrderCount === 0 && baseline && baseline.count > 0) {
    const limit = Math.max(s.firstOrderMinimum, baseline.median * s.firstOrderMedianMultiple);
    if (total >= limit) {
      reasons.push({ signal: 'first_order_high_value', weight: WEIGHTS.first_order_high_value, detail: `first order from this customer is ${total} ${order.currency}, over ${Math.round(limit * 100) / 100} (${s.firstOrderMedianMultiple}× the median ${baseline.median}, at least ${s.firstOrderMinimum})` });
    }
  }

  // Velocity: the weight grows with the size of the burst.
  const burstWeight = (count: number, base: number, cap: number) => Math.min(cap, base + 5 * (count - s.maxOrdersInWindow));
  if (history.recentOrdersByEmail >= s.maxOrdersInWindow) {
    reasons.push({ signal: 'email_velocity', weight: burstWeight(history.recentOrdersByEmail, 20, 45), detail: `${history.recentOrdersByEmail} other orders from ${order.customer.email} in the last ${window} minutes` });
  }
  if (history.recentOrdersByAddress >= s.maxOrdersInWindow) {
    reasons.push({ signal: 'address_velocity', weight: burstWeight(history.recentOrdersByAddress, 15, 35), detail: `${history.recentOrdersByAddress} orders from other emails to this shipping address in the last ${window} minutes` });
  }

  if (baseline) {
    const verdict = Array.isArray(history.totalsDistribution)
      ? judgeValue(history.totalsDistribution as number[], total, SERIES_DEFAULTS.order_total)
      : judgeAgainstBaseline(baseline, total, SERIES_DEFAULTS.order_total);
    if (verdict.anomalous) reasons.push({ signal: 'total_outlier', weight: WEIGHTS.total_outlier, detail: `order total ${verdict.explanation}` });
  }

  const score = Math.min(100, reasons.reduce((sum, r) => sum + r.weight, 0));
  return { score, reasons, flagged: score >= s.flagAtScore, hold: score >= s.holdAtScore };
}

/**
 * Shipping address as a comparable key: same street, postcode and country, whatever the case or
 * spacing. A digest, not the address: the key is kept for two days in the recent-orders record,
 * only ever compared for equality, and shoppers type anything into address lines, card numbers
 * included (issue 11: no card number may be stored anywhere, even normalised to bare digits).
 */
export function addressKey(address: Order['shippingAddress']): string | undefined {
  if (!address) return undefined;
  const norm = (t: string | null | undefined) => (t ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
  return createHash('sha256').update(`${norm(address.line1)}|${norm(address.postalCode)}|${address.country}`).digest('hex').slice(0, 32);
}

export interface PastOrder {
  email: string;
  addressKey?: string;
  placedAtMs: number;
  total: number;
  customerKey?: string;
}

/** Builds the history for one order from recent orders (e.g. the last day's, read by the flow). */
export function fraudHistoryFor(order: Order, past: readonly PastOrder[], options: { windowMinutes?: number; now?: number } = {}): FraudHistory {
  const windowMinutes = options.windowMinutes ?? 60;
  const placed = options.now ?? Date.parse(order.placedAt);
  const from = placed - windowMinutes * 60_000;
  const email = order.customer.email.toLowerCase();
  const address = addressKey(order.shippingAddress);
  const inWindow = past.filter((p) => p.placedAtMs >= from && p.placedAtMs <= placed);
  const customerKey = order.customer.sourceId ?? email;
  return {
    recentOrdersByEmail: inWindow.filter((p) => p.email.toLowerCase() === email).length,
    recentOrdersByAddress: address ? inWindow.filter((p) => p.addressKey === address && p.email.toLowerCase() !== email).length : 0,
    customerOrderCount: past.filter((p) => (p.customerKey ?? p.email.toLowerCase()) === customerKey && p.placedAtMs < placed).length,
    totalsDistribution: past.map((p) => p.total),
    windowMinutes,
  };
}

/** The record `fraudHistoryFor` needs from an order, to keep as the next order's history. */
export function pastOrderOf(order: Order): PastOrder {
  return {
    email: order.customer.email,
    addressKey: addressKey(order.shippingAddress),
    placedAtMs: Date.parse(order.placedAt),
    total: order.totals.grand,
    customerKey: order.customer.sourceId ?? order.customer.email.toLowerCase(),
  };
}

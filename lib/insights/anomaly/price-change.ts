/**
 * Price changes beyond a threshold: a Heartland price that jumps from 100 to 1 (a typo, a
 * decimal point lost in an import) would be on the web store within a minute. Flags each item
 * whose new price differs from the last pushed one by more than a share of it.
 */

export interface PriceChange {
  sku: string;
  previous: number;
  next: number;
}

export interface PriceChangeFinding extends PriceChange {
  /** Signed relative change: −0.99 is a 99% cut. */
  change: number;
  reason: string;
}

export interface PriceChangeOptions {
  /** Relative change beyond which a price is flagged (default 0.5 = ±50%). */
  maxChangeShare?: number;
  /** Changes smaller than this absolute amount are ignored (a 0.50 item going to 1.00). */
  minAbsoluteChange?: number;
}

export function evaluatePriceChanges(changes: Iterable<PriceChange>, options: PriceChangeOptions = {}): PriceChangeFinding[] {
  const maxShare = options.maxChangeShare ?? 0.5;
  const minAbsolute = options.minAbsoluteChange ?? 5;
  if (!(maxShare > 0)) throw new RangeError(`maxChangeShare must be more than 0, not ${maxShare}`);
  const findings: PriceChangeFinding[] = [];
  for (const change of changes) {
    if (!Number.isFinite(change.previous) || !Number.isFinite(change.next)) continue;
    const diff = change.next - change.previous;
    if (Math.abs(diff) < minAbsolute) continue;
    // From 0 any positive price is a new price, not a change: nothing to compare with.
    if (change.previous <= 0) continue;
    const share = diff / change.previous;
    if (Math.abs(share) <= maxShare) continue;
    const direction = share < 0 ? 'down' : 'up';
    findings.push({
      ...change,
      change: Math.round(share * 1000) / 1000,
      reason: `price of ${change.sku} would go ${direction} from ${change.previous} to ${change.next} (${share > 0 ? '+' : ''}${Math.round(share * 100)}%); the limit is ±${Math.round(maxShare * 100)}%`,
    });
  }
  return findings;
}

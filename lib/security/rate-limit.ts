/**
 * Per-source request rate limits for public entry points (the Heartland webhook, the Commerce
 * webhook, the local host). A token bucket per source: `perMinute` requests a minute on average,
 * bursts up to `burst`. Buckets live in the container's memory, so on I/O Runtime the limit holds
 * per warm container, not per namespace: a first line that stops one noisy caller from turning
 * every request into state reads and upstream calls. The state store is deliberately not used:
 * counting requests there would give an attacker a way to make us write state.
 *
 * The number of tracked sources is bounded (oldest evicted first), so a flood from many addresses
 * cannot grow memory without limit.
 */

export interface RateLimitOptions {
  /** Sustained requests per minute per source. */
  perMinute: number;
  /** Requests a source may make at once before the sustained rate applies (default perMinute / 6, at least 10). */
  burst?: number;
  /** Most sources remembered at once (default 10,000). */
  maxSources?: number;
  now?: () => number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  take(source: string): RateDecision;
  /** Sources currently tracked (for tests and health). */
  size(): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  if (!(options.perMinute > 0)) throw new RangeError('perMinute must be a positive number');
  const perMs = options.perMinute / 60_000;
  const burst = Math.max(1, options.burst ?? Math.max(10, Math.ceil(options.perMinute / 6)));
  const maxSources = Math.max(1, options.maxSources ?? 10_000);
  const now = options.now ?? Date.now;
  // Map iteration order is insertion order: re-inserting on use makes the first entry the oldest.
  const buckets = new Map<string, Bucket>();

  return {
    take(source) {
      const t = now();
      const previous = buckets.get(source);
      const bucket: Bucket = previous
        ? { tokens: Math.min(burst, previous.tokens + (t - previous.at) * perMs), at: t }
        : { tokens: burst, at: t };
      buckets.delete(source);
      if (buckets.size >= maxSources) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        buckets.set(source, bucket);
        return { allowed: true };
      }
      buckets.set(source, bucket);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
    size: () => buckets.size,
  };
}

/**
 * Who is calling, for rate limiting: the LAST `x-forwarded-for` hop, the address the gateway in
 * front of the action saw (ASSUMED: I/O Runtime's gateway appends it, as proxies in front of
 * OpenWhisk do; earlier hops are whatever the caller wrote, so trusting them would let a flood pick
 * a fresh bucket per request), else `x-real-ip`, else one shared bucket.
 */
export function requestSource(headers: Record<string, string | undefined>): string {
  const forwarded = headers['x-forwarded-for']?.split(',').at(-1)?.trim();
  if (forwarded) return forwarded.slice(0, 64);
  const real = headers['x-real-ip']?.trim();
  if (real) return real.slice(0, 64);
  return 'unknown';
}

/** Reads a per-minute limit from an action input; absent or invalid means the default. */
export function perMinuteFromInput(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

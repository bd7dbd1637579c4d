/**
 * The rate limiters of the public web entry points, one per entry point and container (see
 * rate-limit.ts for why in memory). The limit is an action input so a merchant with a busy
 * Heartland account can raise it without a code change.
 */
import { jsonResponse, type ActionResponse } from '../runtime';
import { createRateLimiter, perMinuteFromInput, type RateDecision, type RateLimiter } from './rate-limit';

export const WEBHOOK_RATE_LIMIT_INPUT = 'WEBHOOK_RATE_LIMIT_PER_MINUTE';
/**
 * Per source address: Heartland sends one notification per change, so 600 a minute (10/s, bursts of
 * 100) is far above a real store and far below what it takes to exhaust Runtime's 100 concurrent
 * activations.
 */
export const DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE = 600;

const limiters = new Map<string, RateLimiter>();

export function webhookRateLimiter(entry: string, inputs: Record<string, string | undefined>): RateLimiter {
  const perMinute = perMinuteFromInput(inputs[WEBHOOK_RATE_LIMIT_INPUT], DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE);
  const id = `${entry}:${perMinute}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = createRateLimiter({ perMinute });
    limiters.set(id, limiter);
  }
  return limiter;
}

/** 429 with Retry-After for a refused request, undefined when it may proceed. */
export function rateLimitResponse(decision: RateDecision): ActionResponse | undefined {
  if (decision.allowed) return undefined;
  return jsonResponse(
    { error: { code: 'rate_limited', message: `too many requests from this source; retry after ${decision.retryAfterSeconds} s` } },
    429,
    { 'retry-after': String(decision.retryAfterSeconds) },
  );
}

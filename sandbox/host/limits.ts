/**
 * Abuse limits of the local host, standing in for what I/O Runtime's gateway enforces in front of
 * the actions: a per-source request rate on the public routes (web actions and OpenWhisk invokes)
 * and a cap on activations in flight (Runtime: 100 concurrent activations per namespace, then 429;
 * the local default is higher, see below).
 * Both answer 429 with Retry-After, never queue without bound. Sources are the peer address: the
 * host is the first hop, so it does not trust x-forwarded-for.
 */
import { createRateLimiter, type RateLimiter } from '../../lib/security/rate-limit';

export interface HostLimits {
  /** Requests per minute per source address (default 60,000: on a laptop every caller is 127.0.0.1 — panel, simulators, tests). */
  perSourcePerMinute?: number;
  /**
   * Activations running at once before new requests get 429 (default 500). Runtime's own limit is
   * 100 per namespace, but I/O Events paces its deliveries and the simulator does not, so a bulk
   * seed would otherwise be pushed into minute-long retries; tests that want Runtime's figure set it.
   */
  maxConcurrentActivations?: number;
}

export const HOST_RATE_LIMIT_ENV = 'HCC_HOST_RATE_LIMIT_PER_MINUTE';
export const HOST_MAX_CONCURRENT_ENV = 'HCC_HOST_MAX_CONCURRENT_ACTIVATIONS';

export interface HostGate {
  /** undefined when the request may proceed, else the Retry-After seconds of a 429. */
  admit(source: string): number | undefined;
  /** Marks one activation started; call the returned function when it ends. */
  enter(): (() => void) | undefined;
  inFlight(): number;
}

function positive(value: number | string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

export function limitsFromEnv(env: Record<string, string | undefined>, options: HostLimits = {}): Required<HostLimits> {
  return {
    perSourcePerMinute: positive(options.perSourcePerMinute ?? env[HOST_RATE_LIMIT_ENV], 60_000),
    maxConcurrentActivations: positive(options.maxConcurrentActivations ?? env[HOST_MAX_CONCURRENT_ENV], 500),
  };
}

export function createHostGate(limits: Required<HostLimits>): HostGate {
  const limiter: RateLimiter = createRateLimiter({ perMinute: limits.perSourcePerMinute });
  let running = 0;
  return {
    admit(source) {
      const decision = limiter.take(source);
      return decision.allowed ? undefined : decision.retryAfterSeconds;
    },
    enter() {
      if (running >= limits.maxConcurrentActivations) return undefined;
      running++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        running--;
      };
    },
    inFlight: () => running,
  };
}

/**
 * One circuit breaker per upstream, so an outage does not burn every unit's attempts: after
 * `threshold` consecutive retryable failures the breaker opens and units are scheduled for later
 * instead of tried. cockatiel keeps the breaker inside one container; Runtime containers are
 * short-lived and many run at once, so the open state is also written to `breaker.<upstream>`
 * (short TTL) where every other activation sees it before it tries.
 *
 * Only retryable failures count: a 400 for a bad email means the upstream is healthy.
 */
import { CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import type { Clock, Logger, StateStore } from '../platform/ports';
import { stateKey } from '../platform/state-key';
import { classifyError } from './classify';
import { CircuitOpenError } from './errors';
import type { Upstream } from './types';

export interface BreakerRecord {
  openedAt: number;
  openUntil: number;
  reason: string;
}

export interface CircuitBreakers {
  /** Epoch ms until which the upstream counts as down (here or elsewhere), or undefined. Refreshes the shared view. */
  openUntil(upstream: Upstream): Promise<number | undefined>;
  /** Runs one upstream call through the breaker (throws CircuitOpenError while open). */
  execute<T>(upstream: Upstream, call: () => Promise<T>): Promise<T>;
  /**
   * A client whose methods (at any depth) run through the breaker: a returned promise counts as a
   * success or failure. While the breaker is open every method throws CircuitOpenError before the
   * call is made (synchronously, so `await client.x()` inside try/catch sees it like a rejection).
   */
  wrap<C>(upstream: Upstream, client: C): C;
  /** Opens the breaker by hand and shares it (tests, operator "pause"). */
  trip(upstream: Upstream, reason: string): Promise<void>;
}

export interface CircuitBreakerOptions {
  state: StateStore;
  clock: Clock;
  logger?: Logger;
  threshold?: number;
  openMs?: number;
  /** How long a read of `breaker.<upstream>` is trusted before reading again. */
  sharedCacheMs?: number;
}

export function breakerKey(upstream: Upstream): string {
  return stateKey('breaker', upstream);
}

export function createCircuitBreakers(options: CircuitBreakerOptions): CircuitBreakers {
  const { state, clock } = options;
  const openMs = options.openMs ?? 60_000;
  const threshold = options.threshold ?? 5;
  const cacheMs = options.sharedCacheMs ?? 2_000;
  const policies = new Map<Upstream, CircuitBreakerPolicy>();
  const localOpenUntil = new Map<Upstream, number>();
  const shared = new Map<Upstream, { readAt: number; openUntil?: number }>();
  const wrappers = new WeakMap<object, unknown>();
  const reading = new Map<Upstream, Promise<void>>();

  async function share(upstream: Upstream, reason: string) {
    const record: BreakerRecord = { openedAt: clock.now(), openUntil: clock.now() + openMs, reason };
    localOpenUntil.set(upstream, record.openUntil);
    shared.set(upstream, { readAt: clock.now(), openUntil: record.openUntil });
    await state.put(breakerKey(upstream), record, { ttlSeconds: Math.ceil(openMs / 1000) + 1 });
  }

  function policyFor(upstream: Upstream): CircuitBreakerPolicy {
    let policy = policies.get(upstream);
    if (policy) return policy;
    policy = circuitBreaker(
      handleWhen((error) => {
        const info = classifyError(error);
        return info.retryable && info.reason !== 'circuit-open';
      }),
      { halfOpenAfter: openMs, breaker: new ConsecutiveBreaker(threshold) },
    );
    policy.onBreak((failure) => {
      const reason = 'error' in failure ? classifyError(failure.error).message : 'isolated';
      options.logger?.warn('circuit opened', { upstream, reason, openMs });
      share(upstream, reason).catch((error) => options.logger?.error('could not share open circuit', { upstream, error: String(error) }));
    });
    policy.onReset(() => {
      options.logger?.info('circuit closed', { upstream });
      localOpenUntil.delete(upstream);
      shared.delete(upstream);
      state.delete(breakerKey(upstream)).catch(() => undefined);
    });
    policies.set(upstream, policy);
    return policy;
  }

  /** Synchronous view (local breaker + last shared read) used before every wrapped call. */
  function knownOpenUntil(upstream: Upstream): number | undefined {
    const now = clock.now();
    const local = policyFor(upstream).state === CircuitState.Open ? localOpenUntil.get(upstream) : undefined;
    const remote = shared.get(upstream)?.openUntil;
    const until = Math.max(local ?? 0, remote ?? 0);
    return until > now ? until : undefined;
  }

  function guarded<T>(upstream: Upstream, started: () => T): T {
    const until = knownOpenUntil(upstream);
    if (until !== undefined) throw new CircuitOpenError(upstream, until);
    const result = started();
    if (result && typeof (result as { then?: unknown }).then === 'function') {
      return policyFor(upstream).execute(() => result as unknown as PromiseLike<unknown>) as T;
    }
    return result;
  }

  function wrapObject<C>(upstream: Upstream, target: C): C {
    if (target === null || typeof target !== 'object') return target;
    if (Array.isArray(target) || target instanceof Date || Buffer.isBuffer(target) || typeof (target as { then?: unknown }).then === 'function') return target;
    const existing = wrappers.get(target as object);
    if (existing) return existing as C;
    const proxy = new Proxy(target as object, {
      get(obj, prop) {
        // The real object as receiver, so getters and methods can use private fields.
        const value = Reflect.get(obj, prop, obj);
        if (typeof value === 'function') {
          return (...args: unknown[]) => guarded(upstream, () => (value as (...a: unknown[]) => unknown).apply(obj, args));
        }
        if (value && typeof value === 'object') return wrapObject(upstream, value);
        return value;
      },
    });
    wrappers.set(target as object, proxy);
    return proxy as C;
  }

  return {
    async openUntil(upstream) {
      const cached = shared.get(upstream);
      if (!cached || clock.now() - cached.readAt >= cacheMs) {
        // Units that start together share one read instead of each asking the state service.
        let read = reading.get(upstream);
        if (!read) {
          read = state
            .get<BreakerRecord>(breakerKey(upstream))
            .then((record) => void shared.set(upstream, { readAt: clock.now(), openUntil: record?.openUntil }))
            .finally(() => reading.delete(upstream));
          reading.set(upstream, read);
        }
        await read;
      }
      return knownOpenUntil(upstream);
    },
    async execute(upstream, call) {
      return guarded(upstream, call);
    },
    wrap(upstream, client) {
      return wrapObject(upstream, client);
    },
    async trip(upstream, reason) {
      await share(upstream, reason);
    },
  };
}

const perStateStore = new WeakMap<StateStore, CircuitBreakers>();

/**
 * The container's breakers for this state store, created on first use. Breaker state is about
 * the upstream, not the request, so sharing it across the activations a warm container serves is
 * the point (failures must accumulate); keying by store keeps tests and tenants apart.
 */
export function sharedCircuitBreakers(options: CircuitBreakerOptions): CircuitBreakers {
  let breakers = perStateStore.get(options.state);
  if (!breakers) {
    breakers = createCircuitBreakers(options);
    perStateStore.set(options.state, breakers);
  }
  return breakers;
}

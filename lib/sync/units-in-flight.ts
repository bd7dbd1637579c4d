/**
 * A cap on the units of work one container runs at once, across every activation it serves.
 *
 * Why: a burst of events (300 web orders in 15 s) arrives as 300 concurrent activations. The
 * upstream clients already queue their requests behind one shared rate limit per container, but
 * each unit also makes state-service calls, parses responses and holds sockets; with hundreds in
 * flight on a small container the event loop falls behind, requests time out, the timeouts open
 * the upstream's circuit breaker and every unit is postponed by a minute (BENCHMARKS.md,
 * order-latency). Waiting for a slot here costs nothing and keeps each running unit within its
 * timeouts, so a burst queues instead of failing.
 *
 * The gate is module state on purpose: a warm container's activations share the module, which
 * is what "per container" means on Runtime (and in the sandbox host, which loads each action
 * once). Waiting is FIFO (p-limit), so orders keep their arrival order.
 */
import pLimit, { type LimitFunction } from 'p-limit';

/** Never fewer than this: one unit waiting on a slow request must not stall the container. */
export const MIN_UNITS_IN_FLIGHT = 2;
/** Never more than this, whatever the rate limit (small containers: 256 MB, shared CPU). */
export const MAX_UNITS_IN_FLIGHT = 32;

/**
 * Units in flight that keep a per-second request limit busy without piling up behind it: a unit
 * makes several requests to the limited upstream (an order ~12 to Heartland) one after another,
 * so about a quarter of the per-second limit in units is enough to use the limit fully
 * (5 req/s → 2 units, 100 req/s → 25), and more only adds waiting inside the unit's timeouts.
 */
export function unitsInFlightFor(requestsPerSecond: number): number {
  if (!Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0) return MIN_UNITS_IN_FLIGHT;
  return Math.min(MAX_UNITS_IN_FLIGHT, Math.max(MIN_UNITS_IN_FLIGHT, Math.ceil(requestsPerSecond / 4)));
}

const gates = new Map<string, LimitFunction>();

/**
 * The container's gate called `name` with `size` slots, created on first use. A second call with
 * another size (settings changed between activations) resizes the same gate, so units already
 * waiting keep their place.
 */
export function containerUnitGate(name: string, size: number): LimitFunction {
  const slots = Math.max(1, Math.floor(size));
  let gate = gates.get(name);
  if (!gate) {
    gate = pLimit(slots);
    gates.set(name, gate);
  } else if (gate.concurrency !== slots) {
    gate.concurrency = slots;
  }
  return gate;
}

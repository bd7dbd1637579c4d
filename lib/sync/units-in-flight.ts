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

/**
 * Never fewer than this. Units do not only wait on the rate-limited upstream: an inventory window
 * sleeps until its coalescing window closes and may wait up to 15 s for the drain lease, a unit
 * waits on Magento and on the state service. With 2 slots (the old floor at 5 req/s) two such
 * waits stalled every other unit of the container: in the secrets-scan e2e an order placed first
 * was still waiting after 8 s. Eight in flight is still far from the hundreds that overran the
 * event loop, and the shared rate limiter keeps the upstream paced.
 */
export const MIN_UNITS_IN_FLIGHT = 8;
/** Never more than this, whatever the rate limit (small containers: 256 MB, shared CPU). */
export const MAX_UNITS_IN_FLIGHT = 32;

/**
 * Units in flight that keep a per-second request limit busy without piling up behind it: a unit
 * makes several requests to the limited upstream (an order ~12 to Heartland) one after another,
 * so about a quarter of the per-second limit in units is enough to use the limit fully
 * (100 req/s → 25; below 32 req/s the floor of 8 applies), and more only adds waiting inside the
 * unit's timeouts.
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

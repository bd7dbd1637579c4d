/**
 * The soak's fault plan: about 20% of API requests to each simulator fail the way real upstreams
 * do — 429 with Retry-After, 500, 503 with Retry-After, dropped connections, and answers slower
 * than the connector's request timeout (20 s, lib/platform/http.ts) — through the simulators'
 * /__sim/faults endpoints. Both simulators inject a fault before handling the request, so a
 * refused request changed nothing on their side.
 *
 * The slow answers are aimed at the connector's writes only (Heartland order creation, Magento
 * source items and shipments), which the workload never calls: they are the hard case — the
 * simulator still performs the write after the connector gave up waiting, so the retry must find
 * it instead of writing twice — and the workload is spared 21 s stalls.
 */
import type { SimApi } from '../demo/sim-http';

export interface FaultPlan {
  /** Total share of faulted requests (default 0.2). */
  rate: number;
  /** Requests that hang past the connector's timeout; costly in wall time, so quick runs cap them. */
  timeouts: { latencyMs: number; rate: number; count?: number };
  seed: number;
}

/** Shares of the total fault rate per kind (timeouts come on top, with their own small rate). */
const MIX = { tooMany: 0.35, serverError: 0.25, unavailable: 0.2, dropped: 0.2 };

/**
 * Rules are checked in order and each draws independently, so rule i gets the rate that makes its
 * unconditional share right: r_i = share_i / (1 − Σ earlier shares).
 */
function sequentialRates(total: number, shares: number[]): number[] {
  let taken = 0;
  return shares.map((s) => {
    const unconditional = total * s;
    const r = unconditional / (1 - taken);
    taken += unconditional;
    return Math.min(1, r);
  });
}

export async function injectFaults(heartland: SimApi, commerce: SimApi, plan: FaultPlan): Promise<void> {
  const [tooMany, serverError, unavailable, dropped] = sequentialRates(plan.rate, [MIX.tooMany, MIX.serverError, MIX.unavailable, MIX.dropped]);
  const timeoutRule = { rate: plan.timeouts.rate, ...(plan.timeouts.count ? { count: plan.timeouts.count } : {}) };
  await heartland.control('DELETE', 'faults');
  for (const rule of [
    { latencyMs: plan.timeouts.latencyMs, method: 'POST', path: '^/sales/orders', ...timeoutRule },
    { status: 429, retryAfter: 1, rate: tooMany },
    { status: 500, rate: serverError },
    { status: 503, retryAfter: 1, rate: unavailable },
    { drop: true, rate: dropped },
  ]) {
    await heartland.control('POST', 'faults', { ...rule, seed: plan.seed });
  }
  await commerce.control('DELETE', 'faults');
  const path = '/^\\/rest\\//';
  await commerce.control('POST', 'faults', [
    { path: '/^\\/rest\\/(default\\/)?V1\\/(inventory\\/source-items|order\\/\\d+\\/ship)/', method: 'POST', kind: 'latency', latencyMs: plan.timeouts.latencyMs, ...timeoutRule },
    { path, kind: 'status', status: 429, retryAfterSeconds: 1, rate: tooMany },
    { path, kind: 'status', status: 500, rate: serverError },
    { path, kind: 'status', status: 503, retryAfterSeconds: 1, rate: unavailable },
    { path, kind: 'drop', rate: dropped },
  ]);
}

export async function clearFaults(heartland: SimApi, commerce: SimApi): Promise<{ heartlandInjected: number; commerceApplied: number }> {
  const hl = await heartland.control<{ injected: number }>('GET', 'faults');
  const mc = await commerce.control<Array<{ applied?: number }> | { rules?: Array<{ applied?: number }> }>('GET', 'faults');
  const rules = Array.isArray(mc) ? mc : (mc.rules ?? []);
  await heartland.control('DELETE', 'faults');
  await commerce.control('DELETE', 'faults');
  return { heartlandInjected: hl.injected ?? 0, commerceApplied: rules.reduce((s, r) => s + (r.applied ?? 0), 0) };
}

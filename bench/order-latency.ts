/**
 * Benchmark `order-latency` (issue 13): web orders saved in the Commerce simulator at 20 orders/s,
 * events delivered at once → time until the Heartland order is `open`. p50/p95/p99, target
 * p99 < 2 s.
 *
 * Heartland allows a client 5 requests/s by default (the connector's configured limit) and one web
 * order costs several Heartland calls (customer, address, order, lines, payment, open...), so at
 * the configured limit the connector can open at most 5 ÷ calls-per-order orders per second: a
 * 20 orders/s stream builds a backlog that grows for as long as the stream lasts. Two runs, labelled:
 *
 * - `configured`: the sandbox as shipped (host → commerce-events action, 5 req/s). A 60 s stream
 *   would need far longer than the benchmark's 5 minutes to drain, so this run sends a one-second
 *   burst at 20 orders/s and reports the measured latencies, the throughput ceiling and the 60 s
 *   figures computed from it.
 * - `raised`: the commerce-events action with its `HEARTLAND_RATE_PER_SECOND` input raised
 *   (`BENCH_RAISED_RATE`, default 100 req/s, the input's maximum; ASSUMED: a merchant can obtain
 *   that limit from Heartland), hosted in this process (support/event-consumer.ts: the connector
 *   gets a core of its own instead of sharing the sandbox child's event loop with the
 *   simulators), for the full 20 orders/s × 60 s.
 *
 * The whole benchmark keeps to issue 13's five minutes (`BENCH_BUDGET_S`, default 255 s from its
 * start): the drain windows end at that budget, and orders not open by then are counted in the
 * percentiles with the time they had waited so far (a lower bound, flagged `lowerBound`), never
 * left out.
 *
 * Side by side, naive: a connector polling every 5 minutes. Its latency is computed, not run: the
 * wait for the next poll is uniform in [0, 300 s], plus the same processing time as ours
 * (its p50 processing, which flatters naive), so p50 ≈ 150 s, p95 ≈ 285 s, p99 ≈ 297 s.
 */
import { benchScale, distribution, emitResult, ratio, round, scaled, sleep } from './support/report';
import { settle, startSandboxChild, stopSandboxChild, useChildPlatform } from './support/sandbox-child';
import { orderFactory, placeOrder } from './support/orders';
import { heartlandCallsSince, openTimes } from './support/heartland-orders';

const startedAt = Date.now();
const ORDERS_PER_SECOND = 20;
const STREAM_SECONDS = scaled(60, 1);
/** One second's worth of orders at 20/s (fewer at a smaller scale). */
const CONFIGURED_BURST_ORDERS = scaled(20, 2);
const CONFIGURED_RATE = 5;
const RAISED_RATE = Number(process.env.BENCH_RAISED_RATE ?? 100);
const POLL_INTERVAL_S = 300;
/** Everything, sandbox start to result, within issue 13's 5 minutes (less at a smaller scale). */
const BUDGET_MS = Number(process.env.BENCH_BUDGET_S ?? Math.max(60, Math.round(255 * benchScale()))) * 1000;
const deadline = startedAt + BUDGET_MS;
/** Kept back at the end for the last reads, the result and stopping the sandbox. */
const CLOSING_MS = 10_000;
/** The configured run's drain leaves the raised run its stream plus at least this long to drain. */
const RAISED_DRAIN_MIN_MS = Math.max(10, Math.round(60 * benchScale())) * 1000;
const elapsedS = () => round((Date.now() - startedAt) / 1000, 1);

const child = await startSandboxChild({ items: 60, customers: 5 });
console.log(`sandbox ready after ${elapsedS()} s`);
try {
  useChildPlatform(child);
  const { commerceApi, heartlandApi } = await import('../sandbox/demo/sim-http');
  const { startEventConsumer } = await import('./support/event-consumer');
  const mc = commerceApi(child.commerceUrl, { token: child.env.COMMERCE_ACCESS_TOKEN });
  const hl = heartlandApi(child.heartlandUrl, { token: child.env.HEARTLAND_API_TOKEN });
  const factory = orderFactory(child.seed.items.map((i) => ({ sku: i.sku, price: i.price })), { runId: `lat${Date.now()}` });
  const hostTarget = ((await mc.control('GET', 'events/settings')) as { target: { url: string; authorization?: string } }).target;

  /**
   * Sends `total` orders at 20/s on a fixed schedule (not waiting for each answer), then waits
   * until they are open or `drainUntil` passes.
   */
  async function stream(label: string, firstN: number, total: number, drainUntil: () => number) {
    await settle(child, 1_500, Math.max(5_000, Math.min(60_000, deadline - Date.now() - 60_000)));
    const since = Date.now();
    const placedAt = new Map<string, number>();
    const sends: Promise<void>[] = [];
    const t0 = Date.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / ORDERS_PER_SECOND;
      if (due > Date.now()) await sleep(due - Date.now());
      const sentAt = Date.now();
      sends.push(placeOrder(mc, factory.entity(firstN + i)).then((o) => void placedAt.set(o.increment_id, sentAt)));
    }
    await Promise.all(sends);
    const sendS = (Date.now() - t0) / 1000;
    let opened = new Map<string, number>();
    const until = drainUntil();
    for (;;) {
      opened = await openTimes(hl, child.heartlandUrl, since);
      const done = [...placedAt.keys()].filter((n) => opened.has(n)).length;
      if (done === placedAt.size || Date.now() > until) break;
      console.log(`${label}: ${done}/${placedAt.size} open after ${elapsedS()} s`);
      await sleep(Math.min(2_000, Math.max(0, until - Date.now())));
    }
    const endedAt = Date.now();
    const openLatencies = [...placedAt].filter(([n]) => opened.has(n)).map(([n, at]) => opened.get(n)! - at);
    // Not open yet: they have waited at least this long; leaving them out would flatter p99.
    const waiting = [...placedAt].filter(([n]) => !opened.has(n)).map(([, at]) => endedAt - at);
    const lastOpen = Math.max(...[...placedAt.keys()].map((n) => opened.get(n) ?? 0));
    const calls = await heartlandCallsSince(child.heartlandUrl, since);
    const openedCount = openLatencies.length;
    const latency = distribution([...openLatencies, ...waiting]);
    return {
      orders: total,
      opened: openedCount,
      notOpenInTime: waiting.length,
      sendS: round(sendS, 1),
      drainS: round((endedAt - t0) / 1000 - sendS, 1),
      latencyMs: { ...latency, lowerBound: waiting.length > 0 },
      latencyOfOpenedMs: distribution(openLatencies),
      heartlandCallsPerOrder: round(calls.total / Math.max(1, openedCount), 2),
      achievedOrdersPerSecond: round(openedCount / Math.max(0.001, ((waiting.length > 0 ? endedAt : lastOpen) - t0) / 1000), 2),
      callsByEndpoint: calls.byEndpoint,
    };
  }

  // --- configured: through the host at the shipped 5 req/s -------------------------------------
  const configured = await stream('configured', 0, CONFIGURED_BURST_ORDERS, () => Math.min(Date.now() + 120_000, deadline - CLOSING_MS - STREAM_SECONDS * 1000 - RAISED_DRAIN_MIN_MS));
  console.log(`configured run done after ${elapsedS()} s`);
  const ceiling = CONFIGURED_RATE / configured.heartlandCallsPerOrder;
  // A 60 s stream at 20/s with a ceiling of `ceiling` orders/s: the last order waits for the whole backlog.
  const projectedLastS = (60 * ORDERS_PER_SECOND) / ceiling - 60;

  // --- raised: the action with HEARTLAND_RATE_PER_SECOND raised, in this process ------------------
  const consumer = await startEventConsumer(child.env, { HEARTLAND_RATE_PER_SECOND: String(RAISED_RATE) });
  await mc.control('PUT', 'events/settings', { target: { url: consumer.url } });
  let raised;
  try {
    raised = await stream('raised', 100_000, STREAM_SECONDS * ORDERS_PER_SECOND, () => deadline - CLOSING_MS);
  } finally {
    await mc.control('PUT', 'events/settings', { target: hostTarget });
    await consumer.close();
  }
  console.log(`raised run done after ${elapsedS()} s`);
  const raisedLimiterCeiling = RAISED_RATE / raised.heartlandCallsPerOrder;
  const raisedBacklogLastS = (STREAM_SECONDS * ORDERS_PER_SECOND) / Math.max(0.001, raised.achievedOrdersPerSecond) - STREAM_SECONDS;

  const naiveAt = (p: number, processingMs: number) => (p / 100) * POLL_INTERVAL_S * 1000 + processingMs;
  const processing = raised.latencyOfOpenedMs.p50;
  const naive = { p50: naiveAt(50, processing), p95: naiveAt(95, processing), p99: naiveAt(99, processing) };
  emitResult({
    ordersPerSecond: ORDERS_PER_SECOND,
    budgetS: BUDGET_MS / 1000,
    configured: {
      label: `sandbox host, Heartland client limit ${CONFIGURED_RATE} req/s; burst of ${CONFIGURED_BURST_ORDERS} orders at 20 orders/s (a 60 s stream cannot drain in the time budget)`,
      ...configured,
      throughputCeilingOrdersPerSecond: round(ceiling, 2),
      projected60sStream: { lastOrderLatencyS: Math.round(projectedLastS), note: 'computed: 1,200 orders ÷ ceiling − 60 s; latency grows linearly through the stream' },
      met: configured.latencyMs.p99 < 2_000 && configured.opened === configured.orders,
    },
    raised: {
      label: `commerce-events action in the benchmark process with HEARTLAND_RATE_PER_SECOND=${RAISED_RATE}; ${STREAM_SECONDS} s at 20 orders/s`,
      ...raised,
      activationFailures: consumer.failures,
      limiterCeilingOrdersPerSecond: round(raisedLimiterCeiling, 2),
      projectedLastOrderLatencyS: Math.round(raisedBacklogLastS),
      note: 'limiterCeiling = rate ÷ Heartland calls per order; achieved below it means CPU (shared machine) was the bound; projectedLastOrderLatencyS = stream orders ÷ achieved rate − stream seconds',
      met: raised.latencyMs.p99 < 2_000 && raised.opened === raised.orders,
    },
    target: 'p99 < 2000 ms',
    naive: { label: 'computed: fixed 5-minute polling, uniform wait + our p50 processing', latencyMs: naive },
    naiveOverOurs: { p50: ratio(naive.p50, raised.latencyMs.p50, 0), p95: ratio(naive.p95, raised.latencyMs.p95, 0), p99: ratio(naive.p99, raised.latencyMs.p99, 0) },
  });
} finally {
  await stopSandboxChild(child);
}
// Units of the raised run still queued in this process would keep it alive (and calling a stopped
// sandbox) for minutes; the figures are out, so end here.
console.log(`finished after ${elapsedS()} s`);
process.exit(0);

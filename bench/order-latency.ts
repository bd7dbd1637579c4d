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
 *   would need ~30 min to drain, so this run sends a shorter burst at 20 orders/s and reports the
 *   measured latencies plus the throughput ceiling and the 60 s figures computed from it.
 * - `raised`: the same code path in this process (support/event-consumer.ts) with the Heartland
 *   client limit raised (`BENCH_RAISED_RATE`, default 100 req/s; ASSUMED: a merchant can obtain a
 *   higher limit from Heartland, or our calls share a limit with no other integration), for the
 *   full 20 orders/s × 60 s.
 *
 * Side by side, naive: a connector polling every 5 minutes. Its latency is computed, not run: the
 * wait for the next poll is uniform in [0, 300 s], plus the same processing time as ours
 * (its p50 processing, which flatters naive), so p50 ≈ 150 s, p95 ≈ 285 s, p99 ≈ 297 s.
 */
import { distribution, emitResult, ratio, round, scaled, sleep } from './support/report';
import { settle, startSandboxChild, stopSandboxChild, useChildPlatform } from './support/sandbox-child';
import { orderFactory, placeOrder } from './support/orders';
import { heartlandCallsSince, openTimes } from './support/heartland-orders';

const ORDERS_PER_SECOND = 20;
const STREAM_SECONDS = scaled(60, 1);
/** One second's worth of orders at 20/s (fewer at a smaller scale). */
const CONFIGURED_BURST_ORDERS = scaled(20, 2);
const RAISED_RATE = Number(process.env.BENCH_RAISED_RATE ?? 100);
const POLL_INTERVAL_S = 300;

const child = await startSandboxChild({ items: 60, customers: 5 });
try {
  useChildPlatform(child);
  const { commerceApi, heartlandApi } = await import('../sandbox/demo/sim-http');
  const { startEventConsumer } = await import('./support/event-consumer');
  const mc = commerceApi(child.commerceUrl, { token: child.env.COMMERCE_ACCESS_TOKEN });
  const hl = heartlandApi(child.heartlandUrl, { token: child.env.HEARTLAND_API_TOKEN });
  const factory = orderFactory(child.seed.items.map((i) => ({ sku: i.sku, price: i.price })), { runId: `lat${Date.now()}` });
  const hostTarget = ((await mc.control('GET', 'events/settings')) as { target: { url: string; authorization?: string } }).target;

  /** Sends `total` orders at 20/s on a fixed schedule (not waiting for each answer), then waits until they are open. */
  async function stream(label: string, firstN: number, total: number, drainTimeoutMs: number) {
    await settle(child);
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
    const deadline = Date.now() + drainTimeoutMs;
    for (;;) {
      opened = await openTimes(hl, child.heartlandUrl, since);
      const done = [...placedAt.keys()].filter((n) => opened.has(n)).length;
      if (done === placedAt.size || Date.now() > deadline) break;
      console.log(`${label}: ${done}/${placedAt.size} open`);
      await sleep(2_000);
    }
    const latencies = [...placedAt].filter(([n]) => opened.has(n)).map(([n, at]) => opened.get(n)! - at);
    const lastOpen = Math.max(...[...placedAt.keys()].map((n) => opened.get(n) ?? 0));
    const calls = await heartlandCallsSince(child.heartlandUrl, since);
    const openedCount = latencies.length;
    return {
      orders: total,
      opened: openedCount,
      sendS: round(sendS, 1),
      latencyMs: distribution(latencies),
      heartlandCallsPerOrder: round(calls.total / Math.max(1, openedCount), 2),
      achievedOrdersPerSecond: round(openedCount / Math.max(0.001, (lastOpen - t0) / 1000), 2),
      callsByEndpoint: calls.byEndpoint,
    };
  }

  // --- configured: through the host at the shipped 5 req/s -------------------------------------
  const configured = await stream('configured', 0, CONFIGURED_BURST_ORDERS, 120_000);
  const ceiling = 5 / configured.heartlandCallsPerOrder;
  // A 60 s stream at 20/s with a ceiling of `ceiling` orders/s: the last order waits for the whole backlog.
  const projectedLastS = (60 * ORDERS_PER_SECOND) / ceiling - 60;

  // --- raised: same code path, Heartland client limit raised ------------------------------------
  const consumer = await startEventConsumer(child.env, { heartlandRatePerSecond: RAISED_RATE });
  await mc.control('PUT', 'events/settings', { target: { url: consumer.url } });
  let raised;
  try {
    raised = await stream('raised', 100_000, STREAM_SECONDS * ORDERS_PER_SECOND, 90_000);
  } finally {
    await mc.control('PUT', 'events/settings', { target: hostTarget });
    await consumer.close();
  }

  const naiveAt = (p: number, processingMs: number) => (p / 100) * POLL_INTERVAL_S * 1000 + processingMs;
  const naive = { p50: naiveAt(50, raised.latencyMs.p50), p95: naiveAt(95, raised.latencyMs.p50), p99: naiveAt(99, raised.latencyMs.p50) };
  emitResult({
    ordersPerSecond: ORDERS_PER_SECOND,
    configured: {
      label: `sandbox host, Heartland client limit 5 req/s; burst of ${CONFIGURED_BURST_ORDERS} orders at 20 orders/s (a 60 s stream cannot drain in the time budget)`,
      ...configured,
      throughputCeilingOrdersPerSecond: round(ceiling, 2),
      projected60sStream: { lastOrderLatencyS: Math.round(projectedLastS), note: 'computed: 1,200 orders ÷ ceiling − 60 s; latency grows linearly through the stream' },
      met: configured.latencyMs.p99 < 2_000 && configured.opened === configured.orders,
    },
    raised: {
      label: `same code path in the benchmark process, Heartland client limit ${RAISED_RATE} req/s; ${STREAM_SECONDS} s at 20 orders/s`,
      ...raised,
      met: raised.latencyMs.p99 < 2_000 && raised.opened === raised.orders,
    },
    target: 'p99 < 2000 ms',
    naive: { label: 'computed: fixed 5-minute polling, uniform wait + our p50 processing', latencyMs: naive },
    naiveOverOurs: { p50: ratio(naive.p50, raised.latencyMs.p50, 0), p95: ratio(naive.p95, raised.latencyMs.p95, 0), p99: ratio(naive.p99, raised.latencyMs.p99, 0) },
  });
} finally {
  await stopSandboxChild(child);
}

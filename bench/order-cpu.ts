/**
 * Benchmark `order-cpu` (issue 13). Two figures, on the same orders:
 *
 * 1. Mapping throughput on one core, no I/O: Magento order (as the Commerce simulator returns it)
 *    → orderFromMagento (zod parse + canonical order) → orderToHeartlandRequests → every planned
 *    body validated with the Heartland payload schema the order flow sends it through. Target
 *    ≥ 2,000 orders/s.
 * 2. CPU per order end to end: the real order flow (runRegisteredUnits, state service, both
 *    clients) against the simulators with no injected latency. The sandbox runs in a child process
 *    so process.cpuUsage() here counts the connector only (HTTP client, state client, mapping,
 *    pipeline bookkeeping), not the simulators. Heartland's client rate limit is raised to 1,000/s
 *    so the limiter's waiting does not stretch the batch (waiting costs no CPU either way).
 *    Target < 5 ms CPU per order.
 *
 * Side by side: a naive connector does the same mapping work per order, so figure 1 has no naive
 * counterpart; its extra cost is API calls (see api-efficiency), not CPU in the mapper.
 */
import { benchScale, emitResult, round, scaled } from './support/report';
import { settle, startSandboxChild, stopSandboxChild, useChildPlatform } from './support/sandbox-child';
import { orderFactory, placeOrder } from './support/orders';

const MAPPING_SECONDS = 5 * benchScale();
const PIPELINE_ORDERS = scaled(200, 5);
const WARMUP_ORDERS = scaled(20, 2);

const child = await startSandboxChild({ items: 60, customers: 5 });
try {
  useChildPlatform(child);
  const { commerceApi } = await import('../sandbox/demo/sim-http');
  const { orderFromMagento, lookupFrom } = await import('../lib/commerce/mappers');
  const { orderToHeartlandRequests } = await import('../lib/heartland/mappers');
  const HP = await import('../lib/heartland/payloads');
  const { DEFAULT_VALUE_MAPS, VALUE_MAP_NAMES } = await import('../lib/mapping/defaults/value-maps');
  const { createConnector } = await import('../lib/connector');
  const { runRegisteredUnits } = await import('../lib/sync');

  const mc = commerceApi(child.commerceUrl, { token: child.env.COMMERCE_ACCESS_TOKEN });
  // The connector below runs the units itself: the host must not also receive the order events.
  await mc.control('PUT', 'events/settings', { target: null });
  const factory = orderFactory(child.seed.items.map((i) => ({ sku: i.sku, price: i.price })), { runId: `cpu${Date.now()}` });

  // --- 1. mapping throughput ------------------------------------------------------------------
  const sample = [];
  for (let n = 0; n < 50; n++) {
    const placed = await placeOrder(mc, factory.entity(n));
    sample.push(await mc.request('GET', `orders/${placed.entity_id}`));
  }
  const map = (name: string) => lookupFrom(DEFAULT_VALUE_MAPS[name]!.entries, DEFAULT_VALUE_MAPS[name]!.default);
  const itemIds = new Map(child.seed.items.map((i) => [i.sku, i.id]));
  const ctx = {
    paymentTypeFor: lookupFrom(Object.fromEntries(Object.entries(child.seed.paymentMethods).map(([code, name]) => [code, child.seed.paymentTypeIds[name]!]))),
    shippingMethodFor: lookupFrom(Object.fromEntries(Object.entries(child.seed.shippingMethods).map(([code, name]) => [code, child.seed.shippingMethodIds[name]!]))),
    statusFor: map(VALUE_MAP_NAMES.orderStatusToHeartland),
    stationId: child.seed.stationId,
    sourceLocationId: child.seed.sourceLocationId,
    customerId: 100123,
    billingAddressId: 100456,
    shippingAddressId: 100457,
    orderId: 900001,
    itemIdFor: (sku: string) => itemIds.get(sku),
  };
  const statusMap = map(VALUE_MAP_NAMES.orderStatusFromCommerce);
  const schemaFor = (method: string, path: string) =>
    method === 'PUT' ? HP.SalesOrderUpdate
    : path.endsWith('/lines') ? HP.SalesOrderLineCreate
    : path.endsWith('/taxes') ? HP.SalesOrderTaxCreate
    : path.endsWith('/discounts') ? HP.SalesOrderDiscountCreate
    : path.endsWith('/payments') ? HP.PaymentCreate
    : path === '/sales/orders' ? HP.SalesOrderCreate
    : undefined;
  const mapOne = (raw: unknown) => {
    const canonical = orderFromMagento(raw, { statusMap });
    if (!canonical.ok) throw new Error(`sample order did not map: ${JSON.stringify(canonical.issues)}`);
    const plan = orderToHeartlandRequests(canonical.value, ctx);
    for (const r of plan) {
      const schema = schemaFor(r.method, r.path);
      if (!schema) throw new Error(`no payload schema for ${r.method} ${r.path}`);
      schema.parse(r.body);
    }
    return plan.length;
  };
  for (let i = 0; i < 2_000; i++) mapOne(sample[i % sample.length]); // JIT warm-up
  let mapped = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < MAPPING_SECONDS * 1000) {
    for (let i = 0; i < 100; i++) mapOne(sample[(mapped + i) % sample.length]);
    mapped += 100;
  }
  const mapWallS = (performance.now() - t0) / 1000;
  const mapCpu = process.cpuUsage(cpu0);
  const mapCpuS = (mapCpu.user + mapCpu.system) / 1e6;
  const ordersPerCpuSecond = mapped / mapCpuS;

  // --- 2. CPU per order through the pipeline ----------------------------------------------------
  // State-service round trips per order, counted on the way through (each is an HTTP request with
  // its own CPU cost; BENCHMARKS.md breaks the CPU per order down with them).
  const { createPlatform } = await import('../lib/platform/platform');
  const platform = createPlatform(process.env);
  const stateCalls = { count: 0 };
  const counted = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A): R => (stateCalls.count++, fn(...args));
  const state = platform.state;
  const countingState = { get: counted(state.get.bind(state)), put: counted(state.put.bind(state)), delete: counted(state.delete.bind(state)), list: counted(state.list.bind(state)) } as typeof state;
  const connector = createConnector({ inputs: child.env, platform: { ...platform, state: countingState }, tuning: { heartlandRatePerSecond: 1_000, commerceRatePerSecond: 1_000 } });
  const place = async (from: number, count: number) => {
    const ids: number[] = [];
    for (let n = from; n < from + count; n++) ids.push((await placeOrder(mc, factory.entity(n))).entity_id);
    return ids;
  };
  const runBatch = (ids: number[]) => runRegisteredUnits(ids.map((id) => ({ flow: 'order', key: String(id), trigger: 'event' as const })), connector.deps);
  await settle(child);
  const warm = await runBatch(await place(1_000, WARMUP_ORDERS));
  const batchIds = await place(2_000, PIPELINE_ORDERS);
  const stateCalls0 = stateCalls.count;
  const cpu1 = process.cpuUsage();
  const t1 = performance.now();
  const outcomes = await runBatch(batchIds);
  const pipeWallS = (performance.now() - t1) / 1000;
  const pipeCpu = process.cpuUsage(cpu1);
  const done = outcomes.filter((o) => o.outcome === 'done').length;
  if (done !== batchIds.length) {
    const other = outcomes.find((o) => o.outcome !== 'done');
    throw new Error(`${batchIds.length - done} of ${batchIds.length} orders did not sync (e.g. ${JSON.stringify(other)}); warm-up outcomes: ${warm.map((o) => o.outcome).join(',')}`);
  }
  const cpuMsPerOrder = (pipeCpu.user + pipeCpu.system) / 1000 / done;

  emitResult({
    mapping: {
      orders: mapped,
      wallS: round(mapWallS),
      ordersPerCpuSecond: Math.round(ordersPerCpuSecond),
      requestsPlannedPerOrder: round(sample.reduce((s, o) => s + mapOne(o), 0) / sample.length, 1),
      target: '>= 2000 orders/s on one core',
      met: ordersPerCpuSecond >= 2_000,
    },
    pipeline: {
      orders: done,
      wallS: round(pipeWallS),
      cpuMsPerOrder: round(cpuMsPerOrder),
      userMsPerOrder: round(pipeCpu.user / 1000 / done),
      systemMsPerOrder: round(pipeCpu.system / 1000 / done),
      stateCallsPerOrder: round((stateCalls.count - stateCalls0) / done, 1),
      concurrency: 4,
      target: '< 5 ms CPU per order',
      met: cpuMsPerOrder < 5,
    },
    naive: { note: 'same mapping work per order; a naive connector costs API calls, not mapper CPU (see api-efficiency)' },
  });
} finally {
  await stopSandboxChild(child);
}

/**
 * Acceptance (issue 12): "ordinary demo traffic for 10 minutes raises none", with the sandbox's
 * own demo traffic rather than hand-made data. The Heartland and Commerce simulators run with the
 * demo seed (sandbox/demo/seed.ts, its default catalog and customers); the demo generator
 * (sandbox/demo/workload.ts with traffic.ts's action mix `chooseAction`) runs as many ticks as
 * `npm start` runs in ten minutes (6 business events a minute), back to back. Time is simulated:
 * tick n happens at start + n × 10 s, and the Commerce simulator's clock follows it, so Magento's
 * `created_at` are ten minutes' worth apart, and the detectors judge event timestamps.
 *
 * Every detector the connector runs on these events sees them, as the connector would:
 * - each web order, read back from Magento and mapped to the canonical order by the order flow's
 *   mapping, is scored by the fraud check against the orders before it (lib/flows/orders/fraud-hold.ts);
 * - after each tick, the Heartland stock of every item at every location (mapped to its MSI source)
 *   goes through the wipe guard per source against the previous tick's, as a stock batch would;
 * - the series: order totals, order rate per 15 s, units moved per stock batch;
 * - the Heartland prices before and after, through the price-change check.
 * Expected: no fraud flag or hold, no held batch, no anomalous value.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeartlandSimulator, type HeartlandSimulator } from '../../sandbox/heartland/server';
import { startCommerceSimulator, type CommerceSimulator } from '../../sandbox/commerce/server';
import { seedDemo, type DemoSeed } from '../../sandbox/demo/seed';
import { chooseAction, runDemoAction } from '../../sandbox/demo/traffic';
import { createWorkload } from '../../sandbox/demo/workload';
import { seededRandom } from '../../sandbox/demo/random';
import { commerceApi, heartlandAll, heartlandApi, type SimApi } from '../../sandbox/demo/sim-http';
import { createMemoryStateStore } from '../../lib/platform/memory';
import { systemClock } from '../../lib/platform/ports';
import { DEFAULT_CONNECTOR_SETTINGS } from '../../lib/config/connector-settings';
import { createMappingRepository, mapEntity } from '../../lib/mapping';
import type { Order } from '../../lib/model/order';
import { countPerBucket, evaluatePriceChanges, evaluateStockBatch, scanSeries, stockKey } from '../../lib/insights/anomaly';
import { fraudHistoryFor, pastOrderOf, scoreOrder, type PastOrder } from '../../lib/insights/fraud';

const MINUTES = 10;
/** sandbox/demo/traffic.ts's default `ratePerMinute` (what `npm start` runs). */
const DEMO_RATE_PER_MINUTE = 6;
const TICK_MS = 60_000 / DEMO_RATE_PER_MINUTE;
const START = Date.parse('2026-03-02T14:00:00Z');

let heartlandSim: HeartlandSimulator;
let commerceSim: CommerceSimulator;
let hook: Server;
let seed: DemoSeed;
let hl: SimApi;
let mc: SimApi;
let simulatedNow = START;

beforeAll(async () => {
  heartlandSim = await startHeartlandSimulator({ port: 0, host: '127.0.0.1', notify: { enabled: false } });
  commerceSim = await startCommerceSimulator({ port: 0, host: '127.0.0.1', bulkDelayMs: 1, now: () => simulatedNow });
  // The seed registers the connector's webhook URLs; nothing is delivered (notifications are off), but they must be URLs.
  hook = createServer((_req, res) => res.writeHead(204).end());
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const env = { HEARTLAND_API_TOKEN: 'sandbox-heartland-token', COMMERCE_ACCESS_TOKEN: 'sandbox-commerce-token', HEARTLAND_WEBHOOK_SECRET: 'demo-traffic-test' };
  const target = { env, heartland: heartlandSim, commerce: commerceSim, host: { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}` }, state: { url: 'http://127.0.0.1:1/unused' } };
  // Default catalog and customers: what `npm start` seeds.
  seed = await seedDemo(target as Parameters<typeof seedDemo>[0], { state: createMemoryStateStore(systemClock) });
  hl = heartlandApi(heartlandSim.url, { token: env.HEARTLAND_API_TOKEN });
  mc = commerceApi(commerceSim.url, { token: env.COMMERCE_ACCESS_TOKEN });
}, 20_000);

afterAll(async () => {
  await heartlandSim?.close();
  await commerceSim?.close();
  await new Promise<void>((resolve) => (hook ? hook.close(() => resolve()) : resolve()));
});

/** Heartland availability per MSI source: what the inventory flow would push, per source. */
async function stockBySource(): Promise<Map<string, Map<string, number>>> {
  const skuById = new Map(seed.items.map((i) => [i.id, i.sku]));
  const sourceByLocation = new Map(seed.locations.map((l, i) => [l.id, seed.sourceCodes[i]!]));
  const rows = await heartlandAll<{ item_id: number; location_id: number; qty_available: number }>(hl, 'inventory/values', { 'group[]': ['item_id', 'location_id'] });
  const out = new Map<string, Map<string, number>>(seed.sourceCodes.map((s) => [s, new Map()]));
  for (const row of rows) {
    const sku = skuById.get(row.item_id);
    const source = sourceByLocation.get(row.location_id);
    if (!sku || !source) continue;
    out.get(source)!.set(stockKey(sku, source), Number(row.qty_available));
  }
  return out;
}

const prices = async () => new Map((await heartlandAll<{ public_id: string; price: number }>(hl, 'items')).map((i) => [i.public_id, Number(i.price)]));

describe('ten minutes of the sandbox demo traffic', () => {
  it.each([[7], [2026]])('raise no anomaly, no fraud flag and no held batch (traffic seed %i)', async (trafficSeed) => {
    const random = seededRandom(trafficSeed);
    const workload = createWorkload({ heartland: hl, commerce: mc, seed, random });
    const document = await createMappingRepository(createMemoryStateStore(systemClock)).effective();
    const fraudSettings = DEFAULT_CONNECTOR_SETTINGS.fraud;
    const findings: string[] = [];
    const past: PastOrder[] = [];
    const orderTimes: number[] = [];
    const stockDeltas: number[] = [];
    const pricesBefore = await prices();
    let stock = await stockBySource();
    const start = simulatedNow;
    let scored = 0;

    for (let n = 0; n < MINUTES * DEMO_RATE_PER_MINUTE; n++) {
      simulatedNow = start + n * TICK_MS;
      const ordersBefore = workload.ledger.webOrders.length;
      await runDemoAction(workload, chooseAction(random.next()), random);

      for (const placed of workload.ledger.webOrders.slice(ordersBefore)) {
        const magento = await mc.request('GET', `orders/${placed.entityId}`);
        const mapped = mapEntity({ entity: 'order', from: 'commerce', to: 'canonical', input: magento, document });
        if (mapped.status !== 'mapped') throw new Error(`demo order ${placed.incrementId} did not map: ${JSON.stringify(mapped).slice(0, 300)}`);
        const order = mapped.output as Order;
        // The order carries the simulated time (Magento's created_at follows the simulated clock).
        expect(Math.abs(Date.parse(order.placedAt) - simulatedNow)).toBeLessThan(1_000);
        const history = fraudHistoryFor(order, past, { windowMinutes: fraudSettings.windowMinutes });
        const verdict = scoreOrder(order, history, { holdAtScore: fraudSettings.holdAtScore, flagAtScore: fraudSettings.flagAtScore, maxOrdersInWindow: fraudSettings.maxOrdersInWindow });
        if (verdict.flagged) findings.push(`fraud ${verdict.hold ? 'hold' : 'flag'} on ${placed.incrementId} (score ${verdict.score}): ${verdict.reasons.map((r) => r.detail).join('; ')}`);
        past.push(pastOrderOf(order));
        orderTimes.push(Date.parse(order.placedAt));
        scored++;
      }

      // The stock batch this tick caused, per source, through the wipe guard (settings' thresholds).
      const next = await stockBySource();
      let moved = 0;
      for (const [source, quantities] of next) {
        const previous = stock.get(source) ?? new Map<string, number>();
        const changed = new Map([...quantities].filter(([k, v]) => previous.get(k) !== v));
        if (changed.size === 0) continue;
        const verdict = evaluateStockBatch({ previous, next: changed, thresholds: DEFAULT_CONNECTOR_SETTINGS.wipeGuard });
        if (verdict.hold) findings.push(`stock batch at tick ${n} held: ${verdict.reasons.join('; ')}`);
        for (const [k, v] of changed) moved += v - (previous.get(k) ?? 0);
      }
      stockDeltas.push(moved);
      stock = next;
    }

    const totals = past.map((p) => p.total);
    for (const f of scanSeries('order_total', totals)) findings.push(`order_total #${f.index}: ${f.verdict.explanation}`);
    const rate = countPerBucket(orderTimes, start, start + MINUTES * 60_000, 15_000);
    for (const f of scanSeries('order_rate', rate)) findings.push(`order_rate bucket ${f.index}: ${f.verdict.explanation}`);
    for (const f of scanSeries('stock_delta', stockDeltas)) findings.push(`stock_delta tick ${f.index}: ${f.verdict.explanation}`);
    const pricesAfter = await prices();
    for (const f of evaluatePriceChanges([...pricesAfter].map(([sku, next]) => ({ sku, previous: pricesBefore.get(sku) ?? next, next })), { maxChangeShare: DEFAULT_CONNECTOR_SETTINGS.anomalies.maxPriceChangeShare })) findings.push(f.reason);

    // The run was the real mix: web orders, POS sales, stock movements, over ten simulated minutes.
    const ledger = workload.ledger;
    expect(scored).toBe(ledger.webOrders.length);
    expect(ledger.webOrders.length).toBeGreaterThanOrEqual(10);
    expect(ledger.posTickets + ledger.adjustmentSets).toBeGreaterThanOrEqual(5);
    expect(stockDeltas.filter((d) => d !== 0).length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...orderTimes) - Math.min(...orderTimes)).toBeGreaterThan(5 * 60_000);
    expect(findings).toEqual([]);
  }, 20_000);
});

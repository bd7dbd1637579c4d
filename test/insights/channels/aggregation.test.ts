/**
 * Channel insights aggregation: cents-exact sums, whole-day recomputation (a redelivered or re-read
 * record is never counted twice), and reconciliation with the simulators' own records: the web
 * total of a day equals Magento's invoiced minus refunded, the store total Heartland's tickets minus
 * returns, to the cent.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommerceClient } from '../../../lib/commerce/client';
import { magentoTimestamp, searchCriteria } from '../../../lib/commerce/search-criteria';
import { pollChannelInsights } from '../../../lib/flows/channel-insights';
import { createHeartlandClient, type HeartlandClient } from '../../../lib/heartland/client';
import { insightsResponse } from '../../../lib/admin/contract';
import {
  aggregateDay,
  channelInsightsFromAggregates,
  isStale,
  keptDays,
  KEPT_DAYS,
  listDirtyDays,
  markDayDirty,
  missingKeptDays,
  readDayAggregate,
  refreshDay,
  type DayAggregate,
  type InsightDeps,
} from '../../../lib/insights/channels';
import { createMemoryFileStore, createMemoryLogger, createMemoryStateStore } from '../../../lib/platform/memory';
import { systemClock, type Platform } from '../../../lib/platform/ports';
import type { TaskContext } from '../../../lib/sync';
import { createConnector } from '../../../lib/connector';
import { recordDeadLetter } from '../../../lib/sync/dead-letters';
import { takeStockSnapshot } from '../../../lib/insights/channels';
import { startCommerceSimulator, type CommerceSimulator } from '../../../sandbox/commerce/server';
import { startHeartlandSimulator, type HeartlandSimulator } from '../../../sandbox/heartland/server';

const DAY = '2026-03-10';
const at = (time: string) => `${DAY} ${time}`;

describe('aggregateDay (pure)', () => {
  it('sums money in cents: 19.99 × 3 + 0.10 + 0.20 − 5.05 is exactly 55.22; canceled invoices and orders do not count', () => {
    const agg = aggregateDay(
      DAY,
      {
        invoices: [19.99, 19.99, 19.99, 0.1, 0.2].map((g, i) => ({ entity_id: i + 1, order_id: i + 1, grand_total: g, created_at: at('10:00:00') })).concat([{ entity_id: 9, order_id: 9, grand_total: 100, state: 3, created_at: at('11:00:00') } as any]),
        creditMemos: [{ entity_id: 1, order_id: 1, grand_total: 5.05, created_at: at('12:00:00') }],
        orders: [
          { entity_id: 1, increment_id: '1', customer_email: 'a@example.com', grand_total: 19.99, customer_id: 7, items: [{ sku: 'A', qty_ordered: 2, row_total: 18, discount_amount: 1 }, { sku: 'A-child', qty_ordered: 2, parent_item_id: 1, row_total: 0 }] },
          { entity_id: 2, increment_id: '2', customer_email: 'b@example.com', grand_total: 50, state: 'canceled', items: [{ sku: 'B', qty_ordered: 5, row_total: 50 }] },
        ] as any,
        tickets: [
          { id: 1, type: 'Ticket', status: 'complete', total: 10.01, source_location_id: 5, customer_id: 3, lines: [{ item_id: 11, qty: 2, unit_price: 4.5 }, { type: 'TaxLine', value: 1.01 }] },
          { id: 2, type: 'Ticket', status: 'complete', total: 0.02, source_location_id: 6, lines: [{ item_id: 12, qty: 1, unit_price: 0.02 }] },
        ] as any,
        returns: [{ id: 3, type: 'Return', status: 'complete', total: -4.87, source_location_id: 5, customer_id: 3, lines: [{ item_id: 11, qty: -1, unit_price: 4.5 }] }] as any,
      },
      1,
    );
    expect(agg.web).toMatchObject({ grossCents: 6027, refundCents: 505, netCents: 5522, orders: 1, units: 2 });
    expect(agg.web.skus).toEqual({ A: [2, 1700] });
    expect(agg.web.customers).toEqual({ '7': 1999 });
    expect(agg.store).toMatchObject({ grossCents: 1003, refundCents: 487, netCents: 516, orders: 2, units: 2, unitsByLocation: { '5': 1, '6': 1 } });
    expect(agg.store.skus['11']).toEqual([1, 450]);
    expect(agg.store.customers).toEqual({ '3': 514 });
  });

  it('property: net cents are the exact integer sum of the two-decimal amounts, in any order', () => {
    const amount = fc.integer({ min: 0, max: 10_000_00 }).map((c) => c / 100);
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 60 }), fc.array(amount, { maxLength: 20 }), (invoiced, refunded) => {
        const agg = aggregateDay(DAY, {
          invoices: invoiced.map((g, i) => ({ entity_id: i, order_id: i, grand_total: g })),
          creditMemos: refunded.map((g, i) => ({ entity_id: i, order_id: i, grand_total: g })),
          orders: [], tickets: [], returns: [],
        }, 0);
        const exact = invoiced.reduce((s, g) => s + Math.round(g * 100), 0) - refunded.reduce((s, g) => s + Math.round(g * 100), 0);
        expect(agg.web.netCents).toBe(exact);
        const reversed = aggregateDay(DAY, { invoices: [...invoiced].reverse().map((g, i) => ({ entity_id: i, order_id: i, grand_total: g })), creditMemos: refunded.map((g, i) => ({ entity_id: i, order_id: i, grand_total: g })), orders: [], tickets: [], returns: [] }, 0);
        expect(reversed.web.netCents).toBe(exact);
      }),
      { numRuns: 200 },
    );
  });

  it('staleness: a day is recomputed when it has no aggregate or a change was seen after it was computed, never for its age', () => {
    const computedAt = Date.parse(`${DAY}T12:00:00Z`);
    const agg = { date: DAY, computedAt } as DayAggregate;
    expect(isStale(undefined, undefined)).toBe(true);
    expect(isStale(agg, undefined)).toBe(false);
    expect(isStale(agg, { markedAt: computedAt + 1 })).toBe(true);
    expect(isStale(agg, { markedAt: computedAt - 1 })).toBe(false);
  });

  it('the kept window is the last 31 days, today last', () => {
    const days = keptDays(Date.parse('2026-03-10T08:00:00Z'));
    expect(days).toHaveLength(KEPT_DAYS);
    expect(days[0]).toBe('2026-02-08');
    expect(days.at(-1)).toBe('2026-03-10');
  });
});

describe('against the simulators (memory platform)', () => {
  let heartlandSim: HeartlandSimulator;
  let commerceSim: CommerceSimulator;
  let heartland: HeartlandClient;
  let commerce: CommerceClient;
  let platform: Platform;
  let deps: InsightDeps;
  let ctx: TaskContext;
  const today = new Date().toISOString().slice(0, 10);
  let station: { id: number; location: number };
  let items: number[];
  let paymentType: number;

  const cents = (n: unknown) => Math.round(Number(n ?? 0) * 100);
  /** The simulators' own records of today, summed independently of the aggregation code. */
  async function simulatorTotals() {
    const from = Date.parse(`${today}T00:00:00Z`);
    const c = () => searchCriteria().where('created_at', magentoTimestamp(from), 'gteq').page(1000, 1);
    const invoices = (await commerce.invoices.search(c())).items;
    const memos = (await commerce.creditMemos.search(c())).items;
    const tickets: any[] = [];
    for await (const t of heartland.tickets.iterate({ status: 'complete' })) tickets.push(t);
    return {
      web: invoices.reduce((s, i) => s + cents(i.grand_total), 0) - memos.reduce((s, m) => s + cents(m.grand_total), 0),
      store: tickets.filter((t) => t.type === 'Ticket').reduce((s, t) => s + cents(t.total), 0) - tickets.filter((t) => t.type === 'Return').reduce((s, t) => s + Math.abs(cents(t.total)), 0),
      invoices: invoices.length,
      tickets: tickets.length,
    };
  }

  async function sellAtPos(lines: Array<{ item: number; qty: number; price: number }>) {
    const total = lines.reduce((s, l) => s + l.qty * l.price, 0);
    return heartland.tickets.create({
      type: 'Ticket', station_id: station.id, source_location_id: station.location, status: 'complete',
      item_lines: lines.map((l) => ({ type: 'ItemLine', item_id: l.item, qty: l.qty, unit_price: l.price })),
      payments: [{ type: 'CustomPayment', payment_type_id: paymentType, amount: Math.round(total * 100) / 100 }],
    } as any);
  }

  beforeAll(async () => {
    heartlandSim = await startHeartlandSimulator({ port: 0, notify: { enabled: false } });
    commerceSim = await startCommerceSimulator({ port: 0 });
    // A higher request ceiling than production's 5/s: these tests check figures, not pacing.
    heartland = createHeartlandClient({ baseUrl: heartlandSim.url, token: 'sandbox-heartland-token', ratePerSecond: 100 });
    platform = { state: createMemoryStateStore(), files: createMemoryFileStore(), clock: systemClock, logger: createMemoryLogger(), invoker: { invoke: async () => ({ activationId: 'x' }) } };
    const connector = createConnector({
      platform,
      inputs: {
        HEARTLAND_BASE_URL: heartlandSim.url.replace(/\/$/, ''), HEARTLAND_API_TOKEN: 'sandbox-heartland-token', HEARTLAND_WEBHOOK_SECRET: 'test-webhook-secret',
        COMMERCE_BASE_URL: `${commerceSim.url.replace(/\/$/, '')}/rest`, COMMERCE_CONSUMER_KEY: 'sandbox-commerce-consumer-key',
        COMMERCE_CONSUMER_SECRET: 'sandbox-commerce-consumer-secret', COMMERCE_ACCESS_TOKEN: 'sandbox-commerce-token', COMMERCE_ACCESS_TOKEN_SECRET: 'sandbox-commerce-token-secret',
      },
    });
    commerce = connector.deps.clients!.commerce!({ correlationId: 'test', logger: platform.logger });
    deps = { clients: { heartland, commerce }, files: platform.files, state: platform.state, clock: platform.clock };
    ctx = { logger: platform.logger, clock: platform.clock, state: platform.state, files: platform.files, client: ((u: string) => (u === 'heartland' ? heartland : commerce)) as any, correlationId: 'test', remainingMs: () => 30_000 };

    const post = async (url: string, body: unknown): Promise<any> => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
    const seeded = await post(`${commerceSim.url}__sim/seed`, { products: 4, customers: 2, orders: 6 });
    for (const o of seeded.orders.slice(0, 5)) await commerce.orders.invoice(o.entity_id, { capture: true } as any);
    await commerce.orders.refund(seeded.orders[0].entity_id, {} as any);
    await post(`${heartlandSim.url.replace(/api\/$/, '')}__sim/seed`, { items: 5, locations: 2, stock: { min: 50, max: 60 } });
    const locations = await heartland.locations.list({ includeStations: true });
    station = { id: Number(locations[0].stations![0].id), location: Number(locations[0].id) };
    paymentType = Number((await heartland.paymentTypes.list())[0].id);
    items = [];
    for await (const v of heartland.inventory.iterateValues({ locationIds: [station.location] })) if (items.length < 3 && !items.includes(Number(v.item_id))) items.push(Number(v.item_id));
    const sale = await sellAtPos([{ item: items[0], qty: 2, price: 19.99 }, { item: items[1], qty: 1, price: 0.1 }]);
    await sellAtPos([{ item: items[1], qty: 3, price: 0.2 }]);
    await sellAtPos([{ item: items[2], qty: 1, price: 33.33 }]);
    await heartland.tickets.create({
      type: 'Return', station_id: station.id, source_location_id: station.location, status: 'complete', parent_transaction_id: sale.id,
      item_lines: [{ type: 'ItemLine', item_id: items[0], qty: -1, unit_price: 19.99 }],
      payments: [{ type: 'CustomPayment', payment_type_id: paymentType, amount: -19.99 }],
    } as any);
  }, 30_000);
  afterAll(async () => {
    await heartlandSim?.close();
    await commerceSim?.close();
  });

  it('the feed finds today\'s changes, and today\'s web and store totals equal the simulators\' records to the cent', async () => {
    const page = await pollChannelInsights(undefined, ctx);
    expect(page.units).toEqual([]);
    const agg = (await readDayAggregate(platform.files, today))!;
    expect(agg).toBeDefined();
    const sims = await simulatorTotals();
    expect(sims.invoices).toBe(5);
    expect(sims.tickets).toBe(4);
    expect(agg.web.netCents).toBe(sims.web);
    expect(agg.store.netCents).toBe(sims.store);
    // 2 × 19.99 + 0.10 + 3 × 0.20 + 33.33 − 19.99 = 54.02 before tax (the simulator adds none here).
    expect(agg.store.netCents).toBe(5402);
    expect(agg.store.orders).toBe(3);
    expect(agg.store.units).toBe(2 + 1 + 3 + 1 - 1);
    expect(agg.web.orders).toBe(6);
    // The backfill pass saw every record of the window: a quiet day is stored as empty, not left to readers.
    const quiet = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    expect(await readDayAggregate(platform.files, quiet)).toMatchObject({ date: quiet, web: { records: 0, netCents: 0 }, store: { records: 0, netCents: 0 } });
  });

  it('redelivery: polling again from the old cursor, or recomputing the day again, counts nothing twice', async () => {
    const before = (await readDayAggregate(platform.files, today))!;
    await pollChannelInsights(undefined, ctx);
    await refreshDay(today, deps);
    await markDayDirty(platform.state, today, Date.now());
    await pollChannelInsights(undefined, ctx);
    const after = (await readDayAggregate(platform.files, today))!;
    expect({ ...after, computedAt: 0 }).toEqual({ ...before, computedAt: 0 });
  });

  it('a new credit memo and a new ticket after the cursor are picked up by the next pass, exactly once', async () => {
    const first = await pollChannelInsights(undefined, ctx);
    const before = (await readDayAggregate(platform.files, today))!;
    const open = (await commerce.orders.search(searchCriteria().where('state', 'processing').page(50, 1))).items.find((o) => Number(o.total_invoiced ?? 0) > 0 && !Number(o.total_refunded ?? 0));
    expect(open, 'an invoiced order without refund').toBeDefined();
    const memoId = await commerce.orders.refund(open!.entity_id, {} as any);
    const memo = await commerce.creditMemos.get(memoId);
    await sellAtPos([{ item: items[2], qty: 1, price: 12.34 }]);
    const second = await pollChannelInsights(first.nextCursor, ctx);
    await pollChannelInsights(second.nextCursor, ctx);
    const after = (await readDayAggregate(platform.files, today))!;
    expect(after.web.netCents).toBe(before.web.netCents - cents(memo.grand_total));
    expect(after.store.netCents).toBe(before.store.netCents + 1234);
    const sims = await simulatorTotals();
    expect(after.web.netCents).toBe(sims.web);
    expect(after.store.netCents).toBe(sims.store);
  });

  it('the Insights document reads the aggregates: totals are the sum of the day rows, stock per location, bad ranges name the field', async () => {
    const data = insightsResponse.parse(await channelInsightsFromAggregates({ to: today }, platform, { heartland, commerce }));
    expect(data.days).toHaveLength(14);
    for (const channel of ['web', 'store'] as const) {
      const rows = data.days.filter((d) => d.channel === channel);
      expect(Math.round(data.totals[channel].netSales * 100)).toBe(rows.reduce((s, r) => s + Math.round(r.netSales * 100), 0));
    }
    const sims = await simulatorTotals();
    expect(Math.round(data.totals.web.netSales * 100)).toBe(sims.web);
    expect(Math.round(data.totals.store.netSales * 100)).toBe(sims.store);
    expect(data.locations).toHaveLength(2);
    const sold = data.locations.find((l) => l.locationId === String(station.location))!;
    expect(sold.sellThrough).toBeGreaterThan(0);
    expect(data.topSkus.store[0].units).toBeGreaterThan(0);
    await expect(channelInsightsFromAggregates({ from: '2026-01-01', to: '2026-03-01' }, platform, { heartland, commerce })).rejects.toMatchObject({ status: 400, field: 'from' });
    await expect(channelInsightsFromAggregates({ from: 'yesterday' }, platform, { heartland, commerce })).rejects.toMatchObject({ status: 400, field: 'from' });
  });
  /** Clients that count the reads of sales records: what recomputing a day costs (5 reads a quiet day). */
  function countingClients() {
    const counts = { salesReads: 0 };
    const counted = <T extends object>(target: T, method: string): T =>
      new Proxy(target, {
        get(t, key, receiver) {
          const value = Reflect.get(t, key, receiver);
          if (key !== method || typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            counts.salesReads++;
            return value.apply(t, args);
          };
        },
      });
    const hl = new Proxy(heartland, { get: (t, key) => (key === 'tickets' ? counted(t.tickets, 'iterate') : Reflect.get(t, key)) });
    const cm = new Proxy(commerce, { get: (t, key) => (key === 'orders' || key === 'invoices' || key === 'creditMemos' ? counted(Reflect.get(t, key) as object, 'search') : Reflect.get(t, key)) });
    return { clients: { heartland: hl, commerce: cm }, counts };
  }
  const daysBefore = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  let cursor: string | undefined;

  it('the scheduler keeps every day of the last month computed (quiet days as empty aggregates); a fortnight page view reads aggregates only', async () => {
    cursor = (await pollChannelInsights(undefined, ctx)).nextCursor;
    for (let pass = 0; pass < 8 && ((await listDirtyDays(platform.state)).length > 0 || (await missingKeptDays(platform.files, Date.now())).length > 0); pass++) {
      cursor = (await pollChannelInsights(cursor, ctx)).nextCursor;
    }
    expect(await missingKeptDays(platform.files, Date.now())).toEqual([]);
    const { clients, counts } = countingClients();
    const fortnight = { from: daysBefore(today, 13), to: today };
    const data = insightsResponse.parse(await channelInsightsFromAggregates(fortnight, platform, clients));
    expect(data.days).toHaveLength(28);
    expect(counts.salesReads).toBe(0);

    // A sale made now waits for the next pass (the page never recomputes a stored day), then counts once.
    await sellAtPos([{ item: items[0], qty: 1, price: 7.77 }]);
    const before = await channelInsightsFromAggregates(fortnight, platform, clients);
    expect(before.totals.store.netSales).toBe(data.totals.store.netSales);
    expect(counts.salesReads).toBe(0);
    cursor = (await pollChannelInsights(cursor, ctx)).nextCursor;
    const after = await channelInsightsFromAggregates(fortnight, platform, clients);
    expect(cents(after.totals.store.netSales)).toBe(cents(data.totals.store.netSales) + 777);
    expect(counts.salesReads).toBe(0);
    expect(cents(after.totals.store.netSales)).toBe((await simulatorTotals()).store);
  });

  it('a kept day whose aggregate is lost (or a new day after midnight) is recomputed by the next pass', async () => {
    const day = daysBefore(today, 5);
    await platform.files.delete(`insights/channels/days/${day}.json`);
    expect(await missingKeptDays(platform.files, Date.now())).toEqual([day]);
    cursor = (await pollChannelInsights(cursor, ctx)).nextCursor;
    expect(await readDayAggregate(platform.files, day)).toMatchObject({ date: day, web: { records: 0 }, store: { records: 0 } });
  });

  it('a range older than the kept month is computed on read in one read per kind when it holds few records', async () => {
    const { clients, counts } = countingClients();
    const range = { from: daysBefore(today, 69), to: daysBefore(today, 60) };
    const data = await channelInsightsFromAggregates(range, platform, clients);
    expect(data.days).toHaveLength(20);
    expect(data.totals.web.netSales).toBe(0);
    expect(counts.salesReads).toBe(5);
    expect(await readDayAggregate(platform.files, daysBefore(today, 65))).toMatchObject({ web: { records: 0 }, store: { records: 0 } });
  });

  it('too many uncomputed days holding too many records: two computed on read, the rest queued for the scheduler (503), then served', async () => {
    const { clients, counts } = countingClients();
    const lost = [0, 1, 2, 3].map((n) => daysBefore(today, n));
    for (const day of lost) await platform.files.delete(`insights/channels/days/${day}.json`);
    const range = { from: lost[3], to: today };
    await expect(channelInsightsFromAggregates(range, platform, clients, { maxSpanRecords: 1 })).rejects.toMatchObject({ status: 503, code: 'insights_collecting' });
    expect(await readDayAggregate(platform.files, today)).toBeDefined();
    expect(await readDayAggregate(platform.files, lost[1])).toBeDefined();
    expect(await listDirtyDays(platform.state)).toEqual(expect.arrayContaining([lost[3], lost[2]]));
    expect(counts.salesReads).toBeGreaterThanOrEqual(2 * 5);
    for (let pass = 0; pass < 2; pass++) cursor = (await pollChannelInsights(cursor, ctx)).nextCursor;
    const data = await channelInsightsFromAggregates(range, platform, clients, { maxSpanRecords: 1 });
    expect(data.days).toHaveLength(8);
    expect(cents(data.totals.store.netSales)).toBe((await simulatorTotals()).store);
  });

  it('late data: a return completed on an old day, arriving now, updates that day at the next pass', async () => {
    const old = daysBefore(today, 3);
    expect((await readDayAggregate(platform.files, old))!.store.records).toBe(0);
    await heartland.tickets.create({
      type: 'Return', station_id: station.id, source_location_id: station.location, status: 'complete', completed_at: `${old}T15:00:00.000Z`,
      item_lines: [{ type: 'ItemLine', item_id: items[0], qty: -1, unit_price: 19.99 }],
      payments: [{ type: 'CustomPayment', payment_type_id: paymentType, amount: -19.99 }],
    } as any);
    cursor = (await pollChannelInsights(cursor, ctx)).nextCursor;
    expect((await readDayAggregate(platform.files, old))!.store).toMatchObject({ records: 1, refundCents: 1999, netCents: -1999, units: -1 });
    const data = await channelInsightsFromAggregates({ from: old, to: old }, platform, { heartland, commerce });
    expect(data.totals.store.netSales).toBe(-19.99);
  });
  it('stock-outs that cost web orders: orders dead-lettered for an unknown SKU, and open web orders Heartland cannot fill (held for stock), once each', async () => {
    // Two open web orders for one item at one location: the older leaves one unit, the newer needs three.
    let onHand = 0;
    for await (const v of heartland.inventory.iterateValues({ locationIds: [station.location], itemIds: [items[2]] })) onHand += Number(v.qty_on_hand);
    const openWebOrder = async (ecommerceNumber: string | undefined, qty: number) => {
      const order = await heartland.orders.create({ source_location_id: station.location, station_id: station.id, ...(ecommerceNumber ? { custom: { ecommerce_number: ecommerceNumber } } : {}) });
      await heartland.orders.addLine(order.id, { item_id: items[2], qty, original_unit_price: 5, adjusted_unit_price: 5, ship_from_location_id: station.location });
      await heartland.orders.open(order.id);
    };
    await openWebOrder('000000901', onHand - 1);
    await openWebOrder('000000902', 3);
    // A newer store special order (no ecommerce number) waits too: it takes its share of the
    // shortfall but is not a web order, so only 000000902 is named.
    await openWebOrder(undefined, 1);
    await recordDeadLetter(platform, {
      unit: { flow: 'order', key: '77', trigger: 'event', attempt: 1, correlationId: 'test', eventAt: Date.now() },
      unitId: 'a77a77a77a77',
      error: { message: 'SKUs GONE-1, GONE-2 not found in Heartland (order 000000077)', retryable: false, reason: 'validation', field: 'lines.sku', value: ['GONE-1', 'GONE-2'], code: 'unknown_sku', system: 'heartland' },
      source: null, mapped: null, now: Date.now(),
    });
    const snapshot = await takeStockSnapshot(heartland, platform.files, today, Date.now());
    const [item] = await heartland.items.getMany([items[2]]);
    const sku = item.public_id ?? `item ${items[2]}`;
    expect(snapshot.heldForStock).toEqual([{ sku, locationId: String(station.location), shortUnits: 3, orders: ['000000902'] }]);
    const data = await channelInsightsFromAggregates({ to: today }, platform, { heartland, commerce });
    expect(data.stockouts).toEqual([{ sku: 'GONE-1', ordersAffected: 1 }, { sku: 'GONE-2', ordersAffected: 1 }, { sku, ordersAffected: 1 }].sort((a, b) => a.sku.localeCompare(b.sku)));
    // A period that ends before the snapshot does not count today's held orders.
    const earlier = await channelInsightsFromAggregates({ from: daysBefore(today, 3), to: daysBefore(today, 2) }, platform, { heartland, commerce });
    expect(earlier.stockouts.find((s) => s.sku === sku)).toBeUndefined();
  });
});

/**
 * Benchmark `channel-aggregation` (issue 15): one day of 10,000 Magento orders (all invoiced, 5%
 * refunded) and 10,000 Heartland tickets (plus 3% returns) seeded in the simulators, then one
 * refresh of that day's aggregate (lib/insights/channels refreshDay: read every record of the day
 * from both systems and reduce it) followed by the Insights document for the day; then the
 * scheduler's work for the rest of the kept month (30 quiet days) and a page view of the panel's
 * default fortnight, which reads stored aggregates only.
 * Targets: refresh under 10 s, peak RSS under 256 MB. Prints one JSON object (BENCH_RESULT line).
 *
 * The connector runs in a child process (this file with `--connector`) with the heap limit a 256 MB
 * Runtime container leaves, so its RSS is not mixed with the simulators' stores. It uses the
 * connector's own clients as built from action inputs (Heartland at its default 5 requests/s).
 * The simulators' own sums (computed here from what was seeded) are compared with the aggregate
 * to the cent.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { machineLoad } from './support/report';

const ORDERS = Number(process.env.BENCH_CHANNEL_ORDERS ?? 10_000);
const TICKETS = Number(process.env.BENCH_CHANNEL_TICKETS ?? 10_000);
const REFUND_SHARE = 0.05;
const RETURN_SHARE = 0.03;
const HEAP_MB = 160;
const SEED_CONCURRENCY = 16;

const inputsFor = (heartlandUrl: string, commerceUrl: string) => ({
  HEARTLAND_BASE_URL: heartlandUrl.replace(/\/$/, ''),
  HEARTLAND_API_TOKEN: 'sandbox-heartland-token',
  HEARTLAND_WEBHOOK_SECRET: 'bench-webhook-secret',
  COMMERCE_BASE_URL: `${commerceUrl.replace(/\/$/, '')}/rest`,
  COMMERCE_CONSUMER_KEY: 'sandbox-commerce-consumer-key',
  COMMERCE_CONSUMER_SECRET: 'sandbox-commerce-consumer-secret',
  COMMERCE_ACCESS_TOKEN: 'sandbox-commerce-token',
  COMMERCE_ACCESS_TOKEN_SECRET: 'sandbox-commerce-token-secret',
  LOG_LEVEL: 'error',
});

async function connectorMain(input: { heartlandUrl: string; commerceUrl: string; day: string }) {
  const { createConnector } = await import('../lib/connector');
  const { createMemoryFileStore, createMemoryLogger, createMemoryStateStore } = await import('../lib/platform/memory');
  const { systemClock } = await import('../lib/platform/ports');
  const { refreshDay, refreshKeptDays, channelInsightsFromAggregates, KEPT_DAYS } = await import('../lib/insights/channels');
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const platform = { state: createMemoryStateStore(), files: createMemoryFileStore(), clock: systemClock, logger: createMemoryLogger(), invoker: { invoke: async () => ({ activationId: 'bench' }) } };
  const connector = createConnector({ platform, inputs: inputsFor(input.heartlandUrl, input.commerceUrl) });
  const scope = { correlationId: 'bench-channel-aggregation', logger: platform.logger };
  const clients = { heartland: connector.deps.clients!.heartland!(scope), commerce: connector.deps.clients!.commerce!(scope) };

  const t0 = performance.now();
  const aggregate = await refreshDay(input.day, { clients, files: platform.files, state: platform.state, clock: platform.clock });
  const refreshS = (performance.now() - t0) / 1000;
  // The 1-minute load while the refresh ran: above 1 per core its time is pessimistic.
  const refreshLoad = machineLoad().loadPerCore1m;
  peak = Math.max(peak, process.memoryUsage().rss);
  const t1 = performance.now();
  const doc = await channelInsightsFromAggregates({ from: input.day, to: input.day }, platform, clients);
  const readS = (performance.now() - t1) / 1000;
  // What the scheduler feed does for a new install: every other day of the kept month (all quiet
  // here), then what a page view costs: the panel's default fortnight, read from aggregates only.
  const deps = { clients, files: platform.files, state: platform.state, clock: platform.clock };
  const t2 = performance.now();
  const kept = await refreshKeptDays(deps, { maxDays: KEPT_DAYS, deadlineMs: Date.now() + 300_000 });
  const keepMonthS = (performance.now() - t2) / 1000;
  const fortnight = { from: new Date(Date.parse(`${input.day}T00:00:00Z`) - 13 * 86_400_000).toISOString().slice(0, 10), to: input.day };
  const t3 = performance.now();
  const page = await channelInsightsFromAggregates(fortnight, platform, clients);
  const fortnightReadS = (performance.now() - t3) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const bytes = (await platform.files.read(`insights/channels/days/${input.day}.json`))?.length ?? 0;
  process.send!({
    refreshS: Math.round(refreshS * 100) / 100,
    refreshLoadPerCore1m: refreshLoad,
    insightsReadS: Math.round(readS * 100) / 100,
    keptDaysComputed: kept.length,
    keepMonthS: Math.round(keepMonthS * 100) / 100,
    fortnightReadS: Math.round(fortnightReadS * 100) / 100,
    fortnightWebNetCents: Math.round(page.totals.web.netSales * 100),
    aggregateBytes: bytes,
    webRecords: aggregate.web.records,
    storeRecords: aggregate.store.records,
    webNetCents: aggregate.web.netCents,
    storeNetCents: aggregate.store.netCents,
    webOrders: doc.totals.web.orders,
    storeTickets: doc.totals.store.orders,
    peakRssMb: Math.round(peak / 1024 / 1024),
    heapLimitMb: HEAP_MB,
  });
}

async function main() {
  const { startHeartlandSimulator } = await import('../sandbox/heartland/server');
  const { startCommerceSimulator } = await import('../sandbox/commerce/server');
  const { createConnector } = await import('../lib/connector');
  const { createMemoryFileStore, createMemoryLogger, createMemoryStateStore } = await import('../lib/platform/memory');
  const { systemClock } = await import('../lib/platform/ports');
  const hl = await startHeartlandSimulator({ port: 0, host: '127.0.0.1', notify: { enabled: false } });
  const cm = await startCommerceSimulator({ port: 0, host: '127.0.0.1' });
  const post = async (url: string | URL, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return res.status === 201 ? { location: res.headers.get('location') } : res.json();
  };
  try {
    const ts = performance.now();
    const day = new Date().toISOString().slice(0, 10);
    // Magento: orders placed in-process by the simulator's seed, invoiced and partly refunded through the REST API.
    const platform = { state: createMemoryStateStore(), files: createMemoryFileStore(), clock: systemClock, logger: createMemoryLogger(), invoker: { invoke: async () => ({ activationId: 'seed' }) } };
    const commerce = createConnector({ platform, inputs: inputsFor(hl.url, cm.url) }).deps.clients!.commerce!({ correlationId: 'bench-seed', logger: platform.logger });
    const seeded = (await post(new URL('__sim/seed', cm.url), { products: 300, customers: 500, orders: ORDERS, seed: 15 })) as { orders: Array<{ entity_id: number }> };
    const phase = (what: string, since: number) => console.log(`${what} in ${((performance.now() - since) / 1000).toFixed(1)} s`);
    phase(`${ORDERS} orders placed`, ts);
    const limit = pLimit(SEED_CONCURRENCY);
    const tInvoices = performance.now();
    await Promise.all(seeded.orders.map((o) => limit(() => commerce.orders.invoice(o.entity_id, { capture: true } as never))));
    phase('invoiced', tInvoices);
    const refunded = seeded.orders.slice(0, Math.round(ORDERS * REFUND_SHARE));
    await Promise.all(refunded.map((o) => limit(() => commerce.orders.refund(o.entity_id, {} as never))));
    const tTickets = performance.now();
    // Heartland: tickets at three locations with one to three lines, a few returns.
    const hlSeed = (await post(new URL('../__sim/seed', hl.url), { items: 300, locations: 3, seed: 15, stock: { min: 100_000, max: 100_001 } })) as { locations: number[]; stations: number[]; items: { firstId: number }; paymentTypes: Record<string, number> };
    const auth = { authorization: 'Bearer sandbox-heartland-token' };
    const paymentType = hlSeed.paymentTypes.External ?? Object.values(hlSeed.paymentTypes)[0];
    let expectedStoreCents = 0;
    const ticketIds: number[] = [];
    await Promise.all(
      Array.from({ length: TICKETS }, (_, i) =>
        limit(async () => {
          const at = i % hlSeed.locations.length;
          const lines = Array.from({ length: 1 + (i % 3) }, (_, j) => ({ type: 'ItemLine', item_id: hlSeed.items.firstId + ((i * 7 + j * 13) % 300), qty: 1 + (j % 2), unit_price: 3.99 + ((i + j) % 40) }));
          const cents = lines.reduce((s, l) => s + l.qty * Math.round(l.unit_price * 100), 0);
          const created = (await post(new URL('sales/tickets', hl.url), {
            type: 'Ticket', station_id: hlSeed.stations[at], source_location_id: hlSeed.locations[at], status: 'complete', lines,
            payments: [{ type: 'CustomPayment', payment_type_id: paymentType, amount: cents / 100 }],
          }, auth)) as { location: string };
          expectedStoreCents += cents;
          if (i < TICKETS * RETURN_SHARE) ticketIds.push(Number(created.location.split('/').pop()));
        }),
      ),
    );
    await Promise.all(
      ticketIds.map((parent, i) =>
        limit(async () => {
          const price = 5.5;
          await post(new URL('sales/tickets', hl.url), {
            type: 'Return', station_id: hlSeed.stations[0], source_location_id: hlSeed.locations[0], status: 'complete', parent_transaction_id: parent,
            lines: [{ type: 'ItemLine', item_id: hlSeed.items.firstId + (i % 300), qty: -1, unit_price: price }],
            payments: [{ type: 'CustomPayment', payment_type_id: paymentType, amount: -price }],
          }, auth);
          expectedStoreCents -= Math.round(price * 100);
        }),
      ),
    );
    phase('tickets and returns created', tTickets);
    // Magento's own sums, read back from the simulator by id (independent of the aggregation code).
    const { searchCriteria } = await import('../lib/commerce/search-criteria');
    let expectedWebCents = 0;
    // Magento answers a page past the end with the last page again: stop at total_count.
    for (const [search, sign] of [[(c: ReturnType<typeof searchCriteria>) => commerce.invoices.search(c), 1], [(c: ReturnType<typeof searchCriteria>) => commerce.creditMemos.search(c), -1]] as const) {
      let seen = 0;
      for (let page = 1; ; page++) {
        const res = await search(searchCriteria().page(1000, page));
        for (const row of res.items) expectedWebCents += sign * Math.round(Number(row.grand_total ?? 0) * 100);
        seen += res.items.length;
        if (res.items.length === 0 || seen >= res.total_count) break;
      }
    }
    const seedS = (performance.now() - ts) / 1000;
    console.log(`seeded ${ORDERS} orders (${refunded.length} refunded) and ${TICKETS} tickets (${ticketIds.length} returns) in ${seedS.toFixed(1)} s`);

    const child = fork(fileURLToPath(import.meta.url), ['--connector'], { execArgv: ['--import', 'tsx', `--max-old-space-size=${HEAP_MB}`], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const result = await new Promise<Record<string, number>>((resolve, reject) => {
      child.on('message', (m) => resolve(m as Record<string, number>));
      child.on('exit', (code) => (code ? reject(new Error(`connector process exited with ${code}`)) : undefined));
      child.send({ heartlandUrl: hl.url, commerceUrl: cm.url, day });
    });
    child.kill();
    const out = {
      orders: ORDERS,
      tickets: TICKETS,
      seedS: Math.round(seedS * 10) / 10,
      ...result,
      expectedWebNetCents: expectedWebCents,
      expectedStoreNetCents: expectedStoreCents,
      ...machineLoad(),
      targets: {
        refreshUnder10s: result.refreshS < 10,
        rssUnder256Mb: result.peakRssMb < 256,
        webReconciles: result.webNetCents === expectedWebCents,
        storeReconciles: result.storeNetCents === expectedStoreCents,
      },
    };
    console.log(`BENCH_RESULT ${JSON.stringify(out)}`);
  } finally {
    await hl.close();
    await cm.close();
  }
}

if (process.argv.includes('--connector')) {
  process.once('message', (input) => {
    connectorMain(input as Parameters<typeof connectorMain>[0]).then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
} else {
  await main();
}

/**
 * Benchmark `inventory` (issue 8 / 13): 100,000 SKUs × 3 locations in the Heartland simulator,
 * a full reconciliation into an empty Magento simulator, then a second one after 1% of the SKUs
 * changed at one location. Targets: full < 60 s, write calls ≤ ceil(changed / 500) + 5,
 * incremental ≤ 10 writes, peak RSS < 256 MB.
 *
 * The connector runs in a child process (this file with `--connector`) so its peak RSS is not
 * mixed with the simulators' 100,000-item stores; the simulators run here. Worker chunks run in
 * that one child process, four at a time (the job's `parallelChunks`), where Runtime would use
 * separate containers: the RSS figure is therefore an upper bound for one worker.
 *
 * Write calls count requests Magento received on the source-items routes. Above 20,000 items a
 * chunk sends one async bulk request carrying one operation per 500 items (commerce.md §2.11), so
 * the full run can be far below `ceil(changed / 500)` (reported as `…WriteLowerBound`, the
 * synchronous lower bound the target is written against).
 *
 * Side by side: the naive strategy (one write per source item, full re-push every run) is not
 * executed at 300,000 requests; its write count is the number of source items it would send,
 * which for this data is exact, not an estimate (one request per SKU × source, every run).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SKUS = Number(process.env.BENCH_INVENTORY_SKUS ?? 100_000);
const LOCATIONS = 3;
const CHANGED_SHARE = 0.01;
/**
 * The connector process gets the old-space limit a 256 MB Runtime container leaves for the heap
 * (Node sizes its heap from physical memory otherwise, and would let garbage pile up far past what
 * a container allows before collecting it).
 */
const HEAP_MB = 160;

async function connectorMain(input: { heartlandUrl: string; commerceUrl: string; locations: number[]; reasonId: number; firstItemId: number }) {
  const { connectInventory } = await import('../test/flows/inventory/harness');
  const { runInventoryReconciliation } = await import('../lib/flows/inventory');
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const env = await connectInventory({ heartlandUrl: input.heartlandUrl, commerceUrl: input.commerceUrl, locations: input.locations });

  /** Source-item write requests Magento received (synchronous and async bulk), from the simulator's counters. */
  const counters = async () => {
    const res = await fetch(new URL('__sim/counters', input.commerceUrl));
    const body = (await res.json()) as { byEndpoint: Record<string, number> };
    return Object.entries(body.byEndpoint)
      .filter(([k]) => k.startsWith('POST ') && k.endsWith('/inventory/source-items'))
      .reduce((sum, [, n]) => sum + n, 0);
  };

  const w0 = await counters();
  const t0 = performance.now();
  const full = await runInventoryReconciliation(env.deps, { pollMs: 100 });
  const fullS = (performance.now() - t0) / 1000;
  const fullWriteCalls = (await counters()) - w0;
  if (full.job.status !== 'done') throw new Error(`full reconciliation ended ${full.job.status}`);

  // 1% of SKUs change at one location (an adjustment set of ~1,000 lines, through the Heartland API).
  const changedSkus = Math.round(SKUS * CHANGED_SHARE);
  const lines = Array.from({ length: changedSkus }, (_, i) => ({ item_id: input.firstItemId + i * Math.floor(1 / CHANGED_SHARE), qty: 5 }));
  await env.heartland.inventory.adjust({ location_id: input.locations[0], adjustment_reason_id: input.reasonId, lines });

  const w1 = await counters();
  const t1 = performance.now();
  const incremental = await runInventoryReconciliation(env.deps, { pollMs: 100 });
  const incrementalS = (performance.now() - t1) / 1000;
  const incrementalWriteCalls = (await counters()) - w1;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const fullChanged = full.report?.changed ?? 0;
  const incChanged = incremental.report?.changed ?? 0;
  process.send!({
    skus: SKUS,
    sources: LOCATIONS,
    fullS: Math.round(fullS * 10) / 10,
    fullWriteCalls,
    fullChangedSourceItems: fullChanged,
    fullWriteLowerBound: Math.ceil(fullChanged / 500),
    incrementalS: Math.round(incrementalS * 10) / 10,
    incrementalWriteCalls,
    incrementalChangedSourceItems: incChanged,
    incrementalWriteLowerBound: Math.ceil(incChanged / 500),
    peakRssMb: Math.round(peak / 1024 / 1024),
    heapLimitMb: HEAP_MB,
    fullPhaseMs: full.report?.timings,
    incrementalPhaseMs: incremental.report?.timings,
    naive: { fullWriteCalls: SKUS * LOCATIONS, incrementalWriteCalls: SKUS * LOCATIONS },
    targets: {
      fullUnder60s: fullS < 60,
      fullWritesWithinBound: fullWriteCalls <= Math.ceil(fullChanged / 500) + 5,
      incrementalAtMost10: incrementalWriteCalls <= 10,
      rssUnder256Mb: peak / 1024 / 1024 < 256,
    },
  });
}

async function main() {
  const { startHeartlandSimulator } = await import('../sandbox/heartland/server');
  const { startCommerceSimulator } = await import('../sandbox/commerce/server');
  const hl = await startHeartlandSimulator({ port: 0, host: '127.0.0.1', notify: { enabled: false } });
  const cm = await startCommerceSimulator({ port: 0, host: '127.0.0.1', bulkDelayMs: 1 });
  try {
    const ts = performance.now();
    const seedRes = await fetch(new URL('../__sim/seed', hl.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: SKUS, locations: LOCATIONS, seed: 13, stock: { min: 0, max: 30 } }) });
    const seed = (await seedRes.json()) as { locations: number[]; items: { firstId: number }; reasonCodes: Record<string, number> };
    console.log(`seeded ${SKUS} SKUs × ${LOCATIONS} locations in ${((performance.now() - ts) / 1000).toFixed(1)} s`);
    const child = fork(fileURLToPath(import.meta.url), ['--connector'], { execArgv: ['--import', 'tsx', `--max-old-space-size=${HEAP_MB}`], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const result = await new Promise<Record<string, unknown>>((resolve, reject) => {
      child.on('message', (m) => resolve(m as Record<string, unknown>));
      child.on('exit', (code) => (code ? reject(new Error(`connector process exited with ${code}`)) : undefined));
      child.send({ heartlandUrl: hl.url, commerceUrl: cm.url, locations: seed.locations, reasonId: Object.values(seed.reasonCodes)[0], firstItemId: seed.items.firstId });
    });
    child.kill();
    console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
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

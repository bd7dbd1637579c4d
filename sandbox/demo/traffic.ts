/**
 * Demo traffic for `npm start`: a modest, steady mix of what a small retailer's systems do all day,
 * so the panel has something to show. Web orders (status `processing`) are saved in Magento and
 * the simulator emits the I/O event to the host; POS sales and stock adjustments happen in
 * Heartland; web orders that reached Heartland are invoiced there with tracking; now and then a
 * credit memo, a customer edit, and rarely a deliberately bad order (a SKU Heartland does not
 * know) so Dead letters has an entry to replay.
 *
 * Each tick runs one action; a refused action (an injected fault, nothing to invoice yet) is
 * counted and the generator carries on. `close()` stops after the action in flight.
 */
import type { Sandbox } from '../sandbox';
import { seedDemo, readDemoSeed, demoStateStore } from './seed';
import { seededRandom, type Random } from './random';
import { commerceApi, heartlandApi } from './sim-http';
import { createWorkload, emptyLedger, type Workload, type WorkloadLedger } from './workload';

export interface TrafficOptions {
  log?: (line: string) => void;
  /** Business events per minute (default 6). */
  ratePerMinute?: number;
  /** PRNG seed (default: time-based, so each demo run differs). */
  seed?: number;
}

export interface TrafficStats {
  ticks: number;
  webOrders: number;
  badOrders: number;
  posTickets: number;
  adjustmentSets: number;
  invoices: number;
  creditMemos: number;
  customerEdits: number;
  refused: Record<string, number>;
  errors: number;
  lastError?: string;
}

export interface TrafficGenerator {
  close(): Promise<void>;
  stats(): TrafficStats;
}

/** Share of each action per tick; the rest of the weight is web orders. */
const MIX: Array<[string, number]> = [
  ['webOrder', 0.34],
  ['posSale', 0.2],
  ['adjustStock', 0.12],
  ['invoice', 0.18],
  ['creditMemo', 0.04],
  ['editCommerceCustomer', 0.05],
  ['editHeartlandCustomer', 0.05],
  ['badOrder', 0.02],
];

export function chooseAction(r: number): string {
  let acc = 0;
  for (const [name, weight] of MIX) {
    acc += weight;
    if (r < acc) return name;
  }
  return 'webOrder';
}

/**
 * Runs one action of the mix against the simulators, as a demo tick does; returns the log line
 * (undefined when the action was refused, e.g. nothing to invoice yet). Tests that replay demo
 * traffic on a simulated clock call this so they exercise exactly what `npm start` does.
 */
export async function runDemoAction(workload: Workload, action: string, random: Random): Promise<string | undefined> {
  switch (action) {
    case 'webOrder': {
      const o = await workload.attempt(action, () => workload.placeWebOrder());
      return o && `web order ${o.incrementId} (${o.lines.map((l) => `${l.qty}× ${l.sku}`).join(', ')})`;
    }
    case 'badOrder': {
      const o = await workload.attempt(action, () => workload.placeWebOrder({ unknownSku: `DISCONTINUED-${String(random.int(1, 9999)).padStart(4, '0')}` }));
      return o && `web order ${o.incrementId} with unknown SKU ${o.invalid?.sku} (expect a dead letter)`;
    }
    case 'posSale': {
      const lines = await workload.attempt(action, () => workload.posSale());
      return lines ? `POS sale in Heartland (${lines} line${lines === 1 ? '' : 's'})` : undefined;
    }
    case 'adjustStock': {
      const lines = await workload.attempt(action, () => workload.adjustStock());
      return lines ? `stock adjustment in Heartland (${lines} item${lines === 1 ? '' : 's'})` : undefined;
    }
    case 'invoice': {
      const inv = await workload.attempt(action, () => workload.invoiceWebOrder());
      return inv && `Heartland invoice ${inv.invoiceId} ships web order ${inv.ecommerceNumber} (${inv.carrier} ${inv.trackingNumber})`;
    }
    case 'creditMemo': {
      const memo = await workload.attempt(action, () => workload.creditMemo());
      return memo && `credit memo ${memo.creditMemoId} on Magento order ${memo.orderEntityId}`;
    }
    case 'editCommerceCustomer': {
      const edit = await workload.attempt(action, () => workload.editCommerceCustomer());
      return edit && `Magento customer ${edit.email} renamed ${edit.firstname} ${edit.lastname}`;
    }
    case 'editHeartlandCustomer': {
      const edit = await workload.attempt(action, () => workload.editHeartlandCustomer());
      return edit && `Heartland customer ${edit.email} renamed ${edit.firstname} ${edit.lastname}`;
    }
    default:
      throw new Error(`unknown demo action: ${action}`);
  }
}

export async function startTraffic(sandbox: Sandbox, options: TrafficOptions = {}): Promise<TrafficGenerator> {
  const log = options.log ?? (() => undefined);
  if (!sandbox.heartland || !sandbox.commerce) throw new Error('demo traffic needs both simulators running');
  const rate = options.ratePerMinute ?? 6;
  if (!(rate > 0 && rate <= 6000)) throw new Error(`ratePerMinute must be between 0 and 6000, got ${rate}`);
  const seed = (await readDemoSeed(demoStateStore(sandbox))) ?? (await seedDemo(sandbox, { log }));
  const random = seededRandom(options.seed ?? Date.now() % 2 ** 31);
  const ledger: WorkloadLedger = emptyLedger();
  const workload = createWorkload(
    { heartland: heartlandApi(sandbox.heartland.url, { token: sandbox.env.HEARTLAND_API_TOKEN }), commerce: commerceApi(sandbox.commerce.url, { token: sandbox.env.COMMERCE_ACCESS_TOKEN }), seed, random },
    ledger,
  );
  let ticks = 0;
  let errors = 0;
  let lastError: string | undefined;
  let badOrders = 0;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  async function tick(): Promise<void> {
    ticks++;
    const action = chooseAction(random.next());
    try {
      if (action === 'badOrder') badOrders++;
      const line = await runDemoAction(workload, action, random);
      if (line) log(`[traffic] ${line}`);
    } catch (error) {
      // A bug in the generator must not take the sandbox down: count it and keep going.
      errors++;
      lastError = `${action}: ${(error as Error).message}`;
      log(`[traffic] ${lastError}`);
    }
  }

  const intervalMs = Math.round(60_000 / rate);
  const timer = setInterval(() => {
    if (stopped) return;
    // One action at a time: a slow simulator stretches the interval rather than piling up work.
    inFlight = inFlight.then(() => (stopped ? undefined : tick()));
  }, intervalMs);
  timer.unref?.();
  log(`[traffic] demo traffic on: about ${rate} business events per minute`);

  return {
    async close() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
    stats: () => ({
      ticks,
      webOrders: ledger.webOrders.length - ledger.webOrders.filter((o) => o.invalid).length,
      badOrders,
      posTickets: ledger.posTickets,
      adjustmentSets: ledger.adjustmentSets,
      invoices: ledger.invoices.length,
      creditMemos: ledger.creditMemos.length,
      customerEdits: ledger.customerEdits.length,
      refused: { ...ledger.refused },
      errors,
      lastError,
    }),
  };
}

/**
 * Stock → Magento in real time (issue 8). One unit of the `inventory` flow drains the Heartland
 * inventory ledger from the shared cursor and pushes the changed source items:
 *
 * - `window-<n>`: Heartland `inventory.updated` hints are coalesced per window of
 *   `settings.schedules.stockCoalesceMs` (default 1 s). Every hint in a window maps to the same
 *   unit; the first activation that runs it waits for the window to close and then reads the
 *   ledger once, so 50 hints a second become one ledger read, one batched values read and one
 *   batched write per window — never a unit per SKU.
 * - `ledger-<id>`: the scheduler's poll of the ledger (the safety net when hints are off).
 * - `shipment-<id>`: a Magento shipment deducted shipped units from a source item itself; the
 *   shipped SKUs are pushed again whatever the snapshot says, so Magento returns to the formula.
 *
 * A drain lease (`lease.inventory.drain`) keeps two units from draining the same range and from
 * writing the same snapshot buckets at once; it is best effort (DESIGN.md §1.3), which is fine
 * because every write is an absolute value and the nightly reconciliation compares with Magento.
 */
import { z } from 'zod';
import { acquireLease, defineFlow, leaseKey, RetryableError, type FlowContext, type Lease, type Unit } from '../../sync';
import { loadConnectorSettings, type ConnectorSettings } from '../../config/connector-settings';
import { stockEnvOf } from './env';
import { advanceLedgerCursor, readLedger, readLedgerCursor } from './ledger';
import { commitPlan, planStock, type StockEnv, type StockPlan, type StockSyncOptions } from './stock-sync';

export const INVENTORY_FLOW = 'inventory';
const DRAIN_LEASE_MS = 60_000;
const DRAIN_WAIT_MS = 15_000;
/** Slack after a window closes before the ledger is read (notification and ledger write are not simultaneous). */
const WINDOW_GRACE_MS = 50;

export function windowOf(now: number, coalesceMs: number): number {
  return Math.floor(now / Math.max(1, coalesceMs));
}

export function windowUnitKey(window: number, coalesceMs: number): string {
  return `window-${window}-${Math.max(1, coalesceMs)}`;
}

const ShipmentHint = z.object({ skus: z.array(z.string().min(1)).max(5000) });

interface StockWork {
  kind: 'window' | 'ledger' | 'shipment' | 'other';
  lease: Lease;
  env: StockEnv;
  afterId?: number;
  toId?: number;
  more?: boolean;
  itemIds: number[];
  options: StockSyncOptions;
  plan?: StockPlan;
  /** Milliseconds spent waiting for the window to close, for the drain lease and reading the ledger. */
  timings: Record<string, number>;
}

async function acquireDrainLease(ctx: FlowContext): Promise<Lease> {
  const until = ctx.clock.now() + Math.min(DRAIN_WAIT_MS, Math.max(0, ctx.remainingMs() - 5_000));
  for (;;) {
    const lease = await acquireLease(ctx.state, ctx.clock, leaseKey('inventory', 'drain'), { ttlMs: DRAIN_LEASE_MS, settleMs: 20 });
    if (lease) return lease;
    if (ctx.clock.now() >= until) throw new RetryableError('another activation is draining the inventory ledger; trying again later', { code: 'drain-busy' });
    await ctx.clock.sleep(100 + Math.floor(Math.random() * 100));
  }
}

function parseWindowKey(key: string): { window: number; coalesceMs: number } | undefined {
  const m = /^window-(\d+)-(\d+)$/.exec(key);
  return m ? { window: Number(m[1]), coalesceMs: Number(m[2]) } : undefined;
}

async function loadWork(unit: Unit, ctx: FlowContext): Promise<StockWork> {
  const settings: ConnectorSettings = await loadConnectorSettings(ctx.state);
  const env = await stockEnvOf(ctx, { settings });
  const win = parseWindowKey(unit.key);
  const timings: Record<string, number> = {};
  let mark = ctx.clock.now();
  const lap = (phase: string) => {
    timings[phase] = ctx.clock.now() - mark;
    mark = ctx.clock.now();
  };
  if (win) {
    // Coalescing: let the rest of the window's hints arrive; they are all answered by this one read.
    const closesAt = (win.window + 1) * win.coalesceMs + WINDOW_GRACE_MS;
    const wait = closesAt - ctx.clock.now();
    if (wait > 0) await ctx.clock.sleep(Math.min(wait, 60_000));
  }
  lap('window');
  const lease = await acquireDrainLease(ctx);
  lap('drainLease');
  try {
    if (unit.key.startsWith('shipment-')) {
      const hint = ShipmentHint.safeParse(unit.payloadHint);
      const skus = hint.success ? hint.data.skus : [];
      const found = skus.length ? await env.heartland.items.findBySkus(skus) : new Map();
      lap('skus');
      return { kind: 'shipment', lease, env, timings, itemIds: [...found.values()].map((i) => i.id), options: { force: true, trigger: `magento ${unit.key}` } };
    }
    const after = await readLedgerCursor(ctx.state);
    const range = await readLedger(env.heartland, after);
    lap('ledger');
    return {
      timings,
      kind: win ? 'window' : unit.key.startsWith('ledger-') ? 'ledger' : 'other',
      lease,
      env,
      afterId: range.afterId,
      toId: range.toId,
      more: range.more,
      itemIds: range.itemIds,
      options: { trigger: win ? `hints ${unit.key}` : `ledger ${range.afterId}..${range.toId}` },
    };
  } catch (error) {
    await lease.release();
    throw error;
  }
}

/** After the range was pushed (or held): move the ledger mark. Never after a failed push, so the retry drains it again. */
async function advance(work: StockWork, ctx: FlowContext): Promise<void> {
  if (work.toId !== undefined && work.afterId !== undefined && work.toId > work.afterId) await advanceLedgerCursor(ctx.state, ctx.clock, work.toId);
}

export const inventoryFlow = defineFlow<StockWork, { kind: string; afterId?: number; toId?: number; changes: unknown[] }>({
  name: INVENTORY_FLOW,
  entity: 'stock',
  direction: 'heartland-to-commerce',
  upstreams: ['heartland', 'commerce'],
  load: loadWork,
  // The ledger cursor is the version; the stale guard per unit key would add nothing.
  version: () => undefined,
  async map(work) {
    try {
      work.plan = await planStock(work.env, { itemIds: work.itemIds }, work.options);
    } catch (error) {
      await work.lease.release();
      throw error;
    }
    return { kind: work.kind, afterId: work.afterId, toId: work.toId, changes: work.plan.changes };
  },
  async guard(_mapped, ctx, work) {
    if (!work.plan?.verdict?.hold) return undefined;
    try {
      const result = await commitPlan(work.env, work.plan, work.options);
      // The held batch lives in the anomaly; the mark moves on so later changes keep flowing.
      await advance(work, ctx);
      return { skip: 'held', detail: `wipe guard: ${result.held?.reasons.join('; ')} (anomaly ${result.held?.anomalyId})` };
    } finally {
      await work.lease.release();
    }
  },
  async write(_mapped, ctx, work) {
    try {
      const result = await commitPlan(work.env, work.plan!, work.options);
      await advance(work, ctx);
      ctx.logger.info('stock pushed', { kind: work.kind, items: result.items, changed: result.changed, writeCalls: result.push.writeCalls, ledger: `${work.afterId}..${work.toId}`, timings: { ...work.timings, ...result.timings } });
      return { targetId: `${work.kind}:${work.toId ?? work.itemIds.length}`, action: result.push.writeCalls > 0 ? 'updated' : 'unchanged', echo: { changed: result.changed } };
    } finally {
      await work.lease.release();
    }
  },
});

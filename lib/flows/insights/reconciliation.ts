/**
 * Nightly order reconciliation (issue 12, DESIGN.md §4): yesterday's Magento orders, invoices and
 * credit memos against Heartland's web orders, payments and returns → `reconcile` (lib/insights)
 * → a stored report (JSON + CSV in `reports/reconciliation/`), read by the Reports page. The same
 * night the anomaly day index is rebuilt (the one place `list` is allowed to run).
 *
 * Reads are paged and bounded: each side reads records created from six hours before the range to
 * six hours after it (an order placed at 23:59 reaches Heartland after midnight), at most
 * `MAX_RECORDS` per kind; a report that hit the bound says so instead of claiming completeness.
 */
import { loadConnectorSettings } from '../../config/connector-settings';
import { searchCriteria } from '../../commerce/search-criteria';
import { createMappingRepository, effectiveOptions } from '../../mapping';
import { createAnomalyRepository, createReconciliationReports, reconcile, type StoredReport } from '../../insights';
import type { ReconcileSummary } from '../../insights';
import { defineJob, type TaskContext } from '../../sync';

export const RECONCILIATION_JOB = 'order-reconciliation';
/** Per kind and side; a day of a busy web store is far below this. */
export const MAX_RECORDS = 20_000;
const SLACK_MS = 6 * 3_600_000;
const DAY_MS = 86_400_000;

export interface ReconciliationRange {
  /** ISO-8601, inclusive. */
  from: string;
  /** ISO-8601, exclusive. */
  to: string;
}

export interface ReconciliationRun {
  report: StoredReport;
  summary: ReconcileSummary;
  /** Kinds whose read stopped at MAX_RECORDS: the report may miss records of these. */
  truncated: string[];
  read: Record<string, number>;
}

/** Yesterday, UTC: the range a nightly run at `now` reconciles. */
export function previousDay(now: number): ReconciliationRange {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return { from: new Date(today - DAY_MS).toISOString(), to: new Date(today).toISOString() };
}

const magentoTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const heartlandTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function collect<T>(source: AsyncIterable<T>, kind: string, truncated: string[]): Promise<T[]> {
  const out: T[] = [];
  for await (const row of source) {
    if (out.length >= MAX_RECORDS) {
      truncated.push(kind);
      break;
    }
    out.push(row);
  }
  return out;
}

/** Every page of a Magento search (invoices and credit memos have no `all`). */
async function* magentoPages<T>(search: (page: number) => Promise<{ items: T[]; total_count: number }>, pageSize: number): AsyncGenerator<T> {
  for (let page = 1; ; page++) {
    const res = await search(page);
    yield* res.items;
    if (res.items.length < pageSize || page * pageSize >= res.total_count) return;
  }
}

function checkRange(range: ReconciliationRange): { from: number; to: number } {
  const from = Date.parse(range?.from);
  const to = Date.parse(range?.to);
  if (Number.isNaN(from)) throw new TypeError(`from: expected an ISO-8601 time, not ${JSON.stringify(range?.from)}`);
  if (Number.isNaN(to)) throw new TypeError(`to: expected an ISO-8601 time, not ${JSON.stringify(range?.to)}`);
  if (to <= from) throw new TypeError(`to: must be after from (${range.from})`);
  if (to - from > 31 * DAY_MS) throw new TypeError('to: a reconciliation covers at most 31 days');
  return { from, to };
}

/** Reads both sides for the range, reconciles and stores the report. */
export async function runOrderReconciliation(range: ReconciliationRange, ctx: Pick<TaskContext, 'state' | 'files' | 'clock' | 'client'>): Promise<ReconciliationRun> {
  const { from, to } = checkRange(range);
  // The web order number lives in the custom field the merchant's mapping names (default ecommerce_number).
  const { ecommerceNumberField } = effectiveOptions(await createMappingRepository(ctx.state).effective());
  const commerce = ctx.client('commerce');
  const hl = ctx.client('heartland');
  const truncated: string[] = [];
  const pageSize = 200;
  const createdBetween = () => searchCriteria().where('created_at', magentoTime(from - SLACK_MS), 'gteq').where('created_at', magentoTime(to + SLACK_MS), 'lt').sortBy('entity_id').page(pageSize);
  const hlCreated = { created_at: { $gte: heartlandTime(from - SLACK_MS), $lt: heartlandTime(to + SLACK_MS) } };

  const [mOrders, mInvoices, mMemos, hOrders, hPayments, hReturns] = await Promise.all([
    collect(commerce.orders.all(createdBetween()), 'magento.orders', truncated),
    collect(magentoPages((page) => commerce.invoices.search(createdBetween().page(pageSize, page)), pageSize), 'magento.invoices', truncated),
    collect(magentoPages((page) => commerce.creditMemos.search(createdBetween().page(pageSize, page)), pageSize), 'magento.creditMemos', truncated),
    collect(hl.orders.iterate({ filter: hlCreated }), 'heartland.orders', truncated),
    collect(hl.payments.iterate({ filter: hlCreated }), 'heartland.payments', truncated),
    collect(hl.tickets.iterate({ type: 'Return', filter: hlCreated }), 'heartland.returns', truncated),
  ]);
  // Only web orders belong in the report: a POS sale has no Magento side by design.
  const webOrders = hOrders.filter((o) => o.custom?.[ecommerceNumberField] !== undefined && o.custom?.[ecommerceNumberField] !== null && o.custom?.[ecommerceNumberField] !== '');
  const webOrderIds = new Set(webOrders.map((o) => o.id));
  const result = reconcile({
    magento: { orders: mOrders, invoices: mInvoices, creditMemos: mMemos },
    heartland: { orders: webOrders, payments: hPayments.filter((p) => p.order_id !== null && p.order_id !== undefined && webOrderIds.has(p.order_id)), returns: hReturns },
    from: range.from,
    to: range.to,
    ecommerceNumberField,
  });
  const report = await createReconciliationReports({ files: ctx.files, clock: ctx.clock }).save(result);
  return {
    report,
    summary: result.summary,
    truncated,
    read: { magentoOrders: mOrders.length, magentoInvoices: mInvoices.length, magentoCreditMemos: mMemos.length, heartlandOrders: webOrders.length, heartlandPayments: hPayments.length, heartlandReturns: hReturns.length },
  };
}

type NightlyChunk = { step: 'reconcile'; range: ReconciliationRange } | { step: 'rebuild-anomaly-index' };

/** At `settings.schedules.nightlyHourUtc`: yesterday's reconciliation, and the anomaly index rebuild. */
export const reconciliationJob = defineJob<NightlyChunk>({
  name: RECONCILIATION_JOB,
  hour: 2,
  hourFromSettings: async (state) => (await loadConnectorSettings(state)).schedules.nightlyHourUtc,
  async plan(ctx) {
    return [{ step: 'reconcile', range: previousDay(ctx.clock.now()) }, { step: 'rebuild-anomaly-index' }];
  },
  async runChunk(chunk, ctx) {
    if (chunk.step === 'rebuild-anomaly-index') return createAnomalyRepository({ state: ctx.state, files: ctx.files, clock: ctx.clock }).rebuildIndex();
    const run = await runOrderReconciliation(chunk.range, ctx);
    ctx.logger.info('order reconciliation stored', { report: run.report.name, mismatches: run.summary.mismatches, truncated: run.truncated });
    return { report: run.report.name, mismatches: run.summary.mismatches, truncated: run.truncated };
  },
  // Reading a day of both systems takes minutes on a busy store.
  chunkLeaseMs: 15 * 60_000,
  parallelChunks: 2,
});

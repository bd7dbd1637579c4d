/**
 * GET reports/reconciliation: orders, payments and refunds read from both systems for the range
 * and matched by lib/insights `reconcile`; JSON in the contract's shape or CSV with its header.
 */
import type { ReconciliationResponse } from './contract';
import { reconcile, ReconcileInputError } from '../insights/reconcile';
import { mappingRepository } from './mappings';
import { effectiveOptions } from '../mapping/layering';
import { HttpError } from '../runtime/http-error';
import type { AdminContext } from './context';
import { readHeartlandSales, readMagentoSales } from './source-reads';
import { DAY_MS, parseTimeRange } from './time-range';

/** Records of one order can be created on either side of midnight; both sides are read a day wider. */
const MARGIN_MS = DAY_MS;

export async function reconciliationReport(query: { from?: string; to?: string }, ctx: AdminContext): Promise<ReconciliationResponse> {
  const range = parseTimeRange(query, { now: ctx.deps.platform.clock.now(), defaultMs: 7 * DAY_MS, maxMs: 31 * DAY_MS, what: 'the reconciliation report' });
  const wide = { fromMs: range.fromMs - MARGIN_MS, toMs: range.toMs + MARGIN_MS };
  const [magento, heartland, effective] = await Promise.all([
    readMagentoSales(wide, ctx),
    readHeartlandSales(wide, ctx, { orders: true, tickets: false }),
    mappingRepository(ctx).effective(),
  ]);
  let result: ReturnType<typeof reconcile>;
  try {
    result = reconcile({
      magento,
      heartland: { orders: heartland.orders, payments: heartland.payments, returns: heartland.returns },
      from: new Date(range.fromMs).toISOString(),
      to: new Date(range.toMs).toISOString(),
      ecommerceNumberField: effectiveOptions(effective).ecommerceNumberField,
    });
  } catch (error) {
    // The systems answered something reconcile cannot read: an upstream problem, not the caller's.
    if (error instanceof ReconcileInputError) throw new HttpError(502, 'upstream_data', `a record read for the report is not in the expected shape: ${error.message}`);
    throw error;
  }
  const rows = result.rows.map((r) => ({ kind: r.kind, magentoRef: r.magentoRef, heartlandRef: r.heartlandRef, magentoAmount: r.magentoAmount, heartlandAmount: r.heartlandAmount, status: r.status }));
  const count = (status: string) => rows.filter((r) => r.status === status).length;
  return {
    rows,
    summary: {
      from: result.summary.from,
      to: result.summary.to,
      total: rows.length,
      matched: count('matched'),
      missingInHeartland: count('missing_in_heartland'),
      missingInMagento: count('missing_in_magento'),
      amountMismatch: count('amount_mismatch'),
    },
  };
}


/**
 * The stock drift report (issue 8): what the last full inventory reconciliation found different
 * between Heartland (the formula quantity) and Magento's source items, per SKU and source, and the
 * one-click fix that pushes chosen SKUs from Heartland again. The report itself is written by the
 * inventory area (lib/flows/inventory/reconcile.ts); this module only shapes it for the panel.
 */
import type { DriftFixResponse, DriftResponse, DriftRowView } from './contract';
import { fixDrift, readDriftReport, type DriftReport } from '../flows/inventory';
import { HttpError } from '../runtime/http-error';
import type { AdminContext } from './context';

/** How a merchant starts the first run, named in the 404 so the panel and the CLI can say it. */
const HOW_TO_START = 'start one with POST sync/inventory {"full": true} (the panel\'s "Run full reconciliation" button, or `hcc sync inventory --full`)';

function rowsOf(report: DriftReport): DriftRowView[] {
  // The salable comparison is per SKU (a sample of drifting SKUs per chunk); every source row of that SKU shows it.
  const salable = new Map(report.salable.map((s) => [s.sku, s]));
  return report.rows.map((row) => {
    const s = salable.get(row.sku);
    return s ? { ...row, heartlandAvailable: s.heartlandAvailable, magentoSalable: s.magentoSalable } : { ...row };
  });
}

export async function driftReport(query: { runId?: string }, ctx: AdminContext): Promise<DriftResponse> {
  const report = await readDriftReport(ctx.deps.platform.files, query.runId);
  if (!report) throw new HttpError(404, 'no_reconciliation', `no stock reconciliation has run yet; ${HOW_TO_START}`);
  // A given run id with no chunk file and no record as the latest run is a run that does not exist.
  if (query.runId && report.chunksReported === 0 && report.startedAt === undefined) {
    throw new HttpError(404, 'unknown_run', `runId: no stock reconciliation run "${query.runId}"; omit runId for the latest run`, 'runId');
  }
  return {
    runId: report.runId,
    at: report.startedAt ?? null,
    rows: rowsOf(report),
    summary: {
      skus: report.items,
      drifting: report.drift,
      missingInMagento: report.missingInMagento,
      complete: report.chunksReported >= report.chunks,
      held: report.held,
    },
  };
}

export async function fixStockDrift(skus: string[], ctx: AdminContext): Promise<DriftFixResponse> {
  const unique = [...new Set(skus)];
  const result = await fixDrift(unique, ctx.deps);
  const response: DriftFixResponse = {
    fixed: unique.length - result.unknownSkus.length,
    unknownSkus: result.unknownSkus,
    sourceItems: result.held ? 0 : result.push.items,
    writeCalls: result.push.writeCalls,
  };
  if (result.held) response.held = result.held;
  return response;
}

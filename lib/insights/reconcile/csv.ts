/**
 * The reconciliation report as CSV for the panel's download and for spreadsheets. Text cells
 * that start with a formula character get a leading apostrophe: an order number like `=HYPERLINK(…)`
 * from a hostile checkout must not run in the merchant's spreadsheet.
 */
import type { ReconcileRow } from './reconcile';

const COLUMNS = ['kind', 'order_number', 'magento_ref', 'heartland_ref', 'magento_amount', 'heartland_amount', 'difference', 'status'] as const;

function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly ReconcileRow[]): string {
  const lines = [COLUMNS.join(',')];
  for (const row of rows) {
    const difference = row.magentoAmount !== null && row.heartlandAmount !== null ? Math.round((row.heartlandAmount - row.magentoAmount) * 100) / 100 : null;
    lines.push([row.kind, row.orderNumber, row.magentoRef, row.heartlandRef, row.magentoAmount, row.heartlandAmount, difference, row.status].map(cell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** Reconciliation of web orders, payments and refunds across Magento and Heartland; JSON rows and CSV. */
export { reconcile, ReconcileInputError, type ReconcileInput, type ReconcileKind, type ReconcileRow, type ReconcileStatus, type ReconcileSummary } from './reconcile';
export { toCsv } from './csv';
export { createReconciliationReports, type StoredReport } from './report-store';

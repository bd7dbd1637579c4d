/**
 * Stored reconciliation reports (the nightly run, DESIGN.md §4): JSON and CSV side by side in the
 * FileStore under `reports/reconciliation/`, named by range and run time so reruns never overwrite.
 */
import type { Clock, FileStore } from '../../platform/ports';
import { systemClock } from '../../platform/ports';
import type { ReconcileRow, ReconcileSummary } from './reconcile';
import { toCsv } from './csv';

const FOLDER = 'reports/reconciliation/';
const compact = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export interface StoredReport {
  name: string;
  jsonPath: string;
  csvPath: string;
}

export function createReconciliationReports(deps: { files: FileStore; clock?: Clock }) {
  const clock = deps.clock ?? systemClock;
  return {
    async save(result: { rows: ReconcileRow[]; summary: ReconcileSummary }): Promise<StoredReport> {
      const name = `${compact(result.summary.from)}_${compact(result.summary.to)}_run${compact(new Date(clock.now()).toISOString())}`;
      const jsonPath = `${FOLDER}${name}.json`;
      const csvPath = `${FOLDER}${name}.csv`;
      await deps.files.write(jsonPath, JSON.stringify({ ...result, generatedAt: new Date(clock.now()).toISOString() }));
      await deps.files.write(csvPath, toCsv(result.rows));
      return { name, jsonPath, csvPath };
    },
    /** Stored report names, newest run first. */
    async list(): Promise<string[]> {
      const paths = await deps.files.list(FOLDER);
      const names = new Set(paths.filter((p) => p.endsWith('.json')).map((p) => p.slice(FOLDER.length, -'.json'.length)));
      return [...names].sort((a, b) => b.split('_run')[1].localeCompare(a.split('_run')[1]) || b.localeCompare(a));
    },
    async read(name: string, format: 'json' | 'csv' = 'json'): Promise<string | undefined> {
      if (!/^[0-9TZ_run]+$/.test(name)) return undefined;
      return (await deps.files.read(`${FOLDER}${name}.${format}`))?.toString('utf8');
    },
  };
}

/**
 * `hcc report channels --from DATE --to DATE [--csv]`: web vs store figures per day from the daily
 * aggregates the scheduler keeps (lib/insights/channels; days it has not stored, e.g. older than
 * its month, are computed here, since an operator asked for that period), the same
 * computation the panel's Insights page shows (lib/admin/channel-insights.ts), read from both
 * systems with the connection settings in the environment. The CSV has a `channel` column.
 */
import type { Command } from 'commander';
import { createConnector } from '../../connector';
import { channelInsights, insightsTable, MAX_INSIGHT_DAYS } from '../../admin/channel-insights';
import { toCsv } from '../../admin/csv';
import type { AdminContext } from '../../admin/context';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface ReportIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: Record<string, string | undefined>;
}

export async function runChannelsReport(options: { from: string; to: string; csv?: boolean; json?: boolean }, io: ReportIo): Promise<number> {
  for (const field of ['from', 'to'] as const) {
    if (!DATE.test(options[field]) || Number.isNaN(Date.parse(options[field]))) {
      io.err(`hcc report channels: --${field} must be a date as YYYY-MM-DD, got "${options[field]}"\n`);
      return 1;
    }
  }
  if (options.from > options.to) {
    io.err(`hcc report channels: --from (${options.from}) is after --to (${options.to})\n`);
    return 1;
  }
  const inputs = io.env ?? process.env;
  const connector = createConnector({ inputs });
  const ctx: AdminContext = {
    connector,
    deps: connector.deps,
    inputs: Object.fromEntries(Object.entries(inputs).filter((e): e is [string, string] => typeof e[1] === 'string')),
    actor: 'hcc',
    correlationId: `hcc-report-${Date.now().toString(36)}`,
    logger: connector.deps.platform.logger,
    hooks: {},
    interactiveTuning: {},
  };
  const data = await channelInsights({ from: options.from, to: options.to }, ctx, { maxComputeDays: MAX_INSIGHT_DAYS });
  if (options.json) {
    io.out(JSON.stringify(data, null, 2) + '\n');
    return 0;
  }
  const days = insightsTable(data, 'days');
  if (options.csv) {
    io.out(toCsv(days.columns, days.rows));
    return 0;
  }
  const rows = days.rows.map((r) => days.columns.map((c) => String(r[c] ?? '')));
  const widths = days.columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  io.out([fmt(days.columns), ...rows.map(fmt)].join('\n') + '\n');
  const { web, store } = data.totals;
  io.out(`totals: web ${web.netSales} net in ${web.orders} orders; store ${store.netSales} net in ${store.orders} tickets\n`);
  return 0;
}

export function registerReportCommand(program: Command): void {
  const report = program.command('report').description('reports across both systems');
  report
    .command('channels')
    .description('web vs store figures for a period')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last day (YYYY-MM-DD)')
    .option('--csv', 'CSV with a channel column')
    .option('--json', 'the full insights document as JSON')
    .action(async (options: { from: string; to: string; csv?: boolean; json?: boolean }) => {
      try {
        process.exitCode = await runChannelsReport(options, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
      } catch (error) {
        process.stderr.write(`hcc report channels: ${(error as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}

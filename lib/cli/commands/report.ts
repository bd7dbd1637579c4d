import type { Command } from 'commander';
import { notAvailableYet } from './not-available';

export function registerReportCommand(program: Command): void {
  const report = program.command('report').description('reports across both systems');
  report
    .command('channels')
    .description('web vs store figures for a period')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last day (YYYY-MM-DD)')
    .option('--csv', 'CSV with a channel column')
    .action(notAvailableYet('report channels', 'channel insights'));
}

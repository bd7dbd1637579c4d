import type { Command } from 'commander';
import { notAvailableYet } from './not-available';

export function registerDlqCommand(program: Command): void {
  const dlq = program.command('dlq').description('dead letters: units of work that could not be completed');
  dlq
    .command('list')
    .description('list dead letters')
    .option('--flow <flow>', 'only this flow')
    .option('--json', 'print JSON')
    .action(notAvailableYet('dlq list', 'the sync pipeline'));
  dlq
    .command('replay')
    .description('replay dead letters after a fix')
    .argument('[ids...]', 'dead letter ids')
    .option('--flow <flow>', 'every dead letter of this flow')
    .option('--all', 'every dead letter')
    .action(notAvailableYet('dlq replay', 'the sync pipeline'));
}

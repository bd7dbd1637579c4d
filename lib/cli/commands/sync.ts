import type { Command } from 'commander';
import { notAvailableYet } from './not-available';

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('run a flow now (order, shipment, inventory, product, customer, refund, gift-card, ...)')
    .argument('<flow>', 'flow name')
    .option('--full', 'full run instead of changes since the last cursor')
    .action(notAvailableYet('sync', 'the sync pipeline'));
}

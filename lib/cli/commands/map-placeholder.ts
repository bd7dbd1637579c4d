/** `hcc map` until lib/cli/commands/map.ts (the mapping engine's command) is present. */
import type { Command } from 'commander';
import { notAvailableYet } from './not-available';

export function registerMapPlaceholder(program: Command): void {
  program
    .command('map')
    .description('dry-run a mapping: a source payload to canonical JSON or to the planned target requests')
    .argument('<entity>', 'order, customer, product, stock, shipment, refund or gift-card')
    .requiredOption('--from <system>', 'commerce or heartland')
    .option('--to <target>', 'canonical (default), heartland or commerce')
    .option('--in <file>', 'payload file, or - for stdin')
    .option('--mapping <file>', 'mapping document to use instead of the built-in one')
    .action(notAvailableYet('map', 'the mapping engine'));
}

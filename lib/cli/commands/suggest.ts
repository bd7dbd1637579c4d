import type { Command } from 'commander';
import { notAvailableYet } from './not-available';

export function registerSuggestCommand(program: Command): void {
  program
    .command('suggest')
    .description('suggest field mappings from a sample payload')
    .requiredOption('--from <file>', 'sample payload (JSON)')
    .requiredOption('--to <target>', 'heartland:<entity> or commerce:<entity>')
    .option('--json', 'print [{source, target, confidence, reason}]')
    .action(notAvailableYet('suggest', 'mapping suggestions'));
}

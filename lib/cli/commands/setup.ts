import type { Command } from 'commander';
import { notAvailableYet } from './not-available';

export function registerSetupCommand(program: Command): void {
  program
    .command('setup')
    .description('interactive first-time setup: credentials, locations, payment and shipping maps')
    .action(notAvailableYet('setup', 'the settings flow'));
}

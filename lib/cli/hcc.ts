/**
 * `hcc`: the connector's command line for integration engineers (CONTRACTS.md "CLI").
 * Each command registers itself from lib/cli/commands/<name>.ts. Settings come from the shell,
 * then `.env` in the working directory, like `npm start` and `aio app deploy`.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { config as loadDotenv } from 'dotenv';
import { registerDlqCommand } from './commands/dlq';
import { registerDoctorCommand } from './commands/doctor';
import { registerMapCommand } from './commands/map';
import { registerReportCommand } from './commands/report';
import { registerSetupCommand } from './commands/setup';
import { registerSuggestCommand } from './commands/suggest';
import { registerSyncCommand } from './commands/sync';

type Register = (program: Command) => void;

export async function buildProgram(): Promise<Command> {
  const program = new Command('hcc')
    .description('Heartland Commerce Connector: mappings, syncs, dead letters and connection checks')
    .option('--settings <file>', 'settings file to read instead of .env (the sandbox values are in .env.example)')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) })
    .hook('preAction', (command) => {
      // Shell variables win over the file, as with npm start and aio.
      const file = (command.opts() as { settings?: string }).settings;
      if (file && !existsSync(file)) throw new CommanderError(1, 'hcc.settingsFile', `hcc: --settings ${file} does not exist`);
      loadDotenv({ path: file ?? '.env', quiet: true });
    });
  const registrations: Register[] = [
    registerMapCommand,
    registerSuggestCommand,
    registerSyncCommand,
    registerDlqCommand,
    registerSetupCommand,
    registerDoctorCommand,
    registerReportCommand,
  ];
  for (const register of registrations) register(program);
  return program;
}

/** Runs the CLI and returns the exit code (usage errors: 1, as commander reports them). */
export async function runCli(argv: string[]): Promise<number> {
  const program = await buildProgram();
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'hcc.settingsFile') {
      process.stderr.write(error.message + '\n');
      return error.exitCode;
    }
    if (error instanceof CommanderError) return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : error.exitCode || 1;
    throw error;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // Usage and input errors are handled by the commands; this is a bug: message only.
      process.stderr.write(`hcc: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}

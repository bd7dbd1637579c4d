/**
 * `npm run soak [-- --quick] [--seed N] [--data-dir DIR] [--keep] [--heartland-rate N] [size flags]` — the fault-injection soak
 * (issue 6, sandbox/soak/run.ts). Progress goes to stderr; the JSON summary is printed LAST on
 * stdout. Exit code 0 only when nothing was lost, duplicated or left inconsistent and every dead
 * letter was a deliberately invalid input that ended done after the fix and replay.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseSoakArgs, SOAK_USAGE, type SoakArgs } from './soak/args';
import { runSoak } from './soak/run';

function fail(message: string): never {
  console.error(`soak: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args: SoakArgs;
  try {
    args = parseSoakArgs(process.argv.slice(2));
  } catch (error) {
    fail((error as Error).message);
  }
  if (args.help) {
    console.log(SOAK_USAGE);
    return;
  }
  const { profile } = args;
  const values = { 'data-dir': args.dataDir, keep: args.keep };
  // A soak compares both sides with its own ledger, so it must start from empty simulators.
  if (values['data-dir'] && existsSync(values['data-dir']) && readdirSync(values['data-dir']).length > 0) fail(`--data-dir ${values['data-dir']} is not empty; give a new or empty folder`);
  const dataDir = values['data-dir'] ? resolve(values['data-dir']) : mkdtempSync(resolve(tmpdir(), 'hcc-soak-'));
  const t0 = Date.now();
  const log = (line: string) => console.error(`${String(Math.round((Date.now() - t0) / 1000)).padStart(4)}s ${line}`);
  let code = 1;
  // Ctrl-C: the host child exits when its IPC channel closes; the temporary data goes too.
  const interrupted = () => {
    log('[soak] interrupted');
    if (!values.keep && !values['data-dir']) rmSync(dataDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const summary = await runSoak(profile, { dataDir, log });
    for (const p of summary.problems.slice(0, 20)) log(`[soak] problem (${p.check}) ${p.message}`);
    code = summary.ok ? 0 : 1;
    // The headline figures first (issue 6's shape), then what was and was not checked, then detail.
    const { orders, lost, duplicates, stockMismatches, shipmentMismatches, deadLettered, deadLetteredExpected, durationS, notChecked, ...detail } = summary;
    console.log(JSON.stringify({ orders, lost, duplicates, stockMismatches, shipmentMismatches, deadLettered, deadLetteredExpected, durationS, notChecked, ...detail }));
  } catch (error) {
    console.error(`[soak] failed: ${(error as Error).stack ?? error}`);
    console.log(JSON.stringify({ ok: false, error: (error as Error).message }));
  } finally {
    if (!values.keep && !values['data-dir']) rmSync(dataDir, { recursive: true, force: true });
    else log(`[soak] data kept in ${dataDir}`);
  }
  process.exit(code);
}

void main();

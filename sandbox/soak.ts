/**
 * `npm run soak [-- --quick] [--seed N] [--data-dir DIR] [--keep] [--heartland-rate N] [size flags]` — the fault-injection soak
 * (issue 6, sandbox/soak/run.ts). Progress goes to stderr; the JSON summary is printed LAST on
 * stdout. Exit code 0 only when nothing was lost, duplicated or left inconsistent and every dead
 * letter was a deliberately invalid input that ended done after the fix and replay.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PROFILE, QUICK_PROFILE, type SoakProfile } from './soak/profile';
import { MAX_HEARTLAND_RATE_PER_SECOND } from '../lib/config/settings';
import { runSoak } from './soak/run';

function fail(message: string): never {
  console.error(`soak: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        seed: { type: 'string' },
        'data-dir': { type: 'string' },
        keep: { type: 'boolean', default: false },
        'heartland-rate': { type: 'string' },
        orders: { type: 'string' },
        'stock-changes': { type: 'string' },
        invoices: { type: 'string' },
        'customer-edits': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(
      [
        'usage: npm run soak -- [--quick] [--seed N] [--data-dir DIR] [--keep] [--heartland-rate N] [--orders N --stock-changes N --invoices N --customer-edits N]',
        '  --quick             small workload (2–3 min on 2 busy cores), as run by npm test',
        '  --seed N            workload seed (same seed, same workload)',
        '  --data-dir          where state and simulator data go (default: a temporary folder)',
        '  --keep              keep the data folder afterwards (host log: DIR/host.log)',
        `  --heartland-rate N  the host's HEARTLAND_RATE_PER_SECOND input, 1–${MAX_HEARTLAND_RATE_PER_SECOND} (default profile ${DEFAULT_PROFILE.heartlandRatePerSecond}, quick ${QUICK_PROFILE.heartlandRatePerSecond})`,
        '  --orders N, --stock-changes N, --invoices N, --customer-edits N',
        '                      a custom-size workload (the rest as the chosen profile)',
      ].join('\n'),
    );
    return;
  }
  const base = values.quick ? QUICK_PROFILE : DEFAULT_PROFILE;
  let profile: SoakProfile = base;
  const integer = (flag: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) fail(`--${flag} must be an integer from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  if (values.seed !== undefined) profile = { ...profile, seed: integer('seed', values.seed, 0) };
  if (values['heartland-rate'] !== undefined) profile = { ...profile, heartlandRatePerSecond: integer('heartland-rate', values['heartland-rate'], 1, MAX_HEARTLAND_RATE_PER_SECOND) };
  const sizes = { orders: 'orders', 'stock-changes': 'stockChanges', invoices: 'invoices', 'customer-edits': 'customerEdits' } as const;
  for (const [flag, field] of Object.entries(sizes) as Array<[keyof typeof sizes, (typeof sizes)[keyof typeof sizes]]>) {
    const raw = values[flag];
    if (raw !== undefined) profile = { ...profile, name: 'custom', [field]: integer(flag, raw, flag === 'orders' ? 1 : 0) };
  }
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

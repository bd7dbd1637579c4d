/**
 * The soak's command line (`npm run soak -- …`), parsed into a workload profile. Bad flags are an
 * error naming the flag, never a silently different soak.
 */
import { parseArgs } from 'node:util';
import { MAX_HEARTLAND_RATE_PER_SECOND } from '../../lib/config/settings';
import { DEFAULT_PROFILE, QUICK_PROFILE, type SoakProfile } from './profile';

export interface SoakArgs {
  profile: SoakProfile;
  dataDir?: string;
  keep: boolean;
  help: boolean;
}

export class SoakArgsError extends Error {}

export const SOAK_USAGE = [
  'usage: npm run soak -- [--quick] [--seed N] [--data-dir DIR] [--keep] [--heartland-rate N] [--orders N --stock-changes N --invoices N --customer-edits N]',
  '  --quick             small workload (~75 s on 2 busy cores), as run by npm test',
  '  --seed N            workload seed (same seed, same workload)',
  '  --data-dir          where state and simulator data go (default: a temporary folder)',
  '  --keep              keep the data folder afterwards (host log: DIR/host.log)',
  `  --heartland-rate N  the host's HEARTLAND_RATE_PER_SECOND input, 1–${MAX_HEARTLAND_RATE_PER_SECOND} (default profile ${DEFAULT_PROFILE.heartlandRatePerSecond}, quick ${QUICK_PROFILE.heartlandRatePerSecond})`,
  '  --orders N, --stock-changes N, --invoices N, --customer-edits N',
  '                      a custom-size workload (the rest as the chosen profile)',
].join('\n');

/** Workload sizes settable from the command line, by flag. */
const SIZES = { orders: 'orders', 'stock-changes': 'stockChanges', invoices: 'invoices', 'customer-edits': 'customerEdits' } as const;

function integer(flag: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new SoakArgsError(`--${flag} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

export function parseSoakArgs(argv: string[]): SoakArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
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
    throw new SoakArgsError((error as Error).message);
  }
  let profile: SoakProfile = values.quick ? QUICK_PROFILE : DEFAULT_PROFILE;
  if (values.seed !== undefined) profile = { ...profile, seed: integer('seed', values.seed, 0) };
  if (values['heartland-rate'] !== undefined) profile = { ...profile, heartlandRatePerSecond: integer('heartland-rate', values['heartland-rate'], 1, MAX_HEARTLAND_RATE_PER_SECOND) };
  for (const [flag, field] of Object.entries(SIZES) as Array<[keyof typeof SIZES, (typeof SIZES)[keyof typeof SIZES]]>) {
    const raw = values[flag];
    // At least one valid order: the order, shipment and dead-letter checks need one to mean anything.
    if (raw !== undefined) profile = { ...profile, name: 'custom', [field]: integer(flag, raw, flag === 'orders' ? 1 : 0) };
  }
  return { profile, dataDir: values['data-dir'], keep: values.keep, help: values.help };
}

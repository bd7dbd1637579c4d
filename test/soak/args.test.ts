import { describe, expect, it } from 'vitest';
import { parseSoakArgs, SoakArgsError } from '../../sandbox/soak/args';
import { DEFAULT_PROFILE, QUICK_PROFILE } from '../../sandbox/soak/profile';

describe('soak command line', () => {
  it('runs issue 6 default workload with the raised Heartland rate when given no flags', () => {
    const args = parseSoakArgs([]);
    expect(args.profile).toEqual(DEFAULT_PROFILE);
    expect(args.profile).toMatchObject({ orders: 2000, stockChanges: 10_000, invoices: 500, customerEdits: 200, faultRate: 0.2, hostKills: 2, heartlandRatePerSecond: 50 });
    expect(args).toMatchObject({ keep: false, help: false, dataDir: undefined });
  });

  it('takes the quick profile, a seed, a data folder and --keep', () => {
    const args = parseSoakArgs(['--quick', '--seed', '11', '--data-dir', '/tmp/x', '--keep']);
    expect(args.profile).toEqual({ ...QUICK_PROFILE, seed: 11 });
    expect(args).toMatchObject({ dataDir: '/tmp/x', keep: true });
  });

  it('sets the host Heartland rate from --heartland-rate within the input bounds', () => {
    expect(parseSoakArgs(['--heartland-rate', '100']).profile.heartlandRatePerSecond).toBe(100);
    expect(parseSoakArgs(['--quick', '--heartland-rate', '5']).profile.heartlandRatePerSecond).toBe(5);
    expect(() => parseSoakArgs(['--heartland-rate', '101'])).toThrow(/--heartland-rate must be an integer from 1 to 100, got "101"/);
    expect(() => parseSoakArgs(['--heartland-rate', '0'])).toThrow(SoakArgsError);
    expect(() => parseSoakArgs(['--heartland-rate', 'fast'])).toThrow(/--heartland-rate/);
  });

  it('makes a custom-size workload from the size flags and keeps the rest of the chosen profile', () => {
    const args = parseSoakArgs(['--orders', '500', '--stock-changes', '2500', '--invoices', '125', '--customer-edits', '50']);
    expect(args.profile).toEqual({ ...DEFAULT_PROFILE, name: 'custom', orders: 500, stockChanges: 2500, invoices: 125, customerEdits: 50 });
    expect(parseSoakArgs(['--quick', '--orders', '3']).profile).toEqual({ ...QUICK_PROFILE, name: 'custom', orders: 3 });
    expect(parseSoakArgs(['--invoices', '0']).profile.invoices).toBe(0);
  });

  it('refuses sizes that are not whole numbers, zero orders and unknown flags, naming the flag', () => {
    expect(() => parseSoakArgs(['--orders', '0'])).toThrow(/--orders must be an integer from 1/);
    expect(() => parseSoakArgs(['--stock-changes', '-1'])).toThrow(/--stock-changes/);
    expect(() => parseSoakArgs(['--invoices', '2.5'])).toThrow(/--invoices/);
    expect(() => parseSoakArgs(['--customer-edits', ''])).toThrow(/--customer-edits/);
    expect(() => parseSoakArgs(['--seed', '-3'])).toThrow(/--seed/);
    expect(() => parseSoakArgs(['--order', '5'])).toThrow(SoakArgsError);
    expect(() => parseSoakArgs(['extra'])).toThrow(SoakArgsError);
  });
});

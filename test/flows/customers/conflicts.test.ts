import { describe, expect, it } from 'vitest';
import { resolveGroups } from '../../../lib/flows/customers/conflicts';
import { customerGroups, normalEmail, type CustomerGroups } from '../../../lib/flows/customers/field-groups';
import type { Customer } from '../../../lib/model/customer';

const base: CustomerGroups = { names: { firstName: 'Ann', lastName: 'Lee' }, email: 'ann@example.com', addresses: [], attributes: {} };
const withNames = (firstName: string): CustomerGroups => ({ ...base, names: { firstName, lastName: 'Lee' } });

describe('customer field groups', () => {
  it('emails compare trimmed and case-insensitive', () => {
    expect(normalEmail('  Ann@Example.COM ')).toBe('ann@example.com');
  });

  it('the same person read from either side reduces to the same groups (mapped attributes by Heartland name)', () => {
    const address = { firstName: 'Ann', lastName: 'Lee', company: null, line1: '1 Main St', line2: null, city: 'Boston', region: 'Massachusetts', regionCode: 'MA', postalCode: '02127', country: 'US', phone: '(555) 201-0100', sourceId: '9', isDefaultBilling: true, isDefaultShipping: true };
    const common = { email: 'Ann@example.com', firstName: 'Ann', lastName: 'Lee', phone: null, groupId: null, updatedAt: null, addresses: [address] };
    const fromMagento: Customer = { ...common, sourceSystem: 'commerce', sourceId: '1', attributes: { loyalty: '120' } };
    const fromHeartland: Customer = { ...common, sourceSystem: 'heartland', sourceId: '100001', attributes: { loyalty_points: 120 }, addresses: [{ ...address, phone: '555-201-0100', region: null }] };
    const map = [{ heartlandField: 'loyalty_points', magentoAttribute: 'loyalty' }];
    expect(customerGroups(fromMagento, map)).toEqual(customerGroups(fromHeartland, map));
  });
});

describe('resolveGroups', () => {
  const source = (groups: CustomerGroups, updatedAt: string) => ({ system: 'heartland' as const, groups, updatedAt });
  const target = (groups: CustomerGroups, updatedAt: string) => ({ system: 'commerce' as const, groups, updatedAt });

  it('an untouched target takes the change without a conflict', () => {
    const r = resolveGroups({ rule: 'newest-wins', source: source(withNames('Annie'), '2026-01-01T10:00:00Z'), target: target(base, '2026-01-01T11:00:00Z'), lastSeenTarget: base });
    expect(r).toEqual({ write: ['names'], kept: [], decisions: [] });
  });

  it('both edited the same group: newest wins, and the decision is recorded', () => {
    const older = resolveGroups({ rule: 'newest-wins', source: source(withNames('Annie'), '2026-01-01T10:00:00Z'), target: target(withNames('Anna'), '2026-01-01T11:00:00Z'), lastSeenTarget: base });
    expect(older.write).toEqual([]);
    expect(older.decisions).toEqual([{ group: 'names', winner: 'commerce', incoming: { firstName: 'Annie', lastName: 'Lee' }, kept: { firstName: 'Anna', lastName: 'Lee' } }]);
    const newer = resolveGroups({ rule: 'newest-wins', source: source(withNames('Annie'), '2026-01-01T12:00:00Z'), target: target(withNames('Anna'), '2026-01-01T11:00:00Z'), lastSeenTarget: base });
    expect(newer.write).toEqual(['names']);
    expect(newer.decisions[0]).toMatchObject({ group: 'names', winner: 'heartland' });
  });

  it('fixed rules ignore the timestamps', () => {
    const args = { source: source(withNames('Annie'), '2026-01-01T12:00:00Z'), target: target(withNames('Anna'), '2026-01-01T11:00:00Z'), lastSeenTarget: base };
    expect(resolveGroups({ rule: 'commerce-wins', ...args }).write).toEqual([]);
    expect(resolveGroups({ rule: 'heartland-wins', ...args }).write).toEqual(['names']);
  });

  it('different groups edited on each side merge without a conflict; the target keeps its own edit', () => {
    const targetGroups = { ...base, email: 'new@example.com' };
    const r = resolveGroups({ rule: 'newest-wins', source: source(withNames('Annie'), '2026-01-01T12:00:00Z'), target: target(targetGroups, '2026-01-01T11:00:00Z'), lastSeenTarget: base, lastSeenSource: base });
    expect(r).toEqual({ write: ['names'], kept: ['email'], decisions: [] });
  });

  it('never in step before (first match by email): every difference is decided by the rule', () => {
    const r = resolveGroups({ rule: 'heartland-wins', source: source(withNames('Annie'), '2026-01-01T10:00:00Z'), target: target({ ...base, email: 'x@example.com' }, '2026-01-01T11:00:00Z'), lastSeenTarget: undefined });
    expect(r.write).toEqual(['names', 'email']);
    expect(r.decisions.map((d) => d.group)).toEqual(['names', 'email']);
  });
});

import { describe, expect, it } from 'vitest';
import { FilterNode } from '../../lib/mapping/document';
import { evaluateFilter } from '../../lib/mapping/filters';

const order = {
  status: 'processing',
  customer: { groupId: '2', email: 'buyer@wholesale.example' },
  totals: { grand: 120.5 },
  placedAt: '2026-01-05T09:59:58.000Z',
  lines: [{ sku: 'A-1' }, { sku: 'GIFT-9' }],
  couponCode: null,
};
const decide = (node: unknown) => evaluateFilter(FilterNode.parse(node), order);

describe('filters', () => {
  it.each([
    [{ field: 'status', op: 'eq', value: 'processing' }, true],
    [{ field: 'status', op: 'neq', value: 'processing' }, false],
    [{ field: 'customer.groupId', op: 'eq', value: 2 }, true],
    [{ field: 'customer.groupId', op: 'in', value: ['1', '3'] }, false],
    [{ field: 'totals.grand', op: 'gt', value: 100 }, true],
    [{ field: 'totals.grand', op: 'gte', value: 120.5 }, true],
    [{ field: 'totals.grand', op: 'lt', value: 120.5 }, false],
    [{ field: 'totals.grand', op: 'lte', value: '120.50' }, true],
    [{ field: 'placedAt', op: 'gte', value: '2026-01-01' }, true],
    [{ field: 'customer.email', op: 'regex', value: '@wholesale\\.' }, true],
    [{ field: 'couponCode', op: 'exists' }, false],
    [{ field: 'couponCode', op: 'exists', value: false }, true],
    [{ field: 'lines[].sku', op: 'regex', value: '^GIFT-' }, true],
    [{ field: 'lines[].sku', op: 'neq', value: 'A-1' }, false],
    [{ all: [{ field: 'status', op: 'eq', value: 'processing' }, { field: 'totals.grand', op: 'gt', value: 1000 }] }, false],
    [{ any: [{ field: 'status', op: 'eq', value: 'canceled' }, { field: 'totals.grand', op: 'gt', value: 100 }] }, true],
    [{ all: [] }, true],
  ])('%j → run %s', (node, run) => {
    expect(decide(node).run).toBe(run);
  });

  it('no filter means run', () => expect(evaluateFilter(undefined, order)).toEqual({ run: true }));

  it('explains a skip in words, with the description', () => {
    expect(decide({ description: 'skip wholesale orders', field: 'customer.groupId', op: 'neq', value: '2' })).toEqual({
      run: false,
      reason: 'skip wholesale orders: customer.groupId is "2", expected not equal to "2"',
    });
    expect(decide({ field: 'shippingAddress.country', op: 'in', value: ['US'] })).toEqual({ run: false, reason: 'shippingAddress.country is missing, expected one of ["US"]' });
    expect(decide({ description: 'big or canceled', any: [{ field: 'status', op: 'eq', value: 'canceled' }, { field: 'totals.grand', op: 'gt', value: 1000 }] })).toEqual({
      run: false,
      reason: 'big or canceled: none of these held: status is "processing", expected equal to "canceled"; totals.grand is 120.5, expected greater than 1000',
    });
  });
});

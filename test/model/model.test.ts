import { describe, expect, it } from 'vitest';
import { allocateMoney, money, sumMoney } from '../../lib/model/money';
import { abbreviateStreet, streetLines, toTwoLines } from '../../lib/model/address-standards';
import { countryCode, resolveRegion } from '../../lib/model/regions';
import { isPlaceholder, parsePlaceholder, placeholder, placeholdersIn, resolvePlaceholders } from '../../lib/model/planned-request';
import { Order } from '../../lib/model/order';
import { formatPath } from '../../lib/model/field-issues';

describe('money', () => {
  it.each([[1.005, 1.01], [-1.005, -1.01], [0.1 + 0.2, 0.3], [2.675, 2.68], [1e-7, 0], [-0.001, 0], [165, 165], [123.456789, 123.46]])('money(%s) = %s', (input, out) => {
    expect(money(input)).toBe(out);
    expect(Object.is(money(input), -0)).toBe(false);
  });
  it('rejects what is not a number', () => expect(() => money(Number.NaN)).toThrow(RangeError));
  it('sums once and allocates cent-exact', () => {
    expect(sumMoney([0.1, 0.2, 0.3])).toBe(0.6);
    expect(allocateMoney(10, [1, 1, 1])).toEqual([3.34, 3.33, 3.33]);
    expect(allocateMoney(0.05, [0, 0])).toEqual([0.03, 0.02]);
    expect(allocateMoney(7.77, [30, 20, 20]).reduce((a, b) => a + b, 0)).toBeCloseTo(7.77, 10);
    expect(allocateMoney(5, [])).toEqual([]);
  });
});

describe('addresses', () => {
  it('keeps every street line: the third and later join line 2', () => {
    expect(toTwoLines(['1 Main', '', ' Unit 2 ', 'Floor 3'])).toEqual({ line1: '1 Main', line2: 'Unit 2, Floor 3' });
    expect(toTwoLines([])).toEqual({ line1: '', line2: null });
    expect(streetLines('1 Main\nUnit 2')).toEqual(['1 Main', 'Unit 2']);
  });
  it('resolves region code and name both ways, leaving unknown countries alone', () => {
    expect(resolveRegion('US', null, 'ny')).toEqual({ region: 'New York', regionCode: 'NY' });
    expect(resolveRegion('US', 'new york', null)).toEqual({ region: 'New York', regionCode: 'NY' });
    expect(resolveRegion('CA', 'Québec', null)).toEqual({ region: 'Quebec', regionCode: 'QC' });
    expect(resolveRegion('DE', 'Bayern', null)).toEqual({ region: 'Bayern', regionCode: null });
  });
  it('reads countries as ISO-2 from codes and names', () => {
    expect(['us', 'USA', 'United States', 'Deutschland', 'GBR', 'Atlantis', ''].map(countryCode)).toEqual(['US', 'US', 'US', 'DE', 'GB', undefined, undefined]);
  });
  it('abbreviates street types on request', () => {
    expect(abbreviateStreet('12 West Elm Street, Suite 4')).toBe('12 W Elm St, Ste 4');
    expect(abbreviateStreet('12 Elm St.')).toBe('12 Elm St');
  });
});

describe('placeholders', () => {
  it('build, detect, parse and resolve', () => {
    const p = placeholder('heartland.item_id', { sku: 'ABC' });
    expect(p).toBe('{{heartland.item_id sku=ABC}}');
    expect(isPlaceholder(p)).toBe(true);
    expect(isPlaceholder('ABC')).toBe(false);
    expect(parsePlaceholder('{{heartland.payment_type_id name="Check / Money order"}}')).toEqual({ name: 'heartland.payment_type_id', keys: { name: 'Check / Money order' } });
    const plan = [{ path: `/sales/orders/${placeholder('heartland.sales_order_id', { ecommerce_number: '1' })}/lines`, body: { item_id: p, other: placeholder('x.y') } }];
    expect(placeholdersIn(plan)).toEqual(['{{heartland.sales_order_id ecommerce_number=1}}', '{{heartland.item_id sku=ABC}}', '{{x.y}}']);
    const resolved = resolvePlaceholders(plan, (name, keys) => (name === 'heartland.item_id' ? (keys.sku === 'ABC' ? 100777 : undefined) : name === 'heartland.sales_order_id' ? 900 : undefined));
    expect(resolved).toEqual([{ path: '/sales/orders/900/lines', body: { item_id: 100777, other: '{{x.y}}' } }]);
  });
});

describe('canonical order schema', () => {
  it('names the faulty field', () => {
    const r = Order.safeParse({ externalId: '', lines: [] }, { reportInput: true });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => formatPath(i.path))).toEqual(expect.arrayContaining(['externalId', 'lines', 'customer', 'totals']));
  });
});

describe('field issue wording', () => {
  it('rewords zod defaults for empty text, short lists and out-of-range numbers', async () => {
    const { z } = await import('zod');
    const { zodIssues } = await import('../../lib/model/field-issues');
    const schema = z.object({ name: z.string().min(1), tags: z.array(z.string()).min(2), qty: z.number().min(1).max(10), n: z.number().positive('must be more than 0') });
    const r = schema.safeParse({ name: '', tags: ['a'], qty: 11, n: 0 }, { reportInput: true });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(zodIssues(r.error)).toEqual([
        { path: 'name', message: 'required' },
        { path: 'tags', message: 'needs at least 2 items' },
        { path: 'qty', message: 'must be at most 10, got 11' },
        { path: 'n', message: 'must be more than 0' },
      ]);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { Rule, type RuleInput, type ValueMap } from '../../lib/mapping/document';
import { applyRules, renderTemplate } from '../../lib/mapping/rules';
import { getAll, getPath, parsePath, setPath } from '../../lib/mapping/paths';
import { applyTransform, formatDate, Transform } from '../../lib/mapping/transforms';

const source = {
  externalId: '000000042',
  status: 'processing',
  customer: { email: '  JDoe@Example.com ', firstName: 'Jane', lastName: 'Doe' },
  lines: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: '2' }],
  placedAt: '2026-01-05 09:59:58',
  tags: 'web, gift , ',
  custom: { 'web?': 'yes' },
};
const valueMaps: Record<string, ValueMap> = {
  status: { entries: { processing: 'open', new: 'pending' } },
  withDefault: { entries: { a: 1 }, default: 'other' },
};
const run = (rules: RuleInput[], target: object = {}) => applyRules(rules.map((r) => Rule.parse(r)), source, target, { valueMaps, where: 'entities.order.toHeartland' });

describe('paths', () => {
  it('reads nested keys, indexes, every element and quoted keys', () => {
    expect(getPath(source, 'customer.firstName')).toBe('Jane');
    expect(getPath(source, 'lines[1].sku')).toBe('B');
    expect(getPath(source, 'lines[].sku')).toEqual(['A', 'B']);
    expect(getPath(source, 'custom["web?"]')).toBe('yes');
    expect(getPath(source, 'lines[5].sku')).toBeUndefined();
    expect(getAll(source, 'nothing.here')).toEqual([]);
  });
  it('writes creating objects and arrays on the way', () => {
    const t: Record<string, unknown> = {};
    setPath(t, 'custom.lines[1].sku', 'X');
    expect(t).toEqual({ custom: { lines: [undefined, { sku: 'X' }] } });
  });
  it.each(['', '.a', 'a..b', 'a[x]', 'a[', 'a b'])('rejects %j', (p) => expect(() => parsePath(p)).toThrow(/cannot read path/));
});

describe('transforms', () => {
  it.each([
    [{ op: 'trim' }, '  a ', 'a'],
    [{ op: 'upper' }, 'abc', 'ABC'],
    [{ op: 'lower' }, 'ÀBC', 'àbc'],
    [{ op: 'number' }, ' 12.50 ', 12.5],
    [{ op: 'number' }, ['1', 2], [1, 2]],
    [{ op: 'date', format: 'YYYY-MM-DD' }, '2026-01-05 23:59:58', '2026-01-05'],
    [{ op: 'date', format: 'DD/MM/YYYY HH:mm' }, '2026-01-05T10:07:00+02:00', '05/01/2026 08:07'],
    [{ op: 'date', format: 'iso' }, '2026-01-05 09:59:58', '2026-01-05T09:59:58.000Z'],
    [{ op: 'join', separator: ' | ' }, ['a', '', null, 'b'], 'a | b'],
    [{ op: 'split', separator: ',' }, 'web, gift , ', ['web', 'gift']],
    [{ op: 'default', value: 'n/a' }, '', 'n/a'],
    [{ op: 'default', value: 'n/a' }, 'kept', 'kept'],
  ])('%j on %j', (t, input, expected) => {
    expect(applyTransform(input, Transform.parse(t))).toEqual(expected);
  });
  it('reports values it cannot convert', () => {
    expect(() => applyTransform('abc', Transform.parse('number'))).toThrow('expected a number, got "abc"');
    expect(() => formatDate('yesterday', 'YYYY')).toThrow('cannot read "yesterday" as a date');
  });
});

describe('rules', () => {
  it('copy, constant, template and lookup write their targets', () => {
    const r = run([
      { kind: 'copy', target: 'email', source: 'customer.email', transforms: ['trim', 'lower'] },
      { kind: 'constant', target: 'custom.source_system', value: 'magento' },
      { kind: 'template', target: 'note', template: 'Web order {{externalId}} for {{ customer.firstName }} {{customer.lastName}}{{missing}}' },
      { kind: 'lookup', target: 'status', source: 'status', map: 'status' },
      { kind: 'copy', target: 'skus', source: 'lines[].sku', transforms: [{ op: 'join', separator: ',' }] },
      { kind: 'copy', target: 'tags', source: 'tags', transforms: [{ op: 'split', separator: ',' }] },
      { kind: 'copy', target: 'day', source: 'placedAt', transforms: [{ op: 'date', format: 'YYYY-MM-DD' }] },
    ], { keep: true });
    expect(r).toEqual({
      ok: true,
      applied: expect.any(Array),
      value: { keep: true, email: 'jdoe@example.com', custom: { source_system: 'magento' }, note: 'Web order 000000042 for Jane Doe', status: 'open', skus: 'A,B', tags: ['web', 'gift'], day: '2026-01-05' },
    });
  });

  it('leaves the target alone on a lookup miss without a default, and uses the default when there is one', () => {
    const r = run([
      { kind: 'lookup', target: 'a', source: 'customer.firstName', map: 'status' },
      { kind: 'lookup', target: 'b', source: 'customer.firstName', map: 'withDefault' },
    ], { a: 'built-in' });
    expect(r.ok && r.value).toEqual({ a: 'built-in', b: 'other' });
  });

  it('skips disabled rules and rules whose condition does not hold', () => {
    const r = run([
      { kind: 'constant', target: 'a', value: 1, enabled: false },
      { kind: 'constant', target: 'b', value: 2, when: { field: 'status', op: 'eq', value: 'canceled' } },
      { kind: 'constant', target: 'c', value: 3, when: { field: 'status', op: 'eq', value: 'processing' } },
    ]);
    expect(r.ok && r.value).toEqual({ c: 3 });
  });

  it('a later rule wins on the same target; the input target is not mutated', () => {
    const target = { x: 0 };
    const r = run([{ kind: 'constant', target: 'x', value: 1 }, { kind: 'constant', target: 'x', value: 2 }], target);
    expect(r.ok && r.value).toEqual({ x: 2 });
    expect(target).toEqual({ x: 0 });
  });

  it('reports a rule that cannot compute its value with its position', () => {
    const r = run([{ kind: 'constant', target: 'ok', value: 1 }, { kind: 'copy', target: 'qty', source: 'customer.email', transforms: ['number'] }]);
    expect(r).toEqual({ ok: false, issues: [{ path: 'entities.order.toHeartland.rules[1].target', message: 'qty (source customer.email): expected a number, got "  JDoe@Example.com "' }] });
  });

  it('renders templates with missing values as empty text', () => {
    expect(renderTemplate('{{a}}-{{b.c}}', { a: 1 })).toBe('1-');
  });
});

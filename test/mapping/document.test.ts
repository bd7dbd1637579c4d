import { describe, expect, it } from 'vitest';
import { checkReferences, parseMappingDocument } from '../../lib/mapping/document';
import { defaultMappingDocument } from '../../lib/mapping/defaults/document';
import { layerMapping } from '../../lib/mapping/layering';

const rules = (list: unknown[]) => ({ entities: { order: { toHeartland: { rules: list } } } });
const copy = { kind: 'copy', target: 'custom.channel', source: 'storeId' };

describe('mapping documents', () => {
  it('accepts the shipped defaults and an empty override', () => {
    expect(parseMappingDocument(defaultMappingDocument()).ok).toBe(true);
    const empty = parseMappingDocument({});
    expect(empty.ok && empty.document).toMatchObject({ schemaVersion: 1, valueMaps: {}, entities: {} });
  });

  it('fills rule defaults: enabled, no transforms; accepts transform shorthands', () => {
    const r = parseMappingDocument(rules([{ ...copy, transforms: ['trim', { op: 'date', format: 'YYYY-MM-DD' }] }]));
    expect(r.ok && r.document.entities.order?.toHeartland?.rules[0]).toEqual({ ...copy, enabled: true, transforms: [{ op: 'trim' }, { op: 'date', format: 'YYYY-MM-DD' }] });
  });

  it.each([
    [rules([copy, copy, copy, { kind: 'copy', target: 'x' }]), 'entities.order.toHeartland.rules[3].source', 'required'],
    [rules([{ kind: 'lookup', target: 'x', source: 'status' }]), 'entities.order.toHeartland.rules[0].map', 'required'],
    [rules([{ kind: 'rename', target: 'x' }]), 'entities.order.toHeartland.rules[0].kind', 'expected one of "copy", "constant", "template", "lookup"'],
    [rules([{ ...copy, target: 'lines[].sku' }]), 'entities.order.toHeartland.rules[0].target', 'not a valid target path (no [] in targets)'],
    [rules([{ ...copy, source: 'a..b' }]), 'entities.order.toHeartland.rules[0].source', 'not a valid field path (e.g. customer.email, lines[0].sku, lines[].sku)'],
    [rules([{ ...copy, transforms: ['shout'] }]), 'entities.order.toHeartland.rules[0].transforms[0].op', 'expected one of "trim", "upper", "lower", "number", "date", "join", "split", "default"'],
    [rules([{ ...copy, enabled: 'yes' }]), 'entities.order.toHeartland.rules[0].enabled', 'expected true or false, got "yes"'],
    [{ entities: { order: { toHeartland: { filter: { field: 'status', op: 'regex', value: '([' } } } } }, 'entities.order.toHeartland.filter.value', 'not a valid regular expression: (['],
    [{ entities: { order: { toHeartland: { filter: { field: 'status', op: 'in', value: 'processing' } } } } }, 'entities.order.toHeartland.filter.value', 'in takes a list of values'],
    [{ entities: { order: { toHeartland: { filter: { all: [{ field: 'status' }] } } } } }, 'entities.order.toHeartland.filter.all[0].op', 'required'],
    [{ entities: { order: { toHeartland: { filter: { field: 'status', op: 'eq' } } } } }, 'entities.order.toHeartland.filter.value', 'required'],
    [{ entities: { order: { toHeartlnd: {} } } }, 'entities.order', 'unknown field toHeartlnd'],
    [{ entities: { invoice: {} } }, 'entities', 'unknown field invoice'],
    [{ valueMaps: { m: { entries: { a: { nested: true } } } } }, 'valueMaps.m.entries.a', 'expected a string or a number or true or false or null, got an object'],
    [{ schemaVersion: 2 }, 'schemaVersion', 'expected one of 1, got 2'],
  ])('rejects fault %# at its path', (input, path, message) => {
    const r = parseMappingDocument(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toContainEqual({ path, message });
  });

  it('checks that lookup rules name an existing value map, after layering', () => {
    const over = parseMappingDocument(rules([{ kind: 'lookup', target: 'x', source: 'status', map: 'order.status.canonicalToHeartland' }, { kind: 'lookup', target: 'y', source: 'status', map: 'nope' }]));
    if (!over.ok) throw new Error('parse');
    expect(checkReferences(layerMapping(defaultMappingDocument(), over.document))).toEqual([
      { path: 'entities.order.toHeartland.rules[1].map', message: 'no value map named "nope"' },
    ]);
  });
});

describe('layering overrides on defaults', () => {
  const base = defaultMappingDocument();
  it('merges value map entries and keeps the default value', () => {
    const over = parseMappingDocument({ valueMaps: { 'payment.method.commerceToHeartland': { entries: { checkmo: 100010 } } } });
    if (!over.ok) throw new Error('parse');
    const map = layerMapping(base, over.document).valueMaps['payment.method.commerceToHeartland'];
    expect(map.entries.checkmo).toBe(100010);
    expect(map.entries.banktransfer).toBe('Bank Transfer');
    expect(map.default).toBe('Web');
  });
  it('replaces a default rule by id, appends new rules, replaces the filter', () => {
    const over = parseMappingDocument({
      entities: {
        product: { fromHeartland: { rules: [{ id: 'product.color', kind: 'copy', target: 'attributes.color', source: 'custom.colour', enabled: false }, { kind: 'constant', target: 'attributes.brand', value: 'Acme' }] } },
        order: { toHeartland: { filter: { all: [] } } },
      },
    });
    if (!over.ok) throw new Error('parse');
    const doc = layerMapping(base, over.document);
    const productRules = doc.entities.product!.fromHeartland!.rules;
    expect(productRules.map((r) => [r.id, r.enabled])).toEqual([['product.color', false], ['product.size', true], [undefined, true]]);
    expect(doc.entities.order!.toHeartland!.filter).toEqual({ all: [] });
    expect(base.entities.order!.toHeartland!.filter).toMatchObject({ field: 'status' });
  });
  it('merges options', () => {
    const over = parseMappingDocument({ options: { abbreviateStreets: true } });
    if (!over.ok) throw new Error('parse');
    expect(layerMapping(base, over.document).options).toMatchObject({ abbreviateStreets: true, trackingNumberField: 'tracking_number' });
  });
});

/** The panel's block view of lib/mapping documents: both directions, diffing against the defaults, path translation. */
import { describe, expect, it } from 'vitest';
import { mappingDocument } from '../../lib/admin/contract';
import { FALLBACK_ENTRY, fromView, toView, viewPath } from '../../lib/admin/mapping-view';
import { defaultMappingDocument } from '../../lib/mapping/defaults/document';
import { parseMappingDocument } from '../../lib/mapping/document';
import { layerMapping } from '../../lib/mapping/layering';
import { VALUE_MAP_NAMES } from '../../lib/mapping/defaults/value-maps';

const defaults = defaultMappingDocument();

describe('mapping view', () => {
  it('the defaults view is contract-valid and saves back to no overrides at all', () => {
    const view = toView(defaults);
    expect(mappingDocument.safeParse(view).success).toBe(true);
    const { overrides, issues } = fromView(view, defaults, null);
    expect(issues).toEqual([]);
    expect(overrides).toEqual({ options: defaults.options, valueMaps: {}, entities: {} });
  });

  it('rules keep kind, id, stage and transforms; default values and fallbacks round-trip', () => {
    const merchant = parseMappingDocument({
      valueMaps: { [VALUE_MAP_NAMES.paymentTypeForMethod]: { entries: { checkmo: 12 }, default: 99 } },
      entities: {
        order: {
          fromCommerce: { rules: [{ id: 'note', kind: 'copy', target: 'notes', source: 'customer_note', transforms: ['trim', { op: 'default', value: 'none' }] }] },
          toHeartland: { rules: [{ kind: 'template', target: 'custom.channel', template: 'web {{externalId}}' }] },
        },
      },
    });
    if (!merchant.ok) throw new Error(JSON.stringify(merchant.issues));
    const effective = layerMapping(defaults, merchant.document);
    const view = toView(effective);
    const block = view.entities.find((e) => e.entity === 'order')!;
    expect(block.rules).toEqual([
      { target: 'notes', stage: 'source', kind: 'copy', id: 'note', source: 'customer_note', default: 'none', transform: 'trim' },
      { target: 'custom.channel', stage: 'target', kind: 'template', template: 'web {{externalId}}' },
    ]);
    expect(block.valueMaps[VALUE_MAP_NAMES.paymentTypeForMethod]).toMatchObject({ checkmo: 12, [FALLBACK_ENTRY]: 99 });
    const back = fromView(view, defaults, merchant.document);
    const reparsed = parseMappingDocument(back.overrides);
    expect(reparsed.ok && layerMapping(defaults, reparsed.document)).toEqual(effective);
  });

  it('a removed default rule is stored disabled; an unknown entity is named at its view path', () => {
    const view = toView(defaults);
    const product = view.entities.findIndex((e) => e.entity === 'product');
    view.entities[product].rules = view.entities[product].rules.filter((r) => (r as { id?: string }).id !== 'product.color');
    const { overrides } = fromView(view, defaults, null);
    expect((overrides.entities as any).product.fromHeartland.rules).toEqual([expect.objectContaining({ id: 'product.color', enabled: false })]);
    view.entities.push({ entity: 'spaceship', direction: 'commerce-to-heartland', rules: [], valueMaps: {} });
    expect(fromView(view, defaults, null).issues).toEqual([{ path: `entities.${view.entities.length - 1}.entity`, message: expect.stringMatching(/unknown entity "spaceship"/) }]);
  });

  it('stored-form paths become view paths', () => {
    const paths: Array<[string, string]> = [['entities.order.fromCommerce.rules[0]', 'entities.0.rules.2'], ['valueMaps.payment.method.commerceToHeartland', 'entities.0.valueMaps.payment.method.commerceToHeartland']];
    expect(viewPath('entities.order.fromCommerce.rules[0].source', paths)).toBe('entities.0.rules.2.source');
    expect(viewPath('valueMaps.payment.method.commerceToHeartland.entries.checkmo', paths)).toBe('entities.0.valueMaps.payment.method.commerceToHeartland.entries.checkmo');
    expect(viewPath('options.defaultCurrency', paths)).toBe('options.defaultCurrency');
  });
});
